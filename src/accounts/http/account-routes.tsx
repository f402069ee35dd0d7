import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Deps } from '../../deps.ts';
import { formatDateTime } from '../../i18n/index.ts';
import { isLocale, type Locale } from '../../kernel/context.ts';
import { FormCard, formPage, formSchema, readForm, readQuery, text } from '../../web/form-kit.tsx';
import { LANG_COOKIE } from '../../web/plumbing.ts';
import { Field, Notice } from '../../web/render.tsx';
import { safeNext, sessionOrRedirect } from '../../web/web-helpers.ts';
import { currentZoneName, timeZoneChoices, updateProfile } from '../profile.ts';

/** The forms of these pages: the fields each handler reads (web/form-kit.tsx). */
const ProfileForm = formSchema({ displayName: text(), locale: text(), timeZone: text() });
const LanguageForm = formSchema({ locale: text(), next: text() });

type Rep = FastifyReply;

/** `/account?done=saved`: the note after saving. */
const AccountQuery = formSchema({ done: text() });

/**
 * Account settings: display name, language and time zone (not security info: no step-up; CSRF as any form).
 * `GET|POST /account` (a refused value is shown under its field, with the error's status; saved goes to
 * `/account?done=saved` and the pages follow the account's language); `POST /account/language`.
 */
export function accountRoutes(web: FastifyInstance, deps: Pick<Deps, 'db' | 'clock' | 'emit'>): void {
  const keepLanguage = (reply: Rep, locale: Locale) =>
    reply.setCookie(LANG_COOKIE, locale, { path: '/', sameSite: 'lax', maxAge: 31536000 });

  formPage(web, {
    path: '/account',
    form: ProfileForm,
    guard: sessionOrRedirect,
    page: ({ req, pc, tr, who: s, values: v, failure }) => {
      const locale = v.locale ?? s.locale;
      const timeZone = v.timeZone ?? s.timeZone;
      const saved = readQuery(req, AccountQuery).done === 'saved';
      const field = failure?.error.code === 'account.time_zone_invalid' ? 'timeZone' : 'displayName';
      const errors: Record<string, string | undefined> = failure ? { [field]: failure.message } : {};
      return {
        title: tr('deadends.account.title'),
        body: (
          <FormCard
            pc={pc}
            title={tr('deadends.account.title')}
            action="/account"
            submit={tr('deadends.account.submit')}
            back={{ href: '/security', label: tr('deadends.account.back') }}
            before={
              <>
                {saved ? <Notice kind="ok">{tr('deadends.account.saved')}</Notice> : null}
                <p class="lead">{tr('deadends.account.lead')}</p>
              </>
            }
          >
            <Field
              id="displayName"
              name="displayName"
              label={tr('field.display_name')}
              value={v.displayName ?? s.displayName}
              autocomplete="name"
              required
              maxLength={64}
              error={errors.displayName}
            />
            <label for="locale">{tr('deadends.account.language')}</label>
            <select id="locale" name="locale">
              <option value="ja" lang="ja" selected={locale === 'ja'}>
                日本語
              </option>
              <option value="en" lang="en" selected={locale === 'en'}>
                English
              </option>
            </select>
            <label for="timeZone">{tr('deadends.account.time_zone')}</label>
            <select id="timeZone" name="timeZone" aria-describedby="timeZone-hint">
              {timeZoneChoices(timeZone, pc.locale, deps.clock.now()).map((z) => (
                <option value={z.value} selected={z.value === currentZoneName(timeZone)}>
                  {z.label}
                </option>
              ))}
            </select>
            <p class="hint" id="timeZone-hint">
              {tr('deadends.account.time_zone_hint', {
                time: formatDateTime(pc.locale, deps.clock.now(), s.timeZone),
              })}
            </p>
            {errors.timeZone ? (
              <p class="field-error" role="alert">
                {errors.timeZone}
              </p>
            ) : null}
            <p class="hint">{tr('deadends.account.email_hint', { email: s.email })}</p>
          </FormCard>
        ),
      };
    },
    submit: ({ who, form }) =>
      updateProfile(deps, who, {
        displayName: form.displayName ?? '',
        locale: form.locale,
        timeZone: form.timeZone,
      }),
    done: ({ reply, value }) => {
      // The pages follow the account's language from now on.
      keepLanguage(reply, value.locale);
      return reply.redirect('/account?done=saved', 303);
    },
  });

  /** "Use this language for emails too": offered after the header language switch (render.tsx). */
  web.post('/account/language', { preValidation: web.csrfProtection }, async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s) return reply;
    const b = readForm(req, LanguageForm);
    const next = safeNext(b.next);
    if (!isLocale(b.locale)) return reply.redirect(next, 303);
    await updateProfile(deps, s, { locale: b.locale });
    keepLanguage(reply, b.locale);
    return reply.redirect(next, 303);
  });
}

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { formatDateTime } from '../../i18n/index.ts';
import { isLocale, type Locale } from '../../kernel/context.ts';
import { formSchema, readForm, text } from '../../web/form-kit.tsx';
import { LANG_COOKIE } from '../../web/plumbing.ts';
import { Csrf, Field, Notice, pageContext, sendPage, translator } from '../../web/render.tsx';
import { attempt, safeNext, sessionOrRedirect } from '../../web/web-helpers.ts';
import { currentZoneName, timeZoneChoices, updateProfile } from '../profile.ts';

/** The forms of these pages: the fields each handler reads (web/form-kit.tsx). */
const ProfileForm = formSchema({ displayName: text(), locale: text(), timeZone: text() });
const LanguageForm = formSchema({ locale: text(), next: text() });

type Req = FastifyRequest;
type Rep = FastifyReply;

/** Account settings: display name, language and time zone (not security info: no step-up; CSRF as any form). */
export function accountRoutes(web: FastifyInstance, deps: Pick<Deps, 'db' | 'clock' | 'emit'>): void {
  const keepLanguage = (reply: Rep, locale: Locale) =>
    reply.setCookie(LANG_COOKIE, locale, { path: '/', sameSite: 'lax', maxAge: 31536000 });

  const page = (
    req: Req,
    reply: Rep,
    v: { displayName?: string; locale?: string; timeZone?: string; errors?: Record<string, string> },
    status = 200,
  ) => {
    const s = sessionOrRedirect(req, reply);
    if (!s) return reply;
    const pc = pageContext(req, reply);
    const tr = translator(pc.locale);
    const locale = v.locale ?? s.locale;
    const timeZone = v.timeZone ?? s.timeZone;
    const saved = (req.query as { done?: string }).done === 'saved';
    return sendPage(
      reply,
      pc,
      tr('deadends.account.title'),
      <div class="card narrow">
        <h1>{tr('deadends.account.title')}</h1>
        {saved ? <Notice kind="ok">{tr('deadends.account.saved')}</Notice> : null}
        <p class="lead">{tr('deadends.account.lead')}</p>
        <form method="post" action="/account" novalidate>
          <Csrf pc={pc} />
          <Field
            id="displayName"
            name="displayName"
            label={tr('field.display_name')}
            value={v.displayName ?? s.displayName}
            autocomplete="name"
            required
            maxLength={64}
            error={v.errors?.displayName}
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
          {v.errors?.timeZone ? (
            <p class="field-error" role="alert">
              {v.errors.timeZone}
            </p>
          ) : null}
          <p class="hint">{tr('deadends.account.email_hint', { email: s.email })}</p>
          <button type="submit">{tr('deadends.account.submit')}</button>
        </form>
        <p>
          <a href="/security">{tr('deadends.account.back')}</a>
        </p>
      </div>,
      status,
    );
  };

  web.get('/account', async (req, reply) => page(req, reply, {}));
  web.post('/account', { preValidation: web.csrfProtection }, async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s) return reply;
    const b = readForm(req, ProfileForm);
    const r = await attempt(req, () =>
      updateProfile(deps, s, { displayName: b.displayName ?? '', locale: b.locale, timeZone: b.timeZone }),
    );
    if (!r.ok) {
      const field = r.error.code === 'account.time_zone_invalid' ? 'timeZone' : 'displayName';
      return page(
        req,
        reply,
        {
          displayName: b.displayName,
          locale: b.locale,
          timeZone: b.timeZone,
          errors: { [field]: r.message },
        },
        r.error.status,
      );
    }
    // The pages follow the account's language from now on.
    keepLanguage(reply, r.value.locale);
    return reply.redirect('/account?done=saved', 303);
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

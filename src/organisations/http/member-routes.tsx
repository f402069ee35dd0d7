import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { formatDateTime, type MessageKey } from '../../i18n/index.ts';
import type { SessionView } from '../../sessions/session-cache.ts';
import { formSchema, PostButton, readQuery, submitForm, text } from '../../web/form-kit.tsx';
import { countryNames, OrgRequirements, shortfallText } from '../../web/org-requirements.tsx';
import { Notice, pageContext, sendPage, translator } from '../../web/render.tsx';
import { forgetRequiredReturn, rememberRequiredReturn } from '../../web/required-return.ts';
import { safeNext, sessionOrRedirect } from '../../web/web-helpers.ts';
import { requirementForPage, snoozeRegistration } from '../enforcement.ts';
import type { PolicyMethodKind } from '../policy.ts';
import { WhyPage } from './member-why.tsx';

/** Where to go once the member is done (`?next=`, a local path). */
const NextQuery = formSchema({ next: text() });
/** What an add page just added, on the way back here (web/required-return.ts). */
const AddedQuery = formSchema({ added: text() });
const ADDED: Record<string, MessageKey> = {
  verified: 'security.done.verified',
  totp: 'security.done.totp',
  passkey: 'passkey.add.done',
};

/** The add page of each kind; the authenticator app starts with a POST (a new secret). */
const ADD: Record<PolicyMethodKind, { href: string; post?: boolean }> = {
  passkey: { href: '/security/passkeys/add' },
  totp: { href: '/security/totp', post: true },
  phone: { href: '/security/phones/add' },
  email: { href: '/security/emails/add' },
};

/** Pages of organisations: the member's pages: the sign-in interrupt, the organisation's requirements, why this matters. */
export function memberRoutes(
  web: FastifyInstance,
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'log' | 'limiter' | 'cipher' | 'emit'>,
): void {
  /**
   * `/security/required`: what the organisation requires and the steps to meet it, most secure first; the
   * snooze while one remains; whom to contact when the member cannot comply. Add pages come back here
   * (web/required-return.ts) until the policy is met, then the page leads on to `next`.
   */
  const requiredPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    s: SessionView,
    error?: { message: string; status: number },
  ) => {
    const pc = pageContext(req, reply);
    const tr = translator(pc.locale);
    const next = safeNext(readQuery(req, NextQuery).next);
    const addedKey = ADDED[readQuery(req, AddedQuery).added ?? ''];
    const added = addedKey ? (
      <Notice kind="ok">
        <span data-testid="required-added">{tr(addedKey)}</span>
      </Notice>
    ) : null;
    const r = await requirementForPage(deps, s.accountId, deps.config.maxMethods);
    const q = `?next=${encodeURIComponent(next)}`;
    const goOn = (
      <a class="button" href={next} data-testid="required-continue">
        {tr('org.member.continue')}
      </a>
    );
    const why = (
      <p>
        <a href="/organisation/why">{tr('org.member.why')}</a>
      </p>
    );
    if (!r || (r.met && !r.reregister)) {
      forgetRequiredReturn(reply);
      return sendPage(
        reply,
        pc,
        tr('org.member.title'),
        <div class="card narrow" data-testid="required-done">
          <h1>{tr('org.member.title')}</h1>
          <Notice kind="ok">
            {r ? tr('org.member.met', { org: r.org.name }) : tr('org.member.nothing')}
          </Notice>
          {r ? <OrgRequirements pc={pc} r={r} link={false} /> : null}
          <div class="actions">{goOn}</div>
          {r ? why : null}
        </div>,
      );
    }
    rememberRequiredReturn(deps, reply, next);
    const snoozedUntil = r.snoozedUntil ? formatDateTime(pc.locale, r.snoozedUntil, s.timeZone) : null;
    return sendPage(
      reply,
      pc,
      tr('org.member.title'),
      <div class="card narrow" data-testid="required">
        <h1>{tr('org.member.title')}</h1>
        {error ? <Notice kind="error">{error.message}</Notice> : null}
        {added}
        <p class="lead" data-testid="required-lead">
          {tr(r.reregister ? 'org.member.lead_reregister' : 'org.member.lead', { org: r.org.name })}
        </p>
        {snoozedUntil ? <Notice kind="ok">{tr('org.member.snoozed', { date: snoozedUntil })}</Notice> : null}
        <h2>{tr('org.member.missing')}</h2>
        <ul data-testid="required-missing">
          {r.shortfalls.map((f) => (
            <li>{shortfallText(pc, f)}</li>
          ))}
          {r.reregister && r.shortfalls.length === 0 ? <li>{tr('org.member.need.new')}</li> : null}
        </ul>
        {r.stuck ? (
          <Notice kind="warn">
            <span data-testid="required-stuck">{tr('org.member.stuck', { contact: r.org.contact })}</span>
          </Notice>
        ) : (
          <>
            <h2>{tr('org.member.steps')}</h2>
            <ol class="steps" data-testid="required-steps">
              {r.steps.map((k) => (
                <li data-kind={k}>
                  {ADD[k].post ? (
                    <PostButton pc={pc} action={ADD[k].href} label={tr(`org.member.step.${k}`)} />
                  ) : (
                    <a class="button" href={ADD[k].href}>
                      {tr(`org.member.step.${k}`)}
                    </a>
                  )}
                </li>
              ))}
            </ol>
            {r.policy.allowed.phone && r.policy.smsCountries.length > 0 ? (
              <p class="hint">
                {tr('org.member.countries', { countries: countryNames(pc, r.policy.smsCountries) })}
              </p>
            ) : null}
          </>
        )}
        {r.interrupt && r.snoozesLeft > 0 && !r.stuck ? (
          <div data-testid="required-snooze">
            <p>{tr('org.member.snoozes_left', { left: r.snoozesLeft })}</p>
            <PostButton
              pc={pc}
              action={`/security/required/snooze${q}`}
              label={tr('org.member.snooze', { days: r.policy.snoozeDays })}
              class="secondary"
            />
          </div>
        ) : r.interrupt && !r.stuck ? (
          <p data-testid="required-no-snooze">
            {tr(r.reregister ? 'org.member.no_snooze_reregister' : 'org.member.no_snooze')}
          </p>
        ) : (
          <div class="actions">{goOn}</div>
        )}
        {why}
      </div>,
      error?.status ?? 200,
    );
  };

  web.get('/security/required', async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s) return reply;
    return requiredPage(req, reply, s);
  });

  web.post('/security/required/snooze', { preValidation: web.csrfProtection }, async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s) return reply;
    const next = safeNext(readQuery(req, NextQuery).next);
    const r = await submitForm(
      req,
      reply,
      () => snoozeRegistration(deps, s.accountId),
      (f) => requiredPage(req, reply, s, f),
    );
    if (!r.ok) return r.reply;
    forgetRequiredReturn(reply);
    return reply.redirect(next, 303);
  });

  /** `/organisation/why`: why sign-in methods matter (public, for the admins' training material). */
  web.get('/organisation/why', async (req, reply) => {
    const pc = pageContext(req, reply);
    return sendPage(reply, pc, translator(pc.locale)('org.why.title'), <WhyPage pc={pc} />);
  });
}

import { formatDateTime, type MessageKey } from '../../i18n/index.ts';
import type { Locale } from '../../kernel/context.ts';
import type { MemberRequirement } from '../../organisations/enforcement.ts';
import type { SessionView } from '../../sessions/session-cache.ts';
import { OrgRequirements } from '../../web/org-requirements.tsx';
import { Csrf, Notice, type PageContext, translator } from '../../web/render.tsx';
import { describeMethod } from '../methods-service.ts';
import { displayPhone } from '../phone/format-phone.ts';
import type { Method } from '../store.ts';

/** A date and time in the signed-in owner's time zone, or a dash. */
export const fmt = (pc: PageContext, s: SessionView, d: Date | null) =>
  d ? formatDateTime(pc.locale, d, s.timeZone) : '—';

/** How a method is shown to its signed-in owner. */
export const shown = (m: Pick<Method, 'kind' | 'value' | 'label'>, locale: Locale = 'ja') =>
  m.kind === 'phone' ? displayPhone(m.value) : m.kind === 'email' ? m.value : describeMethod(m, locale);

/**
 * The security overview (`/security`): the account, every method (a pending one with a link to finish it),
 * two-step verification, the recovery code (`recoveryMadeAt`: when the working one was made, or null) and
 * links to the other security pages; `done` is the notice of what was just done.
 */
export function SecurityOverview(props: {
  pc: PageContext;
  s: SessionView;
  methods: Method[];
  pending: { effectiveAt: Date; href: string } | null;
  recoveryMadeAt: Date | null;
  /** The current recovery code's version, sent with the button (a resent form replaces nothing). */
  recoveryVersion: string;
  done: MessageKey | undefined;
  maxMethods: number;
  /** The organisation's requirements (null outside any) and the methods its policy keeps (marked, not removable). */
  org?: { r: MemberRequirement; required: Set<string> } | null;
}) {
  const { pc, s, methods, pending, recoveryMadeAt, recoveryVersion, done, maxMethods } = props;
  const org = props.org ?? null;
  const allowed = (k: 'email' | 'phone' | 'totp' | 'passkey') => !org || org.r.policy.allowed[k];
  const tr = translator(pc.locale);
  const verified = methods.filter((m) => m.verifiedAt);
  const item = (m: Method) => (
    <li data-testid="method">
      <div class="m-main">
        <div class="m-value">
          {shown(m, pc.locale)}
          {m.verifiedAt ? (
            <span class="badge">{tr('method.verified')}</span>
          ) : (
            <span class="badge pending">{tr('method.pending')}</span>
          )}
          {org?.required.has(m.id) ? (
            <span class="badge" data-testid="org-required" title={tr('org.member.remove_refused')}>
              {tr('org.member.required_badge')}
            </span>
          ) : null}
        </div>
        <div class="m-meta">
          {tr(`method.kind.${m.kind}`)}
          {m.label ? ` · ${m.label}` : ''} ·{' '}
          {m.verifiedAt
            ? tr('method.verified_on', { date: fmt(pc, s, m.verifiedAt) })
            : tr('method.added_on', { date: fmt(pc, s, m.createdAt) })}
        </div>
      </div>
      <div class="actions">
        {!m.verifiedAt ? (
          <a
            class="button secondary"
            href={m.kind === 'totp' ? `/security/totp/${m.id}` : `/security/methods/${m.id}/verify`}
          >
            {tr('method.verify')}
          </a>
        ) : null}
        <a class="button secondary" href={`/security/methods/${m.id}/edit`}>
          {tr('method.edit')}
        </a>
        <a class="button secondary" href={`/security/methods/${m.id}/remove`}>
          {tr('method.remove')}
        </a>
      </div>
    </li>
  );
  return (
    <div>
      <h1>{tr('security.title')}</h1>
      {done ? <Notice kind="ok">{tr(done)}</Notice> : null}
      {pending ? (
        <Notice kind="warn">
          {tr('replacement.pending.lead', { date: fmt(pc, s, pending.effectiveAt) })}{' '}
          <a href={pending.href}>{tr('common.details')}</a>
        </Notice>
      ) : null}
      {verified.length === 0 ? (
        <Notice kind="warn">{tr('security.no_methods')}</Notice>
      ) : verified.length === 1 ? (
        <Notice kind="warn">{tr('security.one_method')}</Notice>
      ) : null}
      {org ? (
        <section class="card">
          <OrgRequirements pc={pc} r={org.r} />
        </section>
      ) : null}
      <section class="card">
        <h2>{tr('security.account')}</h2>
        <p>
          {s.displayName} · <span data-testid="primary-email">{s.email}</span>
        </p>
        <p class="hint">{tr('security.primary_hint')}</p>
        <p>
          <a href="/account">{tr('deadends.account.link')}</a>
        </p>
      </section>
      <section class="card">
        <h2>{tr('security.methods')}</h2>
        <p class="hint">{tr('security.methods_hint', { max: maxMethods })}</p>
        {methods.length > 0 ? (
          <ul class="methods">{methods.map(item)}</ul>
        ) : (
          <p>{tr('security.methods_empty')}</p>
        )}
        <AddContactButtons pc={pc} email={allowed('email')} phone={allowed('phone')} />
        {verified.length > 0 ? (
          <p>
            <a href="/security/replace">{tr('replacement.link')}</a>
          </p>
        ) : null}
      </section>
      <section class="card">
        <h2>
          {tr('security.two_step')}:{' '}
          <span data-testid="two-step-state">
            {tr(s.twoStep ? 'security.two_step_on' : 'security.two_step_off')}
          </span>
        </h2>
        <p class="hint">{tr(s.twoStep ? 'twostep.on_lead' : 'twostep.off_lead')}</p>
        <div class="actions">
          <a class="button secondary" href="/security/two-step">
            {tr('security.manage_two_step')}
          </a>
          {allowed('totp') ? (
            <form method="post" action="/security/totp" class="inline">
              <Csrf pc={pc} />
              <button type="submit" class="secondary">
                {tr('security.add_totp')}
              </button>
            </form>
          ) : null}
          {allowed('passkey') ? (
            <a class="button secondary" href="/security/passkeys/add">
              {tr('passkey.security.add')}
            </a>
          ) : null}
          <a class="button secondary" href="/security/devices">
            {tr('security.devices')}
          </a>
        </div>
      </section>
      <section class="card" id="recovery-code">
        <h2>{tr('security.recovery_code')}</h2>
        <p>
          {recoveryMadeAt
            ? tr('security.recovery_made', { date: fmt(pc, s, recoveryMadeAt) })
            : tr('security.recovery_none')}
        </p>
        <p class="hint">{tr('recovery.keep')}</p>
        <form method="post" action="/security/recovery-code">
          <Csrf pc={pc} />
          <input type="hidden" name="replaces" value={recoveryVersion} />
          <button type="submit" class="secondary">
            {tr('security.recovery_create')}
          </button>
        </form>
      </section>
      <section class="card">
        <h2>{tr('security.more')}</h2>
        <ul>
          <li>
            <a href="/security/password">{tr('security.change_password')}</a>
          </li>
          <li>
            <a href="/security/sessions">{tr('security.sessions')}</a>
          </li>
          <li>
            <a href="/security/activity">{tr('security.activity')}</a>
          </li>
          <li>
            <a href="/security/messages">{tr('messages.title')}</a>
          </li>
          <li>
            <a href="/security/phrase">{tr('phrase.title')}</a>
          </li>
          <li>
            <a href="/security/checkup">{tr('checkup.link')}</a>
          </li>
          <li>
            <a href="/security/notices">{tr('notices.link')}</a>
          </li>
        </ul>
      </section>
    </div>
  );
}

/** The two ways to add a contact: an email or a mobile number (each only when the organisation allows it). */
function AddContactButtons(props: { pc: PageContext; email?: boolean; phone?: boolean }) {
  const tr = translator(props.pc.locale);
  return (
    <div class="actions">
      {props.email !== false ? (
        <a class="button" href="/security/emails/add">
          {tr('security.add_email')}
        </a>
      ) : null}
      {props.phone !== false ? (
        <a class="button" href="/security/phones/add">
          {tr('security.add_phone')}
        </a>
      ) : null}
    </div>
  );
}

/**
 * The confirmation before removing a method (`/security/methods/:id/remove`): what is left after it, advice
 * for a verified one, and the button; or, for the last verified method, why it stays and how to add another.
 * `error`: why the removal just failed.
 */
export function RemoveMethodCard(props: {
  pc: PageContext;
  id: string;
  preview: { target: Method; remaining: Method[]; allowed: boolean; orgRequired?: boolean };
  error?: string;
}) {
  const { pc, id, preview, error } = props;
  const tr = translator(pc.locale);
  return (
    <div class="card narrow">
      <h1>{tr('remove.title')}</h1>
      {error ? <Notice kind="error">{error}</Notice> : null}
      {preview.orgRequired && !error ? (
        <Notice kind="warn">
          <span data-testid="org-remove-refused">{tr('org.member.remove_refused')}</span>
        </Notice>
      ) : null}
      <p class="m-value">{shown(preview.target, pc.locale)}</p>
      {preview.allowed ? (
        <div>
          <p>
            {preview.remaining.length > 0
              ? tr('remove.left', { count: preview.remaining.length })
              : tr('remove.pending_only')}
          </p>
          {preview.remaining.length > 0 ? (
            <ul>
              {preview.remaining.map((m) => (
                <li>{shown(m, pc.locale)}</li>
              ))}
            </ul>
          ) : null}
          {preview.target.verifiedAt ? (
            <Notice kind="warn">
              {tr(preview.target.kind === 'phone' ? 'remove.advice_phone' : 'remove.advice')}
            </Notice>
          ) : null}
          <form method="post" action={`/security/methods/${id}/remove`}>
            <Csrf pc={pc} />
            <div class="actions">
              <button type="submit" class="danger">
                {tr('remove.confirm')}
              </button>
              <a class="button secondary" href="/security">
                {tr('common.cancel')}
              </a>
            </div>
          </form>
        </div>
      ) : (
        <div>
          <Notice kind="warn">{tr('error.contact.last_method')}</Notice>
          <AddContactButtons pc={pc} />
        </div>
      )}
    </div>
  );
}

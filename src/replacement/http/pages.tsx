import { formatDateTime } from '../../i18n/index.ts';
import { displayPhone } from '../../security-info/phone/format-phone.ts';
import { EmailTypoChoice, OneTimeRecoveryCode } from '../../web/account-fields.tsx';
import { PhoneFields } from '../../web/phone-fields.tsx';
import {
  CodeForm,
  Csrf,
  Field,
  Notice,
  type PageContext,
  type T as Translate,
  translator,
} from '../../web/render.tsx';
import { REPLACEMENT_DAYS, type Replacement, type ReplacementItem } from '../store.ts';

/**
 * The pages of the replacement of security info (docs/flows/replacement.md): props in, markup out. The
 * handlers in routes.tsx load the state, pick the page and send it with its title (`replacement.*`).
 */

/** A new item as the owner reads it: a phone number in national form, an address as typed. */
export const shown = (i: Pick<ReplacementItem, 'kind' | 'value'>) =>
  i.kind === 'phone' ? displayPhone(i.value) : i.value;

/** A date and time in the owner's time zone and the page's language. */
export const fmt = (pc: PageContext, s: { timeZone: string }, d: Date) =>
  formatDateTime(pc.locale, d, s.timeZone);

/** New items as a list (value and kind), on the confirm and pending pages. */
function ItemList(props: { tr: Translate; items: ReplacementItem[] }) {
  const { tr } = props;
  return (
    <ul class="methods">
      {props.items.map((i) => (
        <li data-testid="replacement-item">
          <div class="m-main">
            <div class="m-value">{shown(i)}</div>
            <div class="m-meta">{tr(`method.kind.${i.kind}`)}</div>
          </div>
        </li>
      ))}
    </ul>
  );
}

/** The recovery code that skips the wait. */
function RecoveryCodeForm(props: { pc: PageContext; error?: string }) {
  const tr = translator(props.pc.locale);
  const pc = props.pc;
  return (
    <div>
      <p>{tr('replacement.pending.recovery_lead')}</p>
      <form method="post" action="/security/replacement/recovery-code" novalidate>
        <Csrf pc={pc} />
        <Field
          id="recoveryCode"
          name="recoveryCode"
          label={tr('replacement.pending.recovery_field')}
          autocomplete="off"
          maxLength={64}
          error={props.error}
          required
        />
        <button type="submit" class="secondary">
          {tr('replacement.pending.recovery_submit')}
        </button>
      </form>
    </div>
  );
}

/** Entry: what happens, the new info entered so far, forms to add more. */
export function EntryPage(props: {
  pc: PageContext;
  draft: Replacement | null;
  emailError?: string;
  email?: string;
  phoneError?: string;
  number?: string;
  country?: string;
  suggestion?: string;
  error?: string;
}) {
  const { pc, draft } = props;
  const v = props;
  const tr = translator(pc.locale);
  const items = draft?.items ?? [];
  const anyVerified = items.some((i) => i.verifiedAt);
  const country = v.country ?? 'JP';
  return (
    <div class="card narrow">
      <h1>{tr('replacement.entry.title')}</h1>
      <p class="lead">{tr('replacement.entry.lead', { days: REPLACEMENT_DAYS })}</p>
      <ol class="steps">
        <li>{tr('replacement.entry.step_verify')}</li>
        <li>{tr('replacement.entry.step_wait', { days: REPLACEMENT_DAYS })}</li>
        <li>{tr('replacement.entry.step_notify')}</li>
        <li>{tr('replacement.entry.step_restricted')}</li>
      </ol>
      <p class="hint">{tr('replacement.entry.recovery_hint', { days: REPLACEMENT_DAYS })}</p>
      {v.error ? <Notice kind="error">{v.error}</Notice> : null}
      <h2>{tr('replacement.entry.new_info')}</h2>
      {items.length === 0 ? (
        <p>{tr('replacement.entry.empty')}</p>
      ) : (
        <ul class="methods">
          {items.map((i) => (
            <li data-testid="replacement-item">
              <div class="m-main">
                <div class="m-value">
                  {shown(i)}
                  {i.verifiedAt ? (
                    <span class="badge">{tr('replacement.entry.verified')}</span>
                  ) : (
                    <span class="badge pending">{tr('replacement.entry.unverified')}</span>
                  )}
                </div>
                <div class="m-meta">{tr(`method.kind.${i.kind}`)}</div>
              </div>
              <div class="actions">
                {!i.verifiedAt ? (
                  <a class="button secondary" href={`/security/replace/items/${i.id}/verify`}>
                    {tr('replacement.entry.verify')}
                  </a>
                ) : null}
                <form method="post" action={`/security/replace/items/${i.id}/remove`} class="inline">
                  <Csrf pc={pc} />
                  <button type="submit" class="secondary">
                    {tr('replacement.entry.remove')}
                  </button>
                </form>
              </div>
            </li>
          ))}
        </ul>
      )}
      <div class="alt-block">
        <h2>{tr('replacement.entry.add_email')}</h2>
        {v.suggestion ? (
          <EmailTypoChoice
            pc={pc}
            tr={tr}
            action="/security/replace/emails"
            suggestion={v.suggestion}
            typed={v.email ?? ''}
          />
        ) : null}
        <form method="post" action="/security/replace/emails" novalidate>
          <Csrf pc={pc} />
          <Field
            id="email"
            name="email"
            type="email"
            label={tr('field.email')}
            value={v.email}
            autocomplete="email"
            inputmode="email"
            maxLength={320}
            error={v.emailError}
            required
          />
          <button type="submit">{tr('add.send_code')}</button>
        </form>
      </div>
      <div class="alt-block">
        <h2>{tr('replacement.entry.add_phone')}</h2>
        <form method="post" action="/security/replace/phones" novalidate>
          <Csrf pc={pc} />
          <PhoneFields pc={pc} country={country} number={v.number} error={v.phoneError} />
          <button type="submit">{tr('add.send_code')}</button>
        </form>
      </div>
      <div class="alt-block">
        {anyVerified ? (
          <a class="button" href="/security/replace/confirm" data-testid="replace-continue">
            {tr('replacement.entry.continue')}
          </a>
        ) : (
          <p class="hint">{tr('replacement.entry.need_verified')}</p>
        )}
      </div>
      {draft ? (
        <form method="post" action="/security/replace/discard">
          <Csrf pc={pc} />
          <button type="submit" class="secondary">
            {tr('replacement.entry.discard')}
          </button>
        </form>
      ) : (
        <p>
          <a href="/security">{tr('common.back')}</a>
        </p>
      )}
    </div>
  );
}

/** Verify one new item with the code sent to it. `minutes`: how long a code lasts; `now`: for the countdown. */
export function VerifyItemPage(props: {
  pc: PageContext;
  item: ReplacementItem;
  resendAt: Date | null;
  minutes: number;
  now: Date;
  error?: string;
  notice?: string;
}) {
  const { pc, item } = props;
  const tr = translator(pc.locale);
  return (
    <div class="card narrow">
      <h1>{tr('replacement.verify.title')}</h1>
      {props.notice ? <Notice kind="ok">{props.notice}</Notice> : null}
      <p class="lead">
        {tr(item.kind === 'email' ? 'verify.lead_email' : 'verify.lead_phone', {
          destination: shown(item),
          minutes: props.minutes,
        })}
      </p>
      <CodeForm
        pc={pc}
        action={`/security/replace/items/${item.id}/verify`}
        resendAction={`/security/replace/items/${item.id}/resend`}
        resendAt={props.resendAt}
        error={props.error}
        now={props.now}
      />
      <p>
        <a href="/security/replace">{tr('common.back')}</a>
      </p>
    </div>
  );
}

/** Confirm: the verified new info starts the wait, which ends on `date` (formatted). */
export function ConfirmPage(props: {
  pc: PageContext;
  verified: ReplacementItem[];
  date: string;
  error?: string;
}) {
  const { pc, verified, date, error } = props;
  const tr = translator(pc.locale);
  return (
    <div class="card narrow">
      <h1>{tr('replacement.confirm.title', { days: REPLACEMENT_DAYS })}</h1>
      {error ? <Notice kind="error">{error}</Notice> : null}
      <p class="lead">{tr('replacement.confirm.lead', { date })}</p>
      <ItemList tr={tr} items={verified} />
      <Notice kind="warn">{tr('replacement.confirm.removed')}</Notice>
      <p>{tr('replacement.entry.step_notify')}</p>
      <p>{tr('replacement.entry.step_restricted')}</p>
      <form method="post" action="/security/replace/confirm">
        <Csrf pc={pc} />
        <div class="actions">
          <button type="submit" class="danger">
            {tr('replacement.confirm.submit')}
          </button>
          <a class="button secondary" href="/security/replace">
            {tr('common.back')}
          </a>
        </div>
      </form>
    </div>
  );
}

/** Nothing is pending (it was cancelled, or took effect). */
export function NoPendingPage(props: { pc: PageContext; done?: string }) {
  const { done } = props;
  const tr = translator(props.pc.locale);
  return (
    <div class="card narrow">
      <h1>{tr('replacement.pending.title')}</h1>
      {done === 'cancelled' ? <Notice kind="ok">{tr('replacement.done.cancelled')}</Notice> : null}
      <p>{tr('replacement.pending.none')}</p>
      <div class="actions">
        <a class="button secondary" href="/security/replace">
          {tr('replacement.pending.start')}
        </a>
        <a class="button" href="/security">
          {tr('security.title')}
        </a>
      </div>
    </div>
  );
}

/** The pending change: its date, the new info, cancel, and the recovery code that skips the wait. */
export function PendingPage(props: {
  pc: PageContext;
  pending: Replacement;
  effectiveAt: Date;
  timeZone: string;
  done?: string;
  recovery: { working: boolean; createdAt: Date | null; usableAt: Date | null };
  now: Date;
  codeError?: string;
}) {
  const { pc, done, recovery } = props;
  const p = props.pending;
  const s = { timeZone: props.timeZone };
  const v = { codeError: props.codeError };
  const tr = translator(pc.locale);
  return (
    <div class="card narrow">
      <h1>{tr('replacement.pending.title')}</h1>
      {done === 'started' ? <Notice kind="ok">{tr('replacement.done.started')}</Notice> : null}
      <p class="lead" data-testid="replacement-date">
        {tr('replacement.pending.lead', { date: fmt(pc, s, props.effectiveAt) })}
      </p>
      <h2>{tr('replacement.pending.new_info')}</h2>
      <ItemList tr={tr} items={p.items} />
      <Notice kind="warn">{tr('replacement.pending.restricted')}</Notice>
      <div class="alt-block">
        <h2>{tr('replacement.pending.cancel_title')}</h2>
        <p>{tr('replacement.pending.cancel_lead')}</p>
        <form method="post" action="/security/replacement/cancel">
          <Csrf pc={pc} />
          <button type="submit" class="danger">
            {tr('replacement.pending.cancel')}
          </button>
        </form>
      </div>
      <div class="alt-block">
        <h2>{tr('replacement.pending.recovery_title')}</h2>
        {!recovery.working ? (
          <p data-testid="recovery-unavailable">{tr('replacement.pending.recovery_none')}</p>
        ) : recovery.usableAt && recovery.usableAt > props.now ? (
          // Offered only when it can work: a code younger than the wait is refused (and says why).
          <p data-testid="recovery-unavailable">
            {tr('replacement.pending.recovery_too_new', {
              created: fmt(pc, s, recovery.createdAt ?? new Date(0)),
              days: REPLACEMENT_DAYS,
            })}
          </p>
        ) : (
          <RecoveryCodeForm pc={pc} error={v.codeError} />
        )}
      </div>
      <p>
        <a href="/security">{tr('security.title')}</a>
      </p>
    </div>
  );
}

/** A cancel link that no longer works. */
export function LinkInvalidPage(props: { pc: PageContext }) {
  const tr = translator(props.pc.locale);
  return (
    <div class="card narrow">
      <h1>{tr('replacement.cancel.title')}</h1>
      <Notice kind="warn">{tr('replacement.cancel.invalid')}</Notice>
      <p>
        <a href="/sign-in">{tr('replacement.cancel.sign_in')}</a>
      </p>
    </div>
  );
}

/** A cancel link mailed to an old contact (nothing changes until the button is pressed). `query`: `?token=…`. */
export function LinkPage(props: {
  pc: PageContext;
  notMe: boolean;
  info: { maskedAccount: string; effectiveAt: Date; timeZone: string };
  query: string;
}) {
  const { pc, notMe, info } = props;
  const q = props.query;
  const tr = translator(pc.locale);
  const title = notMe ? 'replacement.not_me.title' : 'replacement.cancel.title';
  return (
    <div class="card narrow">
      <h1>{tr(title)}</h1>
      <p class="lead">
        {tr('replacement.cancel.lead', {
          account: info.maskedAccount,
          date: fmt(pc, info, info.effectiveAt),
        })}
      </p>
      {notMe ? <p>{tr('replacement.not_me.lead', { account: info.maskedAccount })}</p> : null}
      <form method="post" action={`${notMe ? '/replacement/not-me' : '/replacement/cancel'}${q}`}>
        <Csrf pc={pc} />
        <button type="submit" class="danger">
          {tr(notMe ? 'replacement.not_me.submit' : 'replacement.cancel.submit')}
        </button>
      </form>
      {notMe ? null : (
        <p>
          <a href={`/replacement/not-me${q}`}>{tr('replacement.cancel.not_me')}</a>
        </p>
      )}
    </div>
  );
}

/** Cancelled by a link; "this wasn't me" also leads to a new password. `publicUrl`: this Mamori's address. */
export function LinkDonePage(props: { pc: PageContext; notMe: boolean; publicUrl: string }) {
  const { notMe } = props;
  const tr = translator(props.pc.locale);
  return (
    <div class="card narrow">
      <h1>{tr('replacement.cancel.done_title')}</h1>
      {notMe ? (
        <div>
          <Notice kind="ok">
            {tr('replacement.not_me.done', { forgotUrl: `${props.publicUrl}/forgot` })}
          </Notice>
          <p>
            <a class="button" href="/forgot" data-testid="reset-password">
              {tr('replacement.not_me.reset')}
            </a>
          </p>
          <p>{tr('replacement.not_me.then')}</p>
        </div>
      ) : (
        <div>
          <Notice kind="ok">{tr('replacement.cancel.done')}</Notice>
          <p>
            <a class="button" href="/sign-in">
              {tr('replacement.cancel.sign_in')}
            </a>
          </p>
        </div>
      )}
    </div>
  );
}

/** The recovery code skipped the wait: the change took effect; the new recovery code, shown once. */
export function AppliedPage(props: { pc: PageContext; code: string }) {
  const tr = translator(props.pc.locale);
  return (
    <div class="card narrow">
      <h1>{tr('replacement.applied.title')}</h1>
      <p class="lead">{tr('replacement.applied.lead')}</p>
      <OneTimeRecoveryCode tr={tr} code={props.code} />
      <p>{tr('recovery.keep')}</p>
      <p>
        <a class="button" href="/security">
          {tr('replacement.applied.done')}
        </a>
      </p>
    </div>
  );
}

import { nameInSentence } from '../../i18n/index.ts';
import { AccountEmailField, NewPasswordField, OneTimeRecoveryCode } from '../../web/account-fields.tsx';
import { FormCard } from '../../web/form-kit.tsx';
import { CodeForm, Csrf, Field, Notice, type PageContext, translator } from '../../web/render.tsx';
import type { ResetState } from '../reset-service.ts';

/**
 * The pages of the forgotten password (docs/flows/password-reset.md): props in, markup out. The handlers in
 * routes.tsx load the state, pick the page and send it with its title (`forgot.*` messages).
 */

/** Step 0: the account's address (`error`: why it was refused, under the field). */
export function StartPage(props: { pc: PageContext; email?: string; error?: string }) {
  const { pc } = props;
  const tr = translator(pc.locale);
  return (
    <FormCard
      pc={pc}
      title={tr('forgot.title')}
      lead={tr('forgot.lead')}
      action="/forgot"
      submit={tr('common.next')}
      back={{ href: '/sign-in', label: tr('common.back_to_sign_in') }}
    >
      <AccountEmailField tr={tr} value={props.email} error={props.error} />
    </FormCard>
  );
}

/** The flow has no method to offer: what else may help. */
export function NoMethodPage(props: { pc: PageContext; state: ResetState }) {
  const tr = translator(props.pc.locale);
  return (
    <div class="card narrow">
      <h1>{tr('forgot.none.title')}</h1>
      {props.state.contact ? (
        <Notice kind="warn">
          <span data-testid="reset-contact">
            {tr('error.policy.reset_methods', { contact: props.state.contact })}
          </span>
        </Notice>
      ) : null}
      <p>{tr('forgot.none.lead', { account: props.state.maskedAccount })}</p>
      <ul>
        <li>{tr('forgot.none.option_remember')}</li>
        <li>{tr('forgot.none.option_other_device')}</li>
        <li>{tr('forgot.none.option_support')}</li>
      </ul>
      <p>
        <a href="/sign-in">{tr('common.back_to_sign_in')}</a>
      </p>
    </div>
  );
}

/** Choose a masked method and confirm it (the full address or the last 4 digits). */
export function ChoosePage(props: { pc: PageContext; state: ResetState; error?: string }) {
  const { pc, state } = props;
  const tr = translator(pc.locale);
  return (
    <FormCard
      pc={pc}
      title={tr('forgot.choose.title')}
      lead={
        state.secondProof
          ? tr(state.secondProofBy === 'organisation' ? 'forgot.choose.second_org' : 'forgot.choose.second', {
              account: state.maskedAccount,
            })
          : tr('forgot.choose.lead', { account: state.maskedAccount })
      }
      error={props.error}
      action="/forgot/choose"
      // Nothing is sent for an authenticator app: "get code" only when every choice sends one.
      submit={tr(state.methods.some((m) => m.kind === 'totp') ? 'common.next' : 'forgot.choose.submit')}
      back={{ href: '/forgot/none', label: tr('forgot.choose.none') }}
    >
      <fieldset>
        <legend>{tr('forgot.choose.legend')}</legend>
        {state.methods.map((m, i) => (
          <label class="radio">
            <input type="radio" name="methodId" value={m.id} checked={i === 0} />
            {tr(
              m.kind === 'signin'
                ? 'deadends.forgot.signin'
                : m.kind === 'email'
                  ? 'forgot.choose.email'
                  : m.kind === 'phone'
                    ? 'forgot.choose.phone'
                    : 'forgot.choose.totp',
              {
                masked: nameInSentence(pc.locale, m.masked),
              },
            )}
          </label>
        ))}
      </fieldset>
      {state.methods.some((m) => m.kind !== 'totp') ? (
        // Only an address or a phone is confirmed; an authenticator app needs nothing typed here.
        <Field
          id="confirm"
          name="confirm"
          label={tr(
            !state.methods.some((m) => m.kind === 'phone')
              ? 'forgot.choose.confirm_email'
              : !state.methods.some((m) => m.kind === 'email' || m.kind === 'signin')
                ? 'forgot.choose.confirm_phone'
                : 'forgot.choose.confirm',
          )}
          hint={tr(
            state.methods.some((m) => m.kind === 'totp')
              ? 'forgot.choose.confirm_hint_totp'
              : 'forgot.choose.confirm_hint',
          )}
          maxLength={320}
          autocomplete="off"
        />
      ) : null}
    </FormCard>
  );
}

/** "Choose another way": back to the method list. */
function AnotherWay(props: { pc: PageContext }) {
  const tr = translator(props.pc.locale);
  return (
    <form method="post" action="/forgot/another">
      <Csrf pc={props.pc} />
      <button type="submit" class="link">
        {tr('forgot.code.another')}
      </button>
    </form>
  );
}

/** The code of an authenticator app (nothing was sent). `masked`: the app as the owner named it. */
export function TotpCodePage(props: { pc: PageContext; masked: string; error?: string }) {
  const { pc } = props;
  const tr = translator(pc.locale);
  return (
    <div class="card narrow">
      <h1>{tr('forgot.code.title')}</h1>
      <form method="post" action="/forgot/code" novalidate>
        <Csrf pc={pc} />
        <Field
          id="code"
          name="code"
          label={tr('second.totp_label', { method: nameInSentence(pc.locale, props.masked) })}
          hint={tr('second.totp_hint')}
          autocomplete="one-time-code"
          inputmode="numeric"
          class="code"
          maxLength={12}
          error={props.error}
          required
        />
        <button type="submit">{tr('code.submit')}</button>
      </form>
      <AnotherWay pc={pc} />
    </div>
  );
}

/**
 * The code sent to the chosen method (if the confirmation matched: the page never says which). `minutes`:
 * how long a code lasts; `perDay`: codes a destination gets a day; `now`: for the resend countdown.
 */
export function CodePage(props: {
  pc: PageContext;
  state: ResetState;
  minutes: number;
  perDay: number;
  now: Date;
  error?: string;
  notice?: string;
  resendError?: string;
}) {
  const { pc, state } = props;
  const tr = translator(pc.locale);
  return (
    <div class="card narrow">
      <h1>{tr('forgot.code.title')}</h1>
      {props.notice ? <Notice kind="ok">{props.notice}</Notice> : null}
      {props.resendError ? <Notice kind="error">{props.resendError}</Notice> : null}
      <p class="lead">
        {tr('forgot.code.lead', {
          masked: state.chosen?.masked ?? '',
          minutes: props.minutes,
        })}
      </p>
      <CodeForm
        pc={pc}
        action="/forgot/code"
        resendAction="/forgot/resend"
        resendAt={state.resendAt}
        error={props.error}
        now={props.now}
      />
      <p class="hint">
        {/* A spam folder only for an email: a text message has none. */}
        {tr(state.chosen?.kind === 'phone' ? 'wording.forgot.nothing_sms' : 'forgot.code.nothing', {
          perDay: props.perDay,
        })}
      </p>
      <AnotherWay pc={pc} />
    </div>
  );
}

/** Every proof is done: the new password (`error`: why it was refused, under the field). */
export function NewPasswordPage(props: { pc: PageContext; error?: string }) {
  const { pc } = props;
  const tr = translator(pc.locale);
  return (
    <FormCard
      pc={pc}
      title={tr('forgot.new.title')}
      lead={tr('forgot.new.lead')}
      action="/forgot/new-password"
      submit={tr('forgot.new.submit')}
    >
      <NewPasswordField tr={tr} error={props.error} />
    </FormCard>
  );
}

/**
 * "I don't have any of these": the recovery code (when a flow is open) and the other ways. `from`: the
 * local page it was chosen from (the reset, or the sign-in second step), for the back link.
 */
export function NonePage(props: { pc: PageContext; hasFlow: boolean; from: string; error?: string }) {
  const { pc, hasFlow, from } = props;
  const tr = translator(pc.locale);
  const fromSecond = from === '/sign-in/verify';
  return (
    <div class="card narrow">
      <h1>{tr('forgot.none.title')}</h1>
      {hasFlow ? (
        <form method="post" action="/forgot/recovery-code" novalidate>
          <Csrf pc={pc} />
          <h2>{tr('forgot.recovery.title')}</h2>
          <Field
            id="recoveryCode"
            name="recoveryCode"
            label={tr('forgot.recovery.label')}
            hint={tr('forgot.recovery.hint')}
            autocomplete="off"
            maxLength={80}
            error={props.error}
          />
          <button type="submit">{tr('common.next')}</button>
        </form>
      ) : null}
      <div class={hasFlow ? 'alt-block' : undefined}>
        <p>{tr('forgot.none.lead_generic')}</p>
        <ul>
          {/* From the second step the password was right: no "try an old password". */}
          {fromSecond ? (
            <li>
              <a href="/sign-in/verify#recoveryCode">{tr('wording.none.recovery_code')}</a>
            </li>
          ) : (
            <li>{tr('forgot.none.option_remember')}</li>
          )}
          <li>{tr('forgot.none.option_other_device')}</li>
          <li>{tr('forgot.none.option_support')}</li>
        </ul>
        <p>
          <a href="/recovery-form">{tr('recovery_form.entry_link')}</a>
        </p>
      </div>
      <p>
        <a href={from}>{tr('common.back')}</a>
      </p>
    </div>
  );
}

/** The recovery code typed is spent: its replacement, shown once, before the new password. */
export function NewRecoveryCodePage(props: { pc: PageContext; code: string; secondProof?: boolean }) {
  const tr = translator(props.pc.locale);
  return (
    <div class="card narrow">
      <h1>{tr('reccode.reset.title')}</h1>
      <p>{tr('reccode.reset.lead')}</p>
      <OneTimeRecoveryCode tr={tr} code={props.code} />
      <p>
        <a class="button" href="/forgot">
          {tr(props.secondProof ? 'reccode.reset.next_second' : 'reccode.reset.next')}
        </a>
      </p>
    </div>
  );
}

/** Done, with a new recovery code to keep (shown once). */
export function ResetDonePage(props: { pc: PageContext; code: string }) {
  const tr = translator(props.pc.locale);
  return (
    <div class="card narrow">
      <h1>{tr('recovery.title')}</h1>
      <Notice kind="ok">{tr('signin.notice.reset')}</Notice>
      <p>{tr('forgot.recovery.new')}</p>
      <OneTimeRecoveryCode tr={tr} code={props.code} />
      <p>
        <a class="button" href="/sign-in">
          {tr('recovery.done')}
        </a>
      </p>
    </div>
  );
}

import { phoneCountries } from '../../security-info/phone/parse-phone.ts';
import { AccountEmailField, NewPasswordField } from '../../web/account-fields.tsx';
import { FormCard } from '../../web/form-kit.tsx';
import { CodeForm, Csrf, Field, Notice, type PageContext, translator } from '../../web/render.tsx';
import {
  DEVICE_CHOICES,
  dueText,
  type FormState,
  MAX_CONTACTS,
  MAX_COUNTRIES,
  MAX_PASSWORDS,
  type ReplacementOutcome,
} from '../form-service.ts';
import type { PowChallenge } from '../pow.ts';

/**
 * The pages of the account recovery form (docs/flows/recovery-form.md): props in, markup out. The handlers
 * in routes.tsx load the state, pick the page and send it with its title (`recovery_form.*` messages).
 */

/** Step 1: the account, a contact email, and the proof of work the browser solves (`pow`). */
export function StartPage(props: {
  pc: PageContext;
  pow: PowChallenge;
  account?: string;
  contactEmail?: string;
  accountError?: string;
  contactError?: string;
  error?: string;
}) {
  const { pc } = props;
  const tr = translator(pc.locale);
  return (
    <div class="card narrow">
      <link rel="stylesheet" href="/assets/recovery-form.css" />
      <h1>{tr('recovery_form.title')}</h1>
      <p class="lead">{tr('recovery_form.lead')}</p>
      <Notice kind="warn">{tr('recovery_form.two_step_note')}</Notice>
      {props.error ? <Notice kind="error">{props.error}</Notice> : null}
      <form method="post" action="/recovery-form" novalidate>
        <Csrf pc={pc} />
        <AccountEmailField
          tr={tr}
          id="account"
          label={tr('recovery_form.field.account')}
          value={props.account}
          error={props.accountError}
        />
        <Field
          id="contactEmail"
          name="contactEmail"
          type="email"
          label={tr('recovery_form.field.contact')}
          hint={tr('recovery_form.field.contact_hint')}
          value={props.contactEmail}
          error={props.contactError}
          autocomplete="email"
          maxLength={320}
          required
        />
        <div class="rf-pow">
          <input type="hidden" name="pow" value="" data-pow={JSON.stringify(props.pow)} />
          <p
            class="hint"
            data-pow-status
            data-working={tr('recovery_form.pow.working')}
            data-done={tr('recovery_form.pow.done')}
            data-failed={tr('recovery_form.pow.failed')}
            hidden
            aria-live="polite"
          />
          <noscript>
            <div class="notice warn" role="status">
              <p>
                <strong>{tr('recovery_form.pow.label')}</strong>
              </p>
              <p>{tr('recovery_form.pow.noscript')}</p>
            </div>
          </noscript>
        </div>
        <button type="submit">{tr('recovery_form.send_code')}</button>
      </form>
      <p>
        <a href="/forgot">{tr('common.back')}</a>
      </p>
      <script src="/assets/pow.js" defer />
    </div>
  );
}

/** Step 2: the code sent to the contact email. `now`: for the resend countdown. */
export function CodePage(props: {
  pc: PageContext;
  maskedContact: string;
  now: Date;
  error?: string;
  notice?: string;
  resendAt?: Date;
}) {
  const { pc } = props;
  const tr = translator(pc.locale);
  return (
    <div class="card narrow">
      <h1>{tr('recovery_form.code.title')}</h1>
      {props.notice ? <Notice kind="ok">{props.notice}</Notice> : null}
      <p class="lead">{tr('recovery_form.code.lead', { contact: props.maskedContact })}</p>
      <CodeForm
        pc={pc}
        action="/recovery-form/code"
        resendAction="/recovery-form/resend"
        resendAt={props.resendAt ?? null}
        error={props.error}
        now={props.now}
      />
      <p>
        <a href="/recovery-form">{tr('recovery_form.start_over')}</a>
      </p>
    </div>
  );
}

/** Step 3: the evidence (every answer optional). */
export function EvidencePage(props: { pc: PageContext; state: FormState; error?: string }) {
  const { pc } = props;
  const tr = translator(pc.locale);
  const countries = phoneCountries(pc.locale);
  const n = (count: number) => Array.from({ length: count }, (_, i) => i + 1);
  return (
    <div class="card narrow">
      <link rel="stylesheet" href="/assets/recovery-form.css" />
      <h1>{tr('recovery_form.evidence.title')}</h1>
      <p class="lead">{tr('recovery_form.evidence.lead')}</p>
      <p>
        <strong>{tr('recovery_form.evidence.account', { account: props.state.maskedAccount })}</strong>
      </p>
      {props.error ? <Notice kind="error">{props.error}</Notice> : null}
      <form method="post" action="/recovery-form/evidence" novalidate>
        <Csrf pc={pc} />
        <Field
          id="displayName"
          name="displayName"
          label={tr('recovery_form.evidence.name')}
          autocomplete="name"
          maxLength={200}
        />
        <div class="rf-section">
          <fieldset>
            <legend>{tr('recovery_form.evidence.passwords')}</legend>
            <p class="hint">{tr('recovery_form.evidence.passwords_hint')}</p>
            {n(MAX_PASSWORDS).map((i) => (
              <Field
                id={`password${i}`}
                name={`password${i}`}
                type="password"
                label={tr('recovery_form.evidence.password_n', { n: i })}
                autocomplete="off"
                maxLength={1024}
              />
            ))}
          </fieldset>
        </div>
        <div class="rf-section">
          <fieldset>
            <legend>{tr('recovery_form.evidence.countries')}</legend>
            {n(MAX_COUNTRIES).map((i) => (
              <div>
                <label for={`country${i}`}>{tr('recovery_form.evidence.country_n', { n: i })}</label>
                <select id={`country${i}`} name={`country${i}`}>
                  <option value="">{tr('recovery_form.evidence.country_none')}</option>
                  {countries.map((c) => (
                    <option value={c.code}>{c.name}</option>
                  ))}
                </select>
              </div>
            ))}
          </fieldset>
        </div>
        <div class="rf-section">
          <fieldset>
            <legend>{tr('recovery_form.evidence.devices')}</legend>
            <div class="rf-checks">
              {DEVICE_CHOICES.map((d) => (
                <label>
                  <input type="checkbox" name="devices" value={d} /> {tr(`recovery_form.device.${d}`)}
                </label>
              ))}
            </div>
          </fieldset>
        </div>
        <div class="rf-section">
          <fieldset>
            <legend>{tr('recovery_form.evidence.emails')}</legend>
            {n(MAX_CONTACTS).map((i) => (
              <Field
                id={`email${i}`}
                name={`email${i}`}
                type="email"
                label={tr('recovery_form.evidence.email_n', { n: i })}
                autocomplete="off"
                maxLength={320}
              />
            ))}
          </fieldset>
        </div>
        <div class="rf-section">
          <fieldset>
            <legend>{tr('recovery_form.evidence.phones')}</legend>
            <label for="phoneCountry">{tr('recovery_form.evidence.phone_country')}</label>
            <select id="phoneCountry" name="phoneCountry">
              {countries.map((c) => (
                <option value={c.code} selected={c.code === 'JP'}>
                  {`${c.name} (${c.dial})`}
                </option>
              ))}
            </select>
            {n(2).map((i) => (
              <Field
                id={`phone${i}`}
                name={`phone${i}`}
                type="tel"
                inputmode="tel"
                label={tr('recovery_form.evidence.phone_n', { n: i })}
                autocomplete="off"
                maxLength={64}
              />
            ))}
          </fieldset>
        </div>
        {props.state.providers.length > 0 ? (
          <div class="rf-section">
            <fieldset>
              <legend>{tr('recovery_form.evidence.more')}</legend>
              {props.state.providers.map((p) => (
                <Field
                  id={`provider_${p.name}`}
                  name={`provider_${p.name}`}
                  label={p.label[pc.locale]}
                  autocomplete="off"
                  maxLength={200}
                />
              ))}
            </fieldset>
          </div>
        ) : null}
        <button type="submit">{tr('recovery_form.evidence.submit')}</button>
      </form>
    </div>
  );
}

/** Sent: the answer goes to the contact email by `dueAt`. */
export function SentPage(props: { pc: PageContext; maskedContact: string; dueAt: Date }) {
  const { pc } = props;
  const tr = translator(pc.locale);
  return (
    <div class="card narrow">
      <h1>{tr('recovery_form.sent.title')}</h1>
      <Notice kind="ok">
        {tr('recovery_form.sent.body', {
          contact: props.maskedContact,
          due: dueText(pc.locale, props.dueAt),
        })}
      </Notice>
      <p>{tr('recovery_form.sent.next')}</p>
      <p>
        <a href="/sign-in">{tr('common.back_to_sign_in')}</a>
      </p>
    </div>
  );
}

/** The one-time link of an approval: the new password (`error`: why it was refused, under the field). */
export function ResetPage(props: {
  pc: PageContext;
  linkToken: string;
  maskedAccount: string;
  contactEmail: string;
  error?: string;
}) {
  const { pc } = props;
  const tr = translator(pc.locale);
  return (
    <FormCard
      pc={pc}
      title={tr('recovery_form.reset.title')}
      lead={tr('recovery_form.reset.lead', { account: props.maskedAccount })}
      before={<Notice kind="warn">{tr('recovery_form.reset.info', { contact: props.contactEmail })}</Notice>}
      action={`/recovery-form/reset/${props.linkToken}`}
      submit={tr('recovery_form.reset.submit')}
    >
      <NewPasswordField tr={tr} error={props.error} ruleHint={false} />
    </FormCard>
  );
}

/** Done: the password is set; the replacement of the security info started (or one was already pending). */
export function DonePage(props: { pc: PageContext; replacement: ReplacementOutcome }) {
  const tr = translator(props.pc.locale);
  return (
    <div class="card narrow">
      <h1>{tr('recovery_form.done.title')}</h1>
      <Notice kind="ok">{tr('recovery_form.done.body')}</Notice>
      <p>
        {props.replacement === 'started'
          ? tr('recovery_form.done.replacement')
          : tr('recovery_form.done.replacement_pending')}
      </p>
      <p>
        <a class="button" href="/sign-in">
          {tr('signin.submit')}
        </a>
      </p>
    </div>
  );
}

import { Csrf, Field, Notice, type PageContext, type T as Translate } from './render.tsx';

/**
 * Pieces of the account pages that several capabilities' edges draw the same way (issue 12): the account's
 * address ("who are you"), a new password, the choice offered for a mistyped contact address, and a
 * recovery code shown once. They live here, beside
 * phone-fields.tsx, because one capability's http/ folder never imports another's.
 */

/**
 * The account's sign-in address (`type="email"`, at most 320 characters, required). By default the field
 * `email` labelled "Email address" with `autocomplete="username"` (sign-in, forgot password); `id`/`label`
 * name another field (the recovery form's account), `autocomplete="email"` an address not yet an account's
 * (sign-up). `error` is shown under the field and referenced by `aria-describedby`.
 */
export function AccountEmailField(p: {
  tr: Translate;
  value?: string;
  error?: string;
  hint?: string;
  id?: string;
  label?: string;
  autocomplete?: 'username' | 'email';
}) {
  const id = p.id ?? 'email';
  return (
    <Field
      id={id}
      name={id}
      type="email"
      label={p.label ?? p.tr('field.email')}
      value={p.value}
      autocomplete={p.autocomplete ?? 'username'}
      required
      maxLength={320}
      error={p.error}
      hint={p.hint}
    />
  );
}

/**
 * The new password field (`password`, `autocomplete="new-password"`, at most 1024 characters, required)
 * with the password rule as its hint, for every form that sets one: sign-up, change, reset, the recovery
 * form's link. `ruleHint: false` leaves the hint out (the recovery form's link page never showed it).
 * The value is never drawn back.
 */
export function NewPasswordField(p: { tr: Translate; error?: string; ruleHint?: boolean }) {
  return (
    <Field
      id="password"
      name="password"
      type="password"
      label={p.tr('field.new_password')}
      autocomplete="new-password"
      required
      maxLength={1024}
      error={p.error}
      hint={p.ruleHint === false ? undefined : p.tr('password.hint')}
    />
  );
}

/** A new recovery code, shown once: the warning that it will not be shown again, then the code itself. */
export function OneTimeRecoveryCode(p: { tr: Translate; code: string }) {
  return (
    <>
      <Notice kind="warn">{p.tr('recovery.once')}</Notice>
      <p class="recovery-code" data-testid="recovery-code">
        <code>{p.code}</code>
      </p>
    </>
  );
}

/**
 * A contact address that looks mistyped (`contact.email_typo`): the suggestion, and one button each to use
 * it or to keep the address as `typed` (`acceptTypo=true`), both posting to `action` with the fields of
 * `keep` (for example the contact's label) as they were. Drawn above the form it came from.
 */
export function EmailTypoChoice(p: {
  pc: PageContext;
  tr: Translate;
  action: string;
  suggestion: string;
  typed: string;
  keep?: Record<string, string>;
}) {
  const kept = Object.entries(p.keep ?? {}).map(([name, value]) => (
    <input type="hidden" name={name} value={value} />
  ));
  return (
    <Notice kind="warn">
      <p>{p.tr('add_email.typo', { suggestion: p.suggestion })}</p>
      <form method="post" action={p.action} class="inline">
        <Csrf pc={p.pc} />
        <input type="hidden" name="email" value={p.suggestion} />
        {kept}
        <button type="submit">{p.tr('add_email.use_suggestion', { suggestion: p.suggestion })}</button>
      </form>{' '}
      <form method="post" action={p.action} class="inline">
        <Csrf pc={p.pc} />
        <input type="hidden" name="email" value={p.typed} />
        {kept}
        <input type="hidden" name="acceptTypo" value="true" />
        <button type="submit" class="secondary">
          {p.tr('add_email.keep', { email: p.typed })}
        </button>
      </form>
    </Notice>
  );
}

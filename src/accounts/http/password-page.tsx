import { Csrf, Field, type PageContext, translator } from '../../web/render.tsx';

/** The password change form: the new password, and whether to end the other sessions (checked). */
export function PasswordPage({ pc, error }: { pc: PageContext; error?: string }) {
  const tr = translator(pc.locale);
  return (
    <div class="card narrow">
      <h1>{tr('password.title')}</h1>
      <form method="post" action="/security/password" novalidate>
        <Csrf pc={pc} />
        <Field
          id="password"
          name="password"
          type="password"
          label={tr('field.new_password')}
          autocomplete="new-password"
          required
          maxLength={1024}
          error={error}
          hint={tr('password.hint')}
        />
        <label class="radio">
          <input type="checkbox" name="endOtherSessions" value="true" checked /> {tr('password.end_others')}
        </label>
        <input type="hidden" name="endOtherSessionsShown" value="1" />
        <button type="submit">{tr('password.submit')}</button>
      </form>
      <p>
        <a href="/security">{tr('common.back')}</a>
      </p>
    </div>
  );
}

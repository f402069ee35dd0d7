import { NewPasswordField } from '../../web/account-fields.tsx';
import { FormCard } from '../../web/form-kit.tsx';
import type { PageContext, T as Translate } from '../../web/render.tsx';

/**
 * The password change form (`/security/password`): the new password (with `error` under it), and whether to
 * end the other sessions (checked; `endOtherSessionsShown` tells the service the box was offered).
 */
export function PasswordPage({ pc, tr, error }: { pc: PageContext; tr: Translate; error?: string }) {
  return (
    <FormCard
      pc={pc}
      title={tr('password.title')}
      action="/security/password"
      submit={tr('password.submit')}
      back={{ href: '/security', label: tr('common.back') }}
    >
      <NewPasswordField tr={tr} error={error} />
      <label class="radio">
        <input type="checkbox" name="endOtherSessions" value="true" checked /> {tr('password.end_others')}
      </label>
      <input type="hidden" name="endOtherSessionsShown" value="1" />
    </FormCard>
  );
}

import type { MessageKey } from '../i18n/index.ts';
import type { T } from './render.tsx';

/**
 * What every page that runs a passkey ceremony shares (adding one under security info, signing in with
 * one, the second step of a sign-in): the script's path, its messages and its notices.
 */

/** The passkey script (served by security-info/http/passkey-routes.tsx). */
export const PASSKEY_SCRIPT = '/assets/passkeys.js';

/**
 * The messages the script shows, carried on the form as data-msg-* attributes (no inline script under
 * the CSP). Spread them on any `<form data-passkey="register|signin" data-endpoint="…">`.
 */
export function passkeyScriptMessages(tr: T, failed: MessageKey, cancelled: MessageKey) {
  return {
    'data-msg-waiting': tr('passkey.waiting'),
    'data-msg-cancelled': tr(cancelled),
    'data-msg-unsupported': tr('passkey.unsupported'),
    'data-msg-failed': tr(failed),
    'data-msg-already': tr('error.contact.already_added'),
  };
}

/** The no-JavaScript notice and the (hidden until needed) error box the script writes to. */
export function PasskeyNotices(props: { noscript: string }) {
  return (
    <div>
      <noscript>
        <div class="notice warn" role="status">
          {props.noscript}
        </div>
      </noscript>
      <div id="passkey-error" class="notice error" role="alert" hidden />
    </div>
  );
}

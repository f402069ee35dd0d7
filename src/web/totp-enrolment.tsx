import type { T as Translate } from './render.tsx';

/**
 * The steps of adding an authenticator app, drawn above the form that takes its first code: install an app,
 * scan the QR code (`qrSvg`, an SVG drawn by the server), or type the key by hand (`manualKey`). Shared by
 * a user's authenticator setup and an operator's first sign-in.
 */
export function TotpEnrolment(p: { tr: Translate; qrSvg: string; manualKey: string }) {
  const { tr } = p;
  return (
    <>
      <ol class="steps">
        <li>{tr('totp.step_install')}</li>
        <li>{tr('totp.step_scan')}</li>
      </ol>
      <div
        class="qr"
        role="img"
        aria-label={tr('totp.qr_label')}
        dangerouslySetInnerHTML={{ __html: p.qrSvg }}
      />
      <p class="hint">{tr('totp.manual')}</p>
      <p class="manual-key" data-testid="manual-key">
        <code>{p.manualKey}</code>
      </p>
    </>
  );
}

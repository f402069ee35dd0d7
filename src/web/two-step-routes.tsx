import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { secondFactorCount, setTwoStep } from '../accounts/two-step-service.ts';
import { recordActivity } from '../activity/activity.ts';
import { describeDevice, deviceLabel } from '../activity/device.ts';
import type { Deps } from '../deps.ts';
import { formatDateTime } from '../i18n/index.ts';
import { normalizeLabel } from '../security-info/label.ts';
import { createRecoveryCode } from '../security-info/recovery-code-service.ts';
import { confirmTotp, pendingTotp, startTotp } from '../security-info/totp-service.ts';
import type { SessionView } from '../sessions/session-cache.ts';
import { listTrustedDevices, revokeTrustedDevices } from '../sessions/trusted-devices.ts';
import { Csrf, Field, Notice, pageContext, sendPage, translator } from './render.tsx';
import { attempt, body, freshOrRedirect, sessionOrRedirect } from './web-helpers.ts';

type Req = FastifyRequest;
type Rep = FastifyReply;

/** Authenticator apps, recovery code, two-step verification on/off, trusted devices. */
export function twoStepRoutes(web: FastifyInstance, deps: Deps): void {
  // Authenticator app
  const totpPage = async (
    req: Req,
    reply: Rep,
    s: SessionView,
    methodId: string,
    error?: string,
    status = 200,
  ) => {
    const enrolment = await pendingTotp(deps, s, methodId);
    if (!enrolment) return reply.redirect('/security', 303);
    const pc = pageContext(req, reply);
    const tr = translator(pc.locale);
    return sendPage(
      reply,
      pc,
      tr('totp.title'),
      <div class="card narrow">
        <h1>{tr('totp.title')}</h1>
        <ol class="steps">
          <li>{tr('totp.step_install')}</li>
          <li>{tr('totp.step_scan')}</li>
        </ol>
        <div
          class="qr"
          role="img"
          aria-label={tr('totp.qr_label')}
          dangerouslySetInnerHTML={{ __html: enrolment.qrSvg }}
        />
        <p class="hint">{tr('totp.manual')}</p>
        <p class="manual-key" data-testid="manual-key">
          <code>{enrolment.manualKey}</code>
        </p>
        <form method="post" action={`/security/totp/${enrolment.methodId}`} novalidate>
          <Csrf pc={pc} />
          <Field
            id="code"
            name="code"
            label={tr('totp.step_code')}
            autocomplete="one-time-code"
            inputmode="numeric"
            class="code"
            maxLength={12}
            error={error}
            required
          />
          <button type="submit">{tr('totp.submit')}</button>
        </form>
        <p>
          <a href="/security">{tr('common.cancel')}</a>
        </p>
      </div>,
      status,
    );
  };
  web.post('/security/totp', { preValidation: web.csrfProtection }, async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s || !freshOrRedirect(deps, reply, s, '/security')) return reply;
    const label = normalizeLabel(body(req).label) ?? '';
    const r = await startTotp(deps, s, label);
    return reply.redirect(`/security/totp/${r.methodId}`, 303);
  });
  web.get('/security/totp/:id', async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s) return reply;
    return totpPage(req, reply, s, (req.params as { id: string }).id);
  });
  web.post('/security/totp/:id', { preValidation: web.csrfProtection }, async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s) return reply;
    const id = (req.params as { id: string }).id;
    const r = await attempt(req, () => confirmTotp(deps, s, id, body(req).code, req.ctx));
    if (!r.ok) return totpPage(req, reply, s, id, r.message, r.error.status);
    return reply.redirect('/security?done=totp', 303);
  });

  // Recovery code
  web.post('/security/recovery-code', { preValidation: web.csrfProtection }, async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s || !freshOrRedirect(deps, reply, s, '/security')) return reply;
    const { recoveryCode: code, replaced } = await createRecoveryCode(deps, s, req.ctx);
    const pc = pageContext(req, reply);
    const tr = translator(pc.locale);
    return sendPage(
      reply,
      pc,
      tr('recovery.title'),
      <div class="card narrow">
        <h1>{tr('recovery.title')}</h1>
        <Notice kind="warn">{tr('recovery.once')}</Notice>
        <p class="recovery-code" data-testid="recovery-code">
          <code>{code}</code>
        </p>
        <p>{tr('recovery.keep')}</p>
        {replaced ? <p class="hint">{tr('recovery.old_invalid')}</p> : null}
        <p>
          <a class="button" href="/security">
            {tr('recovery.done')}
          </a>
        </p>
      </div>,
    );
  });

  // Two-step verification
  const twoStepPage = async (req: Req, reply: Rep, s: SessionView, error?: string, status = 200) => {
    const pc = pageContext(req, reply);
    const tr = translator(pc.locale);
    const count = await secondFactorCount(deps, s.accountId);
    return sendPage(
      reply,
      pc,
      tr('twostep.title'),
      <div class="card narrow">
        <h1>{tr('twostep.title')}</h1>
        <p class="lead">{tr(s.twoStep ? 'twostep.on_lead' : 'twostep.off_lead')}</p>
        {error ? <Notice kind="error">{error}</Notice> : null}
        {!s.twoStep && count < 2 ? (
          <Notice kind="warn">{tr('twostep.need_methods', { count })}</Notice>
        ) : null}
        <form method="post" action="/security/two-step">
          <Csrf pc={pc} />
          <input type="hidden" name="enabled" value={s.twoStep ? 'false' : 'true'} />
          <button type="submit" class={s.twoStep ? 'danger' : undefined} disabled={!s.twoStep && count < 2}>
            {tr(s.twoStep ? 'twostep.turn_off' : 'twostep.turn_on')}
          </button>
        </form>
        <p>
          <a href="/security">{tr('common.back')}</a>
        </p>
      </div>,
      status,
    );
  };
  web.get('/security/two-step', async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s) return reply;
    return twoStepPage(req, reply, s);
  });
  web.post('/security/two-step', { preValidation: web.csrfProtection }, async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s || !freshOrRedirect(deps, reply, s, '/security/two-step')) return reply;
    const on = body(req).enabled === 'true';
    const r = await attempt(req, () => setTwoStep(deps, s, on, req.ctx));
    // The real reason when it is refused: too few methods, a replacement under way, …
    if (!r.ok) return twoStepPage(req, reply, s, r.message, r.error.status);
    return reply.redirect(`/security?done=${on ? 'two_step_on' : 'two_step_off'}`, 303);
  });

  // Trusted devices
  web.get('/security/devices', async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s) return reply;
    const pc = pageContext(req, reply);
    const tr = translator(pc.locale);
    const devices = await listTrustedDevices(deps, s.accountId);
    return sendPage(
      reply,
      pc,
      tr('devices.title'),
      <div class="card">
        <h1>{tr('devices.title')}</h1>
        <p class="lead">{tr('devices.lead', { days: deps.config.trustedDeviceDays })}</p>
        {devices.length === 0 ? <p>{tr('devices.none')}</p> : null}
        {devices.length > 0 ? (
          <div class="table-wrap">
            <table class="stack">
              <thead>
                <tr>
                  <th>{tr('sessions.device')}</th>
                  <th>{tr('sessions.ip')}</th>
                  <th>{tr('devices.until')}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {devices.map((d) => (
                  <tr data-testid="trusted-device">
                    <td data-label={tr('sessions.device')} class="primary">
                      {deviceLabel(describeDevice(d.userAgent), pc.locale)}
                    </td>
                    <td data-label={tr('sessions.ip')}>{d.ip}</td>
                    <td data-label={tr('devices.until')}>
                      {formatDateTime(pc.locale, d.expiresAt, s.timeZone)}
                    </td>
                    <td class="row-action">
                      <form method="post" action={`/security/devices/${d.publicId}/revoke`}>
                        <Csrf pc={pc} />
                        <button type="submit" class="secondary">
                          {tr('devices.revoke')}
                        </button>
                      </form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        {devices.length > 1 ? (
          <form method="post" action="/security/devices/revoke-all">
            <Csrf pc={pc} />
            <button type="submit" class="danger">
              {tr('devices.revoke_all')}
            </button>
          </form>
        ) : null}
        <p>
          <a href="/security">{tr('common.back')}</a>
        </p>
      </div>,
    );
  });
  const revoke = async (req: Req, reply: Rep, publicId: string | null) => {
    const s = sessionOrRedirect(req, reply);
    if (!s) return reply;
    await deps.db.tx(async (tx) => {
      const n = await revokeTrustedDevices(tx, s.accountId, publicId);
      if (n > 0)
        await recordActivity(tx, deps.random, deps.clock.now(), s.accountId, 'device.revoked', req.ctx, {
          count: String(n),
        });
    });
    return reply.redirect('/security/devices', 303);
  };
  web.post('/security/devices/:id/revoke', { preValidation: web.csrfProtection }, async (req, reply) =>
    revoke(req, reply, (req.params as { id: string }).id),
  );
  web.post('/security/devices/revoke-all', { preValidation: web.csrfProtection }, async (req, reply) =>
    revoke(req, reply, null),
  );
}

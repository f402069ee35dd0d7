import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { describeDevice, deviceLabel } from '../../activity/device.ts';
import type { Deps } from '../../deps.ts';
import { formatDateTime } from '../../i18n/index.ts';
import { Csrf, pageContext, sendPage, translator } from '../../web/render.tsx';
import { sessionOrRedirect } from '../../web/web-helpers.ts';
import { listTrustedDevices, revokeTrustedDevices } from '../trusted-devices.ts';

type Req = FastifyRequest;
type Rep = FastifyReply;

/** The devices trusted to skip the second step (`/security/devices`): list, revoke one, revoke all. */
export function trustedDevicesRoutes(
  web: FastifyInstance,
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'emit'>,
): void {
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
        await deps.emit(tx, {
          type: 'device.revoked',
          accountId: s.accountId,
          ctx: req.ctx,
          at: deps.clock.now(),
          detail: { count: String(n) },
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

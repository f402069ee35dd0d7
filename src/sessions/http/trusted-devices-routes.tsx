import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { formatDateTime } from '../../i18n/index.ts';
import { formSchema, readParams, text } from '../../web/form-kit.tsx';
import { pageContext, sendPage, translator } from '../../web/render.tsx';
import { sessionOrRedirect } from '../../web/web-helpers.ts';
import { listTrustedDevices, revokeTrustedDevices } from '../trusted-devices.ts';
import { DeviceTable } from './pages.tsx';

/** The trusted device a form is about (`/security/devices/:id/revoke`, its public id). */
const DeviceParams = formSchema({ id: text() });

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
          <DeviceTable
            pc={pc}
            whenLabel={tr('devices.until')}
            testId="trusted-device"
            rows={devices.map((d) => ({
              userAgent: d.userAgent,
              ip: d.ip,
              when: formatDateTime(pc.locale, d.expiresAt, s.timeZone),
              end: `/security/devices/${d.publicId}/revoke`,
            }))}
            endLabel={tr('devices.revoke')}
            endAll={{ action: '/security/devices/revoke-all', label: tr('devices.revoke_all') }}
          />
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
    revoke(req, reply, readParams(req, DeviceParams).id ?? ''),
  );
  web.post('/security/devices/revoke-all', { preValidation: web.csrfProtection }, async (req, reply) =>
    revoke(req, reply, null),
  );
}

/**
 * Registering applications and webhook endpoints in the operator console (/operator/apps): operator admins
 * register the deployment's own and see every organisation's clients; reviewers only look; every change is in
 * the operator audit log (and in the organisation's when it concerns one).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientForProvider, registerClient } from '../../src/apps/registry/clients.ts';
import { createTestApp, type TestApp } from '../support/harness.ts';
import { enrolledOperator, operatorConsole } from '../support/operator.ts';
import { orgWithAdmin } from '../support/orgs.ts';
import { visibleText } from '../web/page-text.ts';
import { OPERATOR_APPS, postPairs, registerOnPage, shownSecret } from './apps-registry-support.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ env: { APPS_ALLOW_PRIVATE_NETWORKS: 'false' } });
});
afterAll(async () => {
  await t.close();
});

const operatorAudit = (operatorId: string) =>
  t.app.deps.db.query<{ action: string; target: string; detail: Record<string, string> }>(
    'SELECT action, target, detail FROM operator_audit WHERE operator_id = $1 ORDER BY created_at, id',
    [operatorId],
  );

describe('applications in the operator console', () => {
  it('registers a deployment client (secret once), lists organisations’ clients with their owner, audits', async () => {
    const { orgId, admin } = await orgWithAdmin(t, { name: '株式会社ミナト' });
    await registerClient(
      t.app.deps,
      { kind: 'org_admin', id: admin.accountId, orgId },
      {
        orgId,
        name: 'ミナト経費精算',
        type: 'confidential',
        redirectUris: ['https://keihi.minato.example/cb'],
      },
    );
    const op = await enrolledOperator(t, { role: 'admin' });
    const c = await operatorConsole(t, op);
    const nav = await c.get('/operator');
    expect(nav.body).toContain(`href="${OPERATOR_APPS}"`);

    const { res, clientId, secret } = await registerOnPage(c, OPERATOR_APPS, { name: 'Mamori portal' });
    expect(res.statusCode).toBe(200);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await clientForProvider(t.app.deps, clientId!))?.orgId).toBeNull();

    const list = await c.get(OPERATOR_APPS);
    const text = visibleText(list.body);
    expect(text).toContain('Mamori portal');
    expect(text).toContain('ミナト経費精算');
    expect(text).toContain('株式会社ミナト');
    expect(text).toContain('サービス全体');
    expect(list.body).not.toContain(secret!);

    const audit = await operatorAudit(op.id);
    expect(audit.find((e) => e.action === 'apps.client_register')).toMatchObject({
      target: 'Mamori portal',
      detail: { clientId, type: 'confidential' },
    });
  });

  it('acts on an organisation’s client, written to both audit logs', async () => {
    const { orgId, admin } = await orgWithAdmin(t);
    const { clientId } = await registerClient(
      t.app.deps,
      { kind: 'org_admin', id: admin.accountId, orgId },
      { orgId, name: 'Org app', type: 'confidential', redirectUris: ['https://org.example.com/cb'] },
    );
    const op = await enrolledOperator(t, { role: 'admin' });
    const c = await operatorConsole(t, op);
    const path = `${OPERATOR_APPS}/clients/${clientId}`;
    const detail = await c.get(path);
    expect(detail.body).toMatch(/data-testid="owner">株式会社サンプル</);
    const off = await c.post(`${path}/disable`, {});
    expect(off.statusCode).toBe(303);
    expect((await clientForProvider(t.app.deps, clientId))?.disabled).toBe(true);
    expect((await operatorAudit(op.id)).map((e) => e.action)).toContain('apps.client_disable');
    const orgRows = await t.app.deps.db.query<{ action: string; actor_kind: string }>(
      `SELECT action, actor_kind FROM org_audit WHERE org_id = $1 AND action = 'app.disabled'`,
      [orgId],
    );
    expect(orgRows).toEqual([{ action: 'app.disabled', actor_kind: 'operator' }]);
  });

  it('registers and rotates a deployment webhook endpoint in English', async () => {
    const op = await enrolledOperator(t, { role: 'admin' });
    const c = await operatorConsole(t, op);
    c.jar.set('mamori_lang', 'en');
    const hooks = `${OPERATOR_APPS}/webhooks`;
    const res = await postPairs(t, c, hooks, hooks, [
      ['url', 'https://siem.example.net/mamori'],
      ['events', 'account.secured'],
    ]);
    expect(res.statusCode).toBe(200);
    expect(shownSecret(res.body)).toMatch(/^whsec_/);
    expect(visibleText(res.body)).toContain('This is the only time it is shown');
    const id = (
      await t.app.deps.db.query<{ id: string; org_id: string | null }>(
        'SELECT id, org_id FROM webhook_endpoints WHERE url = $1',
        ['https://siem.example.net/mamori'],
      )
    )[0]!;
    expect(id.org_id).toBeNull();
    const rotated = await c.post(`${hooks}/${id.id}/rotate`, {});
    expect(rotated.statusCode).toBe(200);
    expect(shownSecret(rotated.body)).toMatch(/^whsec_/);
    expect((await operatorAudit(op.id)).map((e) => e.action)).toEqual(
      expect.arrayContaining(['apps.webhook_register', 'apps.webhook_secret_rotate']),
    );
  });

  it('lets a reviewer look but not change anything', async () => {
    const admin = await enrolledOperator(t, { role: 'admin' });
    const { clientId } = await registerClient(
      t.app.deps,
      { kind: 'operator', id: admin.id, name: admin.name },
      { orgId: null, name: 'Reviewed app', type: 'confidential', redirectUris: ['https://r.example.com/cb'] },
    );
    const reviewer = await enrolledOperator(t, { role: 'reviewer' });
    const c = await operatorConsole(t, reviewer);
    const list = await c.get(OPERATOR_APPS);
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain('data-testid="register-client"');
    const path = `${OPERATOR_APPS}/clients/${clientId}`;
    const page = await c.get(path);
    expect(page.body).toContain('Reviewed app');
    expect(page.body).not.toContain('data-testid="edit-client"');
    const rotate = await c.post(`${path}/rotate`, {});
    expect(rotate.statusCode).toBe(303);
    expect(shownSecret(rotate.body)).toBeUndefined();
    const registered = await c.post(`${OPERATOR_APPS}/clients`, {
      name: 'Sneaky',
      type: 'confidential',
      redirectUris: 'https://sneaky.example.com/cb',
    });
    expect(registered.statusCode).toBe(303);
    expect(await t.app.deps.db.query(`SELECT 1 FROM app_clients WHERE name = 'Sneaky'`)).toHaveLength(0);
  });

  it('sends someone without an operator session to the operator sign-in', async () => {
    const res = await t.app.http.inject({ method: 'GET', url: OPERATOR_APPS });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/operator/sign-in');
  });
});

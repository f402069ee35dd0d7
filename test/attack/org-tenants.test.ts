import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../http/org-api-support.ts';
import { createTestApp, type TestApp } from '../support/harness.ts';
import { accountIn, addMember, orgWithAdmin } from '../support/orgs.ts';

/**
 * Crossing tenants through the organisation API (PostgreSQL): every operation under /api/v1/orgs/{orgId}, for
 * each token role of organisation A, on organisation B's id (with B's real member and invitation ids) answers
 * exactly as on an unknown organisation id, and changes nothing in B.
 */

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ store: 'postgres' });
});
afterAll(() => t.close());

const snapshot = async (orgId: string) =>
  JSON.stringify(
    await t.app.deps.db.query(
      `SELECT (SELECT count(*) FROM org_audit WHERE org_id = $1)::int AS audit,
              (SELECT count(*) FROM org_policies WHERE org_id = $1)::int AS policies,
              (SELECT count(*) FROM org_invitations WHERE org_id = $1)::int AS invitations,
              (SELECT count(*) FROM temporary_access_passes WHERE org_id = $1)::int AS taps,
              (SELECT string_agg(role, ',' ORDER BY account_id) FROM org_members WHERE org_id = $1) AS roles`,
      [orgId],
    ),
  );

describe("attack: organisation A's tokens on organisation B", () => {
  it('every operation, every role: B looks like an unknown organisation, and nothing in B changes', async () => {
    const a = await orgWithAdmin(t);
    const b = await orgWithAdmin(t);
    const bm = await accountIn(t, b.domain);
    const bMember = await addMember(t, b.orgId, bm.email);
    const { token: bToken } = await createToken(t, b.admin.token, { role: 'org_admin' });
    const inv = await t.api(
      'POST',
      `/api/v1/orgs/${b.orgId}/invitations`,
      { email: 'someone@example.net', role: 'member' },
      bToken,
    );
    expect(inv.status).toBe(201);
    const spec = (await t.api('GET', '/api/openapi.json')).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    const ops = Object.entries(spec.paths)
      .filter(([p]) => p.startsWith('/api/v1/orgs/{orgId}'))
      .flatMap(([p, methods]) => Object.keys(methods).map((m) => [m.toUpperCase(), p] as const));
    expect(ops.length).toBeGreaterThan(10);
    const before = await snapshot(b.orgId);
    for (const role of ['reader', 'auth_admin', 'org_admin'] as const) {
      const { token } = await createToken(t, a.admin.token, { role, name: `probe ${role}` });
      for (const [method, path] of ops) {
        const url = (orgId: string) =>
          path
            .replace('{orgId}', orgId)
            .replace('{accountId}', bMember)
            .replace('{invitationId}', inv.body.id as string);
        const body =
          method === 'GET' || method === 'DELETE'
            ? undefined
            : { role: 'member', email: 'x@example.net', kind: 'email', baseVersion: 1, policy: {} };
        const onB = await t.api(method as never, url(b.orgId), body, token);
        const onUnknown = await t.api(method as never, url('org_doesnotexist00'), body, token);
        expect({ s: onB.status, b: onB.body }, `${role} ${method} ${path}`).toEqual({
          s: onUnknown.status,
          b: onUnknown.body,
        });
        expect(onB.status, `${role} ${method} ${path}`).toBeGreaterThanOrEqual(400);
      }
    }
    expect(await snapshot(b.orgId)).toBe(before);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptInvitation, INVITATIONS_PER_DAY } from '../../src/organisations/invitations.ts';
import { listOrgAudit } from '../../src/organisations/store/audit.ts';
import { createToken } from '../http/org-api-support.ts';
import { createTestApp, type TestApp } from '../support/harness.ts';
import { accountIn, orgWithAdmin, uniqueDomain } from '../support/orgs.ts';

/**
 * Invitations as a mail cannon (PostgreSQL): each invitation emails any address an admin or an organisation
 * token types. Of many concurrent invitations no more than INVITATIONS_PER_DAY a day are sent; the rest are
 * 429 with Retry-After and send nothing. Another organisation is not affected.
 */

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ store: 'postgres' });
});
afterAll(() => t.close());

const outbox = async () =>
  (
    await t.app.deps.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM outbox WHERE kind = 'org_invitation'",
    )
  )[0]!.n;

describe('attack: invitations in bulk', () => {
  it(`${INVITATIONS_PER_DAY + 60} concurrent invitations: ${INVITATIONS_PER_DAY} sent, the rest 429`, async () => {
    const org = await orgWithAdmin(t);
    const other = await orgWithAdmin(t);
    const { token } = await createToken(t, org.admin.token, { role: 'org_admin' });
    const { token: otherToken } = await createToken(t, other.admin.token, { role: 'org_admin' });
    const before = await outbox();
    const answers = [];
    for (let i = 0; i < INVITATIONS_PER_DAY + 60; i += 80)
      answers.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(80, INVITATIONS_PER_DAY + 60 - i) }, (_, j) =>
            t.api(
              'POST',
              `/api/v1/orgs/${org.orgId}/invitations`,
              { email: `victim${i + j}@example.net`, role: 'member' },
              token,
            ),
          ),
        )),
      );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(INVITATIONS_PER_DAY);
    const refused = answers.filter((a) => a.status !== 201);
    expect(refused).toHaveLength(60);
    for (const r of refused) {
      expect(r.status).toBe(429);
      expect(r.body.error?.code).toBe('request.rate_limited');
    }
    expect((await outbox()) - before).toBe(INVITATIONS_PER_DAY);
    // Another organisation still invites.
    expect(
      (
        await t.api(
          'POST',
          `/api/v1/orgs/${other.orgId}/invitations`,
          { email: 'new.hire@example.net', role: 'member' },
          otherToken,
        )
      ).status,
    ).toBe(201);
  });

  it('one invitation accepted 100 times at once, while it is withdrawn: one outcome, never both', async () => {
    for (let round = 0; round < 3; round++) {
      const org = await orgWithAdmin(t);
      const { token } = await createToken(t, org.admin.token, { role: 'org_admin' });
      const invitee = await accountIn(t, uniqueDomain());
      const id = (await t.api('GET', '/api/v1/me', undefined, invitee.token)).body.id as string;
      const sent = await t.api(
        'POST',
        `/api/v1/orgs/${org.orgId}/invitations`,
        { email: invitee.email, role: 'auth_admin' },
        token,
      );
      expect(sent.status).toBe(201);
      await t.drain();
      const raw = /join\?token=([\w-]+)/.exec(t.sink.to(invitee.email).at(-1)!.text)?.[1] ?? '';
      expect(raw).not.toBe('');
      const results = await Promise.allSettled([
        ...Array.from({ length: 100 }, () => acceptInvitation(t.app.deps, { accountId: id }, raw)),
        t.api('DELETE', `/api/v1/orgs/${org.orgId}/invitations/${sent.body.id}`, undefined, token),
      ]);
      const accepted = results.slice(0, 100).filter((r) => r.status === 'fulfilled').length;
      const revoke = results[100] as PromiseFulfilledResult<{ status: number }>;
      expect(accepted + (revoke.value.status === 204 ? 1 : 0), `round ${round}`).toBe(1);
      const audit = await listOrgAudit(t.app.deps.db, org.orgId, 500);
      expect(audit.filter((e) => e.action === 'invitation.accepted')).toHaveLength(accepted);
    }
  });
});

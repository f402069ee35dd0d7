import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, uniqueEmail } from '../support/harness.ts';
import { DAY, memberIn, setPolicy } from '../support/org-enforce.ts';
import { orgWithAdmin } from '../support/orgs.ts';

/**
 * Policy bypass through the replacement of all security info (PostgreSQL): the organisation's policy is
 * checked when a replacement item is entered, but the replacement completes days later. A policy tightened
 * in between must still apply, as it does for the member's own adding (checked again when it is verified).
 */

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ store: 'postgres' });
});
afterAll(() => t.close());

const verifiedValues = async (accountId: string) =>
  (
    await t.app.deps.db.query<{ kind: string; value: string }>(
      'SELECT kind, value FROM security_methods WHERE account_id = $1 AND verified_at IS NOT NULL ORDER BY value',
      [accountId],
    )
  ).map((m) => `${m.kind}:${m.value}`);

const OPEN = { required: [], minMethods: 1, enforceRegistration: false };

describe('attack: the policy and the replacement of security info', () => {
  it('an email disallowed between entering a replacement item and verifying it is refused', async () => {
    const { orgId, domain } = await orgWithAdmin(t);
    await setPolicy(t, orgId, OPEN);
    const m = await memberIn(t, orgId, domain);
    const newEmail = uniqueEmail('repl');
    const added = await t.api('POST', '/api/v1/replacement/emails', { email: newEmail }, m.token);
    expect(added.status).toBe(202);
    const code = await t.mailedCode(newEmail);
    await setPolicy(t, orgId, {
      ...OPEN,
      allowed: { passkey: true, totp: true, phone: true, email: false },
    });
    const ok = await t.api(
      'POST',
      `/api/v1/replacement/items/${added.body.itemId}/verify`,
      { code },
      m.token,
    );
    expect(ok.status).toBe(403);
    expect(ok.body.error?.code).toBe('policy.method_not_allowed');
  });

  it('an email disallowed during the wait does not become security info when the wait ends', async () => {
    const { orgId, domain } = await orgWithAdmin(t);
    await setPolicy(t, orgId, OPEN);
    const m = await memberIn(t, orgId, domain);
    const newEmail = uniqueEmail('repl');
    const added = await t.api('POST', '/api/v1/replacement/emails', { email: newEmail }, m.token);
    const code = await t.mailedCode(newEmail);
    expect(
      (await t.api('POST', `/api/v1/replacement/items/${added.body.itemId}/verify`, { code }, m.token))
        .status,
    ).toBe(200);
    expect((await t.api('POST', '/api/v1/replacement/start', {}, m.token)).status).toBe(202);
    await setPolicy(t, orgId, {
      ...OPEN,
      allowed: { passkey: true, totp: true, phone: true, email: false },
    });
    t.clock.advance(31 * DAY);
    await t.app.replacementScheduler.runOnce();
    expect((await verifiedValues(m.id)).filter((v) => v.includes(newEmail))).toEqual([]);
  });
});

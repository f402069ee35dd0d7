import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendPeriodicReminders } from '../../src/checkup/periodic.ts';
import { t as tr } from '../../src/i18n/index.ts';
import { createTestApp, signedUpAccount, type TestApp } from '../support/harness.ts';
import { DAY, memberIn, setPolicy, verifiedContact, webSignIn } from '../support/org-enforce.ts';
import { orgWithAdmin } from '../support/orgs.ts';

/** Periodic re-confirmation follows the organisation's reconfirmDays for members (0 = never). */
describe('periodic re-confirmation under the organisation policy', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const reminded = async (email: string) => {
    await t.drain();
    return t.sink.to(email).filter((m) => m.subject === tr('ja', 'checkup.mail.subject')).length;
  };

  it('asks a member every reconfirmDays at sign-in and by email, never with 0; others keep the deployment period', async () => {
    const often = await orgWithAdmin(t);
    await setPolicy(t, often.orgId, { reconfirmDays: 30, enforceRegistration: false });
    const never = await orgWithAdmin(t);
    await setPolicy(t, never.orgId, { reconfirmDays: 0, enforceRegistration: false });
    const m30 = await memberIn(t, often.orgId, often.domain);
    const m0 = await memberIn(t, never.orgId, never.domain);
    const outsider = await signedUpAccount(t);
    for (const a of [m30, m0, outsider]) await verifiedContact(t, a.token, `rc.${Math.random()}@example.com`);

    t.clock.advance(31 * DAY);
    expect((await webSignIn(t, m30.email, m30.password)).location).toBe(
      '/security/confirm-info?next=%2Fsecurity',
    );
    expect((await webSignIn(t, outsider.email, outsider.password)).location).toBe('/security');
    expect((await webSignIn(t, m0.email, m0.password)).location).toBe('/security');
    await sendPeriodicReminders(t.app.deps);
    expect(await reminded(m30.email)).toBe(1);
    expect(await reminded(outsider.email)).toBe(0);
    expect(await reminded(m0.email)).toBe(0);
    // Once per period: the next round the same day sends nothing more.
    await sendPeriodicReminders(t.app.deps);
    expect(await reminded(m30.email)).toBe(1);

    t.clock.advance(60 * DAY);
    expect((await webSignIn(t, outsider.email, outsider.password)).location).toBe(
      '/security/confirm-info?next=%2Fsecurity',
    );
    expect((await webSignIn(t, m0.email, m0.password)).location).toBe('/security');
    await sendPeriodicReminders(t.app.deps);
    expect(await reminded(outsider.email)).toBe(1);
    expect(await reminded(m0.email)).toBe(0);
    expect(await reminded(m30.email)).toBe(2);
  });

  it('the checkup page shows what the organisation requires and what is missing', async () => {
    const { orgId, domain } = await orgWithAdmin(t);
    await setPolicy(t, orgId, { enforceRegistration: false });
    const m = await memberIn(t, orgId, domain);
    const { c } = await webSignIn(t, m.email, m.password);
    const page = await c.get('/security/checkup');
    expect(page.body).toContain('data-testid="org-requirements" data-met="false"');
    expect(page.body).toContain('携帯電話番号（SMS）');
    expect(page.body).toContain('サインイン用アドレスとは別の認証方法を 2 個以上（現在 0 個）');
    expect(page.body).toContain('href="/security/required"');
  });
});

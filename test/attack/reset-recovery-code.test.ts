import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t as tr } from '../../src/i18n/index.ts';
import {
  createTestApp,
  signedUpAccount,
  type TestApp,
  uniqueEmail,
  verifiedEmail,
} from '../support/harness.ts';

/**
 * One recovery code opens one reset flow, on PostgreSQL with concurrent requests: the code is spent and
 * replaced in the step's own transaction, so of many flows trying it at once exactly one gets a new code,
 * and the owner is told exactly once.
 */
describe('a recovery code at the reset step under concurrency (PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ store: 'postgres', env: { TRUSTED_PROXIES: '127.0.0.1' } });
  });
  afterAll(() => t.close());

  it('40 flows try one code at once: one succeeds, one new code, one email, and that code works', async () => {
    const a = await signedUpAccount(t, { locale: 'en' });
    const contact = uniqueEmail('contact');
    await verifiedEmail(t, a.token, contact);
    const code = (await t.api('POST', '/api/v1/recovery-code', {}, a.token)).body.recoveryCode as string;
    await t.drain();
    t.sink.clear();
    const flows: string[] = [];
    for (let i = 0; i < 40; i++)
      flows.push(
        (
          await t.api('POST', '/api/v1/password-reset', { email: a.email }, undefined, {
            'x-forwarded-for': `203.0.113.${i + 1}`,
          })
        ).body.flowToken as string,
      );
    const answers = await Promise.all(
      flows.map((flowToken, i) =>
        t.api('POST', '/api/v1/password-reset/recovery-code', { flowToken, recoveryCode: code }, undefined, {
          'x-forwarded-for': `198.51.100.${i + 1}`,
        }),
      ),
    );
    const won = answers.filter((r) => r.status === 200);
    expect(won).toHaveLength(1);
    for (const r of answers.filter((x) => x.status !== 200))
      expect(['code.invalid', 'reset.flow_invalid']).toContain(r.body.error?.code);
    await t.drain();
    const subject = tr('en', 'mail.recovery_code_used.subject');
    expect(t.sink.to(contact).filter((m) => m.subject === subject)).toHaveLength(1);
    const fresh = won[0]!.body.newRecoveryCode as string;
    const again = (await t.api('POST', '/api/v1/password-reset', { email: a.email })).body.flowToken;
    expect(
      (await t.api('POST', '/api/v1/password-reset/recovery-code', { flowToken: again, recoveryCode: fresh }))
        .status,
    ).toBe(200);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appDeliveries, webhookEndpoint } from '../support/apps-delivery.ts';
import { createTestApp, type TestApp } from '../support/harness.ts';
import { startReceiver } from '../support/receiver.ts';
import { account, call, freshEmail, ipv4, observable, recordStatements, solvedPow } from './support.ts';

/**
 * `recovery_request.submitted` / `.decided` webhooks are account-blind: with an endpoint subscribed, the recovery
 * form's submission must still wait for the same statements for an account and for an unknown address (the
 * webhook is written by one `INSERT … SELECT` that writes nothing without an account).
 */
describe('recovery request webhooks do not tell whether the account exists (PostgreSQL)', () => {
  let t: TestApp;
  let recorder: ReturnType<typeof recordStatements>;
  beforeAll(async () => {
    t = await createTestApp({ store: 'postgres' });
    recorder = recordStatements(t);
  });
  afterAll(() => t.close());

  async function measure(f: () => Promise<Parameters<typeof observable>[0]>) {
    await t.drain();
    await recorder.reset();
    const r = await f();
    const answered = [...recorder.statements];
    await recorder.settle();
    return { r, answered };
  }

  async function atEvidence(address: string, evidence: Record<string, unknown>) {
    const ip = ipv4();
    const contactEmail = freshEmail('helper');
    const pow = await solvedPow(t, ip);
    const s = await call(t, 'POST', '/api/v1/recovery-form', { account: address, contactEmail, pow }, { ip });
    if (s.status !== 202) throw new Error(`start: ${JSON.stringify(s.body)}`);
    const flowToken = s.body.flowToken;
    const code = await t.mailedCode(contactEmail);
    const v = await call(t, 'POST', '/api/v1/recovery-form/verify', { flowToken, code }, { ip });
    if (v.status >= 300) throw new Error(`verify: ${JSON.stringify(v.body)}`);
    return () => call(t, 'POST', '/api/v1/recovery-form/submit', { flowToken, evidence }, { ip });
  }

  it('the same statements with a subscribed endpoint; a webhook only for the real account', async () => {
    const rx = await startReceiver();
    try {
      const hook = await webhookEndpoint(t, {
        url: `${rx.url}/hook`,
        events: ['recovery_request.submitted', 'recovery_request.decided'],
      });
      const evidence = {
        displayName: 'Nobody Atall',
        countries: ['US'],
        emails: ['someone@example.net'],
        phones: [],
      };
      await (await atEvidence(freshEmail('warm'), evidence))();
      const before = (await appDeliveries(t)).length;
      const a = await account(t);
      const k = await measure(await atEvidence(a.email, evidence));
      const afterAccount = (await appDeliveries(t)).filter((d) => d.recipient === hook.id).length;
      const n = await measure(await atEvidence(freshEmail('nobody'), evidence));
      const afterUnknown = (await appDeliveries(t)).filter((d) => d.recipient === hook.id).length;
      expect(observable(k.r)).toEqual(observable(n.r));
      expect(k.answered).toEqual(n.answered);
      // The real account's request was told (submitted, and decided: the weak evidence is denied at once)…
      expect(afterAccount - before).toBe(2);
      // …the unknown address's was not.
      expect(afterUnknown).toBe(afterAccount);
    } finally {
      await rx.close();
    }
  }, 90_000);
});

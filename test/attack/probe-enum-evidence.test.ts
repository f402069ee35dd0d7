import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/harness.ts';
import { account, call, freshEmail, ipv4, observable, recordStatements, solvedPow } from './support.ts';

/**
 * Probe (outside tester): the recovery form's evidence step. docs/flows/recovery-form.md says an unknown
 * account gets "the same denial email as a weak request for a real one, with the same timing". The denial
 * is the same; the work the answer waits for (statements, hence its time) must be too, or a stranger who
 * submits the weakest evidence learns whether the address has an account.
 */
describe('probe: recovery-form evidence, account vs unknown address (PostgreSQL)', () => {
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
    const started = performance.now();
    const r = await f();
    const ms = performance.now() - started;
    const answered = [...recorder.statements];
    await recorder.settle();
    return { r, answered, ms };
  }

  /** A recovery request for `address` with its contact proven: the call that submits `evidence`. */
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

  it('the weakest evidence (a wrong name, a country, two contacts) waits for the same statements', async () => {
    const evidence = {
      displayName: 'Nobody Atall',
      countries: ['US'],
      emails: ['someone@example.net'],
      phones: ['09012345678'],
    };
    await (await atEvidence(freshEmail('warm'), evidence))();
    const a = await account(t);
    const k = await measure(await atEvidence(a.email, evidence));
    const n = await measure(await atEvidence(freshEmail('nobody'), evidence));
    console.log(
      `submit: account ${k.answered.length} statements ${k.ms.toFixed(1)} ms, unknown ${n.answered.length} statements ${n.ms.toFixed(1)} ms`,
    );
    // What the stranger sees is the same (and both get the denial email)…
    expect(observable(k.r)).toEqual(observable(n.r));
    // …but not the work the answer waited for.
    expect(k.answered.length).toBe(n.answered.length);
    // The same statements, in the same order (first 70 characters each).
    expect(k.answered).toEqual(n.answered);
  }, 60_000);
});

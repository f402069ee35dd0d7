import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/harness.ts';
import { account, call, freshEmail, ipv4, observable, recordStatements } from './support.ts';

/**
 * Probe (outside tester): the reset "choose a method and confirm it" step, with the one confirmation every
 * stranger can always type — the sign-in address itself, which they typed to start the flow. Every address
 * shows a `signin` method (real or made up), so a stranger confirms it with the address they started with:
 * the answer is the same for an account and an unknown address, but the work done (statements the answer
 * waits for, hence its time) must be too, or the step tells whether the address has an account.
 */
describe('probe: reset confirmation of the sign-in address (PostgreSQL)', () => {
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

  /** A reset flow for `email` at its choose step: the call that confirms the sign-in method with `email`. */
  async function confirmSignin(email: string) {
    const ip = ipv4();
    const s = await call(t, 'POST', '/api/v1/password-reset', { email }, { ip });
    const flowToken = s.body.flowToken;
    const st = await call(t, 'POST', '/api/v1/password-reset/state', { flowToken }, { ip });
    const m = (st.body.methods as { id: string; kind: string }[]).find((x) => x.kind === 'signin');
    if (!m) throw new Error('no sign-in method listed');
    return () =>
      call(t, 'POST', '/api/v1/password-reset/choose', { flowToken, methodId: m.id, confirm: email }, { ip });
  }

  it('an account waits for the same statements as an unknown address', async () => {
    const a = await account(t);
    t.clock.advance(3600_000);
    await (await confirmSignin(freshEmail('warm')))(); // warm-up
    const k = await measure(await confirmSignin(a.email));
    const n = await measure(await confirmSignin(freshEmail('nobody')));
    // What the stranger sees is the same…
    expect(observable(k.r)).toEqual(observable(n.r));
    // …and so is what the answer waits for (its time would tell the two apart): the same statements, in order.
    expect(k.answered).toEqual(n.answered);
  });

  it('"send a new code" after that confirmation: an account waits for the same statements as an unknown address', async () => {
    const a = await account(t);
    t.clock.advance(3600_000);
    const resendAfter = async (email: string) => {
      const ip = ipv4();
      const s = await call(t, 'POST', '/api/v1/password-reset', { email }, { ip });
      const flowToken = s.body.flowToken;
      const st = await call(t, 'POST', '/api/v1/password-reset/state', { flowToken }, { ip });
      const m = (st.body.methods as { id: string; kind: string }[]).find((x) => x.kind === 'signin');
      if (!m) throw new Error('no sign-in method listed');
      await call(
        t,
        'POST',
        '/api/v1/password-reset/choose',
        { flowToken, methodId: m.id, confirm: email },
        { ip },
      );
      return () => call(t, 'POST', '/api/v1/password-reset/resend', { flowToken }, { ip });
    };
    const known = await resendAfter(a.email);
    const unknown = await resendAfter(freshEmail('nobody'));
    t.clock.advance(61_000);
    const k = await measure(known);
    const n = await measure(unknown);
    expect(observable(k.r)).toEqual(observable(n.r));
    expect(k.answered.length).toBe(n.answered.length);
  });

  it('"send a new code" after a WRONG confirmation: an account waits for the same statements as an unknown address', async () => {
    const a = await account(t);
    t.clock.advance(3600_000);
    const resendAfterWrong = async (email: string) => {
      const ip = ipv4();
      const s = await call(t, 'POST', '/api/v1/password-reset', { email }, { ip });
      const flowToken = s.body.flowToken;
      const st = await call(t, 'POST', '/api/v1/password-reset/state', { flowToken }, { ip });
      const m = (st.body.methods as { id: string; kind: string }[]).find((x) => x.kind === 'signin');
      if (!m) throw new Error('no sign-in method listed');
      const confirm = 'wrong.guess@example.com';
      await call(t, 'POST', '/api/v1/password-reset/choose', { flowToken, methodId: m.id, confirm }, { ip });
      return () => call(t, 'POST', '/api/v1/password-reset/resend', { flowToken }, { ip });
    };
    const known = await resendAfterWrong(a.email);
    const unknown = await resendAfterWrong(freshEmail('nobody'));
    t.clock.advance(61_000);
    const k = await measure(known);
    const n = await measure(unknown);
    expect(observable(k.r)).toEqual(observable(n.r));
    expect(k.answered).toEqual(n.answered);
  });

  it('a wrong recovery code ("I have none of these"): an account waits for the same statements as an unknown address', async () => {
    const a = await account(t);
    const wrongCode = async (email: string) => {
      const ip = ipv4();
      const s = await call(t, 'POST', '/api/v1/password-reset', { email }, { ip });
      const flowToken = s.body.flowToken;
      return () =>
        call(
          t,
          'POST',
          '/api/v1/password-reset/recovery-code',
          { flowToken, recoveryCode: 'ABCDE-FGHJK-MNPQR-STVWX-YZ234' },
          { ip },
        );
    };
    await (await wrongCode(freshEmail('warm')))();
    const k = await measure(await wrongCode(a.email));
    const n = await measure(await wrongCode(freshEmail('nobody')));
    expect(observable(k.r)).toEqual(observable(n.r));
    expect(k.answered).toEqual(n.answered);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  GOOD_PASSWORD,
  signedUpAccount,
  type TestApp,
  uniqueEmail,
  verifiedEmail,
} from '../support/harness.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const NEW_PASSWORD = 'a completely new passphrase 77';
const SUBJECT_CODE = 'パスワード再設定のコード';
const SUBJECT_RESET = 'パスワードが再設定されました';

interface MaskedMethod {
  id: string;
  kind: 'signin' | 'email' | 'phone';
  masked: string;
}

/** What any method in the reset state may look like, real or not. */
function expectMethodShape(m: MaskedMethod) {
  expect(Object.keys(m).sort()).toEqual(['id', 'kind', 'masked']);
  expect(m.id).toMatch(/^mth_[A-Za-z0-9_-]{16}$/);
  if (m.kind === 'email' || m.kind === 'signin')
    expect(m.masked).toMatch(/^[^*@]{1,2}\*{5}@[a-z0-9.-]+\.[a-z]{2,}$/);
  else expect(m.masked).toMatch(/^\*{7}\d{2}$/);
}

describe('password reset (HTTP)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const start = (email: string) => t.api('POST', '/api/v1/password-reset', { email });
  const state = (flowToken: unknown) => t.api('POST', '/api/v1/password-reset/state', { flowToken });
  const choose = (flowToken: unknown, methodId: string, confirm: string) =>
    t.api('POST', '/api/v1/password-reset/choose', { flowToken, methodId, confirm });
  const verify = (flowToken: unknown, code: string) =>
    t.api('POST', '/api/v1/password-reset/verify', { flowToken, code });
  const complete = (flowToken: unknown, password: string) =>
    t.api('POST', '/api/v1/password-reset/complete', { flowToken, password });
  const signIn = (email: string, password: string) => t.api('POST', '/api/v1/sessions', { email, password });
  const outboxCount = async () =>
    (await t.app.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox'))[0]!.n;

  /** An account with one verified contact email; the resend wait for that address has passed. */
  async function accountWithContact() {
    const account = await signedUpAccount(t);
    const contact = uniqueEmail('contact');
    const methodId = await verifiedEmail(t, account.token, contact);
    await t.drain();
    t.clock.advance(61 * SECOND);
    return { ...account, contact, methodId };
  }

  /** Runs a flow up to the new-password step. */
  async function verifiedFlow(a: { email: string; contact: string; methodId: string }) {
    const flowToken = (await start(a.email)).body.flowToken as string;
    expect((await choose(flowToken, a.methodId, a.contact)).status).toBe(200);
    const code = await t.mailedCode(a.contact);
    expect((await verify(flowToken, code)).status).toBe(204);
    return flowToken;
  }

  it('full flow: choose a masked method, confirm it, enter the code, set a new password', async () => {
    const a = await accountWithContact();
    const second = await signIn(a.email, GOOD_PASSWORD);
    expect(second.status).toBe(200);

    const s = await start(a.email);
    expect(s.status).toBe(202);
    expect(s.body.flowToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const flowToken = s.body.flowToken as string;

    const st = await state(flowToken);
    expect(st.status).toBe(200);
    expect(st.body.step).toBe('choose');
    expect(st.body.maskedAccount).toMatch(/^us\*{5}@example\.com$/);
    const methods = st.body.methods as MaskedMethod[];
    // The verified sign-in address first (docs/flows/password-reset.md), then the contact.
    expect(methods).toEqual([
      { id: expect.stringMatching(/^mth_/), kind: 'signin', masked: st.body.maskedAccount },
      { id: a.methodId, kind: 'email', masked: 'co*****@example.com' },
    ]);
    expect(JSON.stringify(st.body)).not.toContain(a.contact); // the full address is never shown

    // The person types the full address (case and width do not matter).
    const chosen = await choose(flowToken, a.methodId, a.contact.toUpperCase());
    expect(chosen.status).toBe(200);
    expect(chosen.body.resendAt).toBe(new Date(t.clock.now().getTime() + 60 * SECOND).toISOString());
    expect((await state(flowToken)).body).toMatchObject({ step: 'code', chosen: methods[1] });
    await t.drain();
    const codeMail = t.sink.to(a.contact).filter((m) => m.subject === SUBJECT_CODE);
    expect(codeMail).toHaveLength(1);
    const code = await t.mailedCode(a.contact);

    expect((await verify(flowToken, code)).status).toBe(204);
    expect((await state(flowToken)).body.step).toBe('new_password');
    const done = await complete(flowToken, NEW_PASSWORD);
    expect(done.status).toBe(200);
    expect(done.body).toEqual({ newRecoveryCode: null, trustedDeviceToken: expect.any(String) }); // no recovery code was used

    // Every session ended.
    for (const token of [a.token, second.body.sessionToken as string]) {
      const me = await t.api('GET', '/api/v1/me', undefined, token);
      expect(me.status).toBe(401);
      expect(me.body.error?.code).toBe('auth.required');
    }
    expect((await signIn(a.email, GOOD_PASSWORD)).status).toBe(401);
    expect((await signIn(a.email, NEW_PASSWORD)).status).toBe(200);

    // Every contact is told, once.
    await t.drain();
    for (const to of [a.email, a.contact]) {
      const notices = t.sink.to(to).filter((m) => m.subject === SUBJECT_RESET);
      expect(notices, to).toHaveLength(1);
      expect(notices[0]!.text).not.toMatch(/(?<!\d)\d{6}(?!\d)/);
    }
  });

  it('the flow token works once: completing twice → reset.flow_invalid', async () => {
    const a = await accountWithContact();
    const flowToken = await verifiedFlow(a);
    expect((await complete(flowToken, NEW_PASSWORD)).status).toBe(200);
    const again = await complete(flowToken, 'yet another passphrase 88');
    expect(again.status).toBe(400);
    expect(again.body.error?.code).toBe('reset.flow_invalid');
    expect((await state(flowToken)).body.error?.code).toBe('reset.flow_invalid');
    expect((await signIn(a.email, NEW_PASSWORD)).status).toBe(200);
    expect((await signIn(a.email, 'yet another passphrase 88')).status).toBe(401);
  });

  it('refuses the current password as the new one (password.same_as_current); the flow stays usable', async () => {
    const a = await accountWithContact();
    const flowToken = await verifiedFlow(a);
    const same = await complete(flowToken, GOOD_PASSWORD);
    expect(same.status).toBe(400);
    expect(same.body.error?.code).toBe('password.same_as_current');
    expect((await t.api('GET', '/api/v1/me', undefined, a.token)).status).toBe(200); // nothing ended
    expect((await complete(flowToken, NEW_PASSWORD)).status).toBe(200);
  });

  it('an unknown account looks exactly like a real one, and nobody is mailed', async () => {
    const real = await accountWithContact();
    const realStart = await start(real.email);
    const realState = await state(realStart.body.flowToken);

    // Some unknown addresses show no methods (like real accounts without any): find one that shows some.
    let unknown = uniqueEmail('nobody');
    let unknownStart = await start(unknown);
    let unknownState = await state(unknownStart.body.flowToken);
    for (let i = 0; i < 8 && (unknownState.body.methods as MaskedMethod[]).length === 0; i++) {
      unknown = uniqueEmail('nobody');
      unknownStart = await start(unknown);
      unknownState = await state(unknownStart.body.flowToken);
    }
    await t.drain();
    const mailsBefore = t.sink.messages.length;
    const outboxBefore = await outboxCount();

    expect(unknownStart.status).toBe(realStart.status);
    expect(Object.keys(unknownStart.body)).toEqual(Object.keys(realStart.body));
    expect(unknownStart.body.flowToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(unknownState.status).toBe(realState.status);
    expect(Object.keys(unknownState.body).sort()).toEqual(Object.keys(realState.body).sort());
    expect(unknownState.body.step).toBe('choose');
    expect(unknownState.body.maskedAccount).toMatch(/^no\*{5}@example\.com$/);
    const fake = unknownState.body.methods as MaskedMethod[];
    expect(fake.length).toBeGreaterThan(0);
    for (const m of [...fake, ...(realState.body.methods as MaskedMethod[])]) expectMethodShape(m);

    // The same address always shows the same methods (no tell-tale reshuffling).
    const again = await state((await start(unknown)).body.flowToken);
    expect(again.body.methods).toEqual(fake);

    // Choosing: same answer as a real account's mismatched confirmation, at the same instant.
    const realMismatch = await choose(realStart.body.flowToken, real.methodId, 'somebody.else@example.com');
    const unknownChoice = await choose(unknownStart.body.flowToken, fake[0]!.id, 'somebody.else@example.com');
    expect(unknownChoice.status).toBe(200);
    expect(unknownChoice.status).toBe(realMismatch.status);
    expect(unknownChoice.body).toEqual(realMismatch.body);
    expect((await state(unknownStart.body.flowToken)).body.step).toBe('code');

    // Entering a code: same refusal as for a real account's wrong code.
    const realWrong = await verify(realStart.body.flowToken, '000000');
    const unknownWrong = await verify(unknownStart.body.flowToken, '000000');
    expect(unknownWrong.status).toBe(realWrong.status);
    expect(unknownWrong.body).toEqual(realWrong.body);

    await t.drain();
    expect(t.sink.messages.length).toBe(mailsBefore);
    expect(await outboxCount()).toBe(outboxBefore);
  });

  it('a wrong confirmation for a real account answers the same as a right one, and sends no code', async () => {
    const a = await accountWithContact();
    const wrongFlow = (await start(a.email)).body.flowToken as string;
    const rightFlow = (await start(a.email)).body.flowToken as string;
    const mailsBefore = t.sink.to(a.contact).length;

    const wrong = await choose(wrongFlow, a.methodId, 'not.my.address@example.com');
    const right = await choose(rightFlow, a.methodId, a.contact);
    expect(wrong.status).toBe(200);
    expect(wrong.status).toBe(right.status);
    expect(wrong.body).toEqual(right.body);
    expect((await state(wrongFlow)).body).toEqual((await state(rightFlow)).body);

    await t.drain();
    const codes = t.sink.to(a.contact).slice(mailsBefore);
    expect(codes).toHaveLength(1); // only the right confirmation sent a code
    const code = await t.mailedCode(a.contact);
    const onWrongFlow = await verify(wrongFlow, code);
    expect(onWrongFlow.status).toBe(400);
    expect((await verify(rightFlow, code)).status).toBe(204);
  });

  it('repeating a right confirmation in a new flow answers like a wrong one (no resend-wait oracle)', async () => {
    const a = await accountWithContact();
    const first = (await start(a.email)).body.flowToken as string;
    expect((await choose(first, a.methodId, a.contact)).status).toBe(200);

    // Seconds later, an attacker tests a guess in fresh flows. Right and wrong guesses must look alike.
    const guessRight = await choose((await start(a.email)).body.flowToken, a.methodId, a.contact);
    const guessWrong = await choose((await start(a.email)).body.flowToken, a.methodId, 'guess@example.com');
    expect(guessWrong.status).toBe(200);
    expect({ status: guessRight.status, body: guessRight.body }).toEqual({
      status: guessWrong.status,
      body: guessWrong.body,
    });
  });

  it('within one flow, a right confirmation right after a wrong one answers like another wrong one', async () => {
    const a = await accountWithContact();
    const probe = (await start(a.email)).body.flowToken as string;
    expect((await choose(probe, a.methodId, 'first.guess@example.com')).status).toBe(200);
    const thenRight = await choose(probe, a.methodId, a.contact);

    const control = (await start(a.email)).body.flowToken as string;
    expect((await choose(control, a.methodId, 'first.guess@example.com')).status).toBe(200);
    const thenWrong = await choose(control, a.methodId, 'second.guess@example.com');

    expect({ status: thenRight.status, body: thenRight.body }).toEqual({
      status: thenWrong.status,
      body: thenWrong.body,
    });
  });

  it('rapid confirmations cannot get past the 5-per-flow cap', async () => {
    const a = await accountWithContact();
    const flowToken = (await start(a.email)).body.flowToken as string;
    await t.drain();
    const mailsBefore = t.sink.to(a.contact).length;
    // An attacker fires guesses as fast as possible, then the right address.
    for (let i = 1; i <= 8; i++) {
      const r = await choose(flowToken, a.methodId, `rapid.guess${i}@example.com`);
      expect(r.status).toBeLessThan(500);
    }
    await choose(flowToken, a.methodId, a.contact);
    await t.drain();
    expect(t.sink.to(a.contact).length - mailsBefore).toBe(0); // no code after 9 confirmations
  });

  it('an account without other security info is offered its verified sign-in address, masked', async () => {
    const { email } = await signedUpAccount(t);
    const s = await start(email);
    expect(s.status).toBe(202);
    const st = await state(s.body.flowToken);
    expect(st.status).toBe(200);
    expect(st.body).toMatchObject({ step: 'choose', chosen: null });
    expect((st.body.methods as MaskedMethod[]).map((m) => [m.kind, m.masked])).toEqual([
      ['signin', st.body.maskedAccount],
    ]);
  });

  it('a flow expires after 30 minutes', async () => {
    const a = await accountWithContact();
    const idle = (await start(a.email)).body.flowToken as string;
    const flowToken = await verifiedFlow(a);
    t.clock.advance(30 * MINUTE - 2 * SECOND);
    expect((await state(idle)).status).toBe(200);
    t.clock.advance(3 * SECOND);
    const expired = await state(idle);
    expect(expired.status).toBe(400);
    expect(expired.body.error?.code).toBe('reset.flow_invalid');
    const late = await complete(flowToken, NEW_PASSWORD);
    expect(late.status).toBe(400);
    expect(late.body.error?.code).toBe('reset.flow_invalid');
    expect((await signIn(a.email, GOOD_PASSWORD)).status).toBe(200);
  });

  it('allows at most 5 confirmations per flow: the 6th is refused even when right, and sends nothing', async () => {
    const a = await accountWithContact();
    const flowToken = (await start(a.email)).body.flowToken as string;
    for (let i = 1; i <= 5; i++) {
      const r = await choose(flowToken, a.methodId, `guess${i}@example.com`);
      expect(r.status, `confirmation ${i}`).toBe(200);
      t.clock.advance(61 * SECOND);
    }
    await t.drain();
    const mailsBefore = t.sink.to(a.contact).length;
    const sixth = await choose(flowToken, a.methodId, a.contact);
    expect(sixth.status).toBe(429);
    expect(sixth.body.error?.code).toBe('code.too_many_attempts');
    await t.drain();
    expect(t.sink.to(a.contact)).toHaveLength(mailsBefore);
  });

  it('odd input to start never causes a 5xx', async () => {
    for (const email of ['a\u0000b@example.com', 'nul@exa\u0000mple.com', '\u0000', 'x'.repeat(320)]) {
      const r = await start(email);
      expect(r.status, JSON.stringify(email)).toBeLessThan(500);
      expect(r.body.error?.code, JSON.stringify(email)).not.toBe('internal');
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/accounts/password-hasher.ts';
import type { StoreKind } from '../support/databases.ts';
import { createTestApp, GOOD_PASSWORD, type TestApp, uniqueEmail } from '../support/harness.ts';
import {
  accountWithContact,
  codeHmacOf,
  codesOpening,
  forcedRandom,
  KNOWN_CODE,
  observable,
  otherCode,
  resetApi,
  solvedPow,
} from './support.ts';

/**
 * A decoy (the code step shown after a wrong confirmation, for an address without an account, or for a
 * sign-up with an address that is already taken) answers like the real thing and can never succeed. Every
 * app here draws every code as KNOWN_CODE, so the test knows the code a decoy would have had.
 */
const NEW_PASSWORD = 'an attacker chose this passphrase 31';
const SECOND = 1000;
const DAY = 24 * 3600 * SECOND;

interface MaskedMethod {
  id: string;
  kind: 'email' | 'phone' | 'totp';
  masked: string;
}

async function unknownWithEmailMethod(t: TestApp) {
  const r = resetApi(t);
  for (let i = 0; i < 40; i++) {
    const email = uniqueEmail('nobody');
    const flowToken = (await r.start(email)).body.flowToken as string;
    const methods = (await r.state(flowToken)).body.methods as MaskedMethod[];
    const m = methods.find((x) => x.kind === 'email');
    if (m) return { email, flowToken, methodId: m.id };
  }
  throw new Error('no unknown address with an email method in 40 tries');
}

const signIn = (t: TestApp, email: string, password: string) =>
  t.api('POST', '/api/v1/sessions', { email, password });

describe.each<StoreKind>(['postgres', 'pglite'])('decoys never open (%s)', (store) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ store, random: forcedRandom });
  });
  afterAll(() => t.close());

  it('password reset, wrong confirmation: the code it would have had never verifies; answers like a wrong code', async () => {
    const r = resetApi(t);
    const a = await accountWithContact(t);
    // Control: the same known code opens a real challenge (the forced randomness works).
    const real = (await r.start(a.email)).body.flowToken as string;
    expect((await r.choose(real, a.methodId, a.contact)).status).toBe(200);
    expect(await t.mailedCode(a.contact)).toBe(KNOWN_CODE);

    const decoy = (await r.start(a.email)).body.flowToken as string;
    const chosen = await r.choose(decoy, a.methodId, 'not.my.address@example.com');
    expect(chosen.status).toBe(200);

    const realWrong = await r.verify(real, otherCode(KNOWN_CODE));
    const decoyKnown = await r.verify(decoy, KNOWN_CODE);
    expect(decoyKnown.status).toBe(400);
    expect(decoyKnown.body.error?.code).toBe('code.wrong');
    expect(observable(decoyKnown)).toEqual(observable(realWrong)); // same remaining-tries count

    expect((await r.state(decoy)).body.step).toBe('code');
    const done = await r.complete(decoy, NEW_PASSWORD);
    expect(done.status).toBe(400);
    expect(done.body.error?.code).toBe('reset.flow_invalid');
    expect((await r.verify(real, KNOWN_CODE)).status).toBe(204);
    expect((await signIn(t, a.email, NEW_PASSWORD)).status).toBe(401);
  });

  it('a resent decoy code and every try up to the lock never verify; the lock answers like a real one', async () => {
    const r = resetApi(t);
    const a = await accountWithContact(t);
    const decoy = (await r.start(a.email)).body.flowToken as string;
    expect((await r.choose(decoy, a.methodId, 'guess@example.com')).status).toBe(200);
    t.clock.advance(61 * SECOND);
    const resent = await r.resend(decoy);
    expect(resent.status).toBe(200);
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await r.verify(decoy, KNOWN_CODE));
    expect(answers.map((x) => x.body.error?.code)).toEqual([
      'code.wrong',
      'code.wrong',
      'code.wrong',
      'code.wrong',
      'code.too_many_attempts',
    ]);
    expect((await r.state(decoy)).body.step).toBe('code');
    // After the lock has passed, a new code for the decoy is still no credential.
    t.clock.advance(11 * 60 * SECOND);
    expect((await r.resend(decoy)).status).toBe(200);
    expect((await r.verify(decoy, KNOWN_CODE)).body.error?.code).toBe('code.wrong');
  });

  it('password reset for an address without an account: the known code never verifies', async () => {
    const r = resetApi(t);
    const u = await unknownWithEmailMethod(t);
    expect((await r.choose(u.flowToken, u.methodId, 'whoever@example.com')).status).toBe(200);
    const v = await r.verify(u.flowToken, KNOWN_CODE);
    expect(v.status).toBe(400);
    expect(v.body.error?.code).toBe('code.wrong');
    expect((await r.state(u.flowToken)).body.step).toBe('code');
    expect((await r.complete(u.flowToken, NEW_PASSWORD)).status).toBe(400);
  });

  it('sign-up with a confirmed address: the known code never confirms; answers like a wrong code', async () => {
    const a = await accountWithContact(t);
    const fresh = uniqueEmail('fresh');
    const signup = (email: string) =>
      t.api('POST', '/api/v1/signup', { email, password: NEW_PASSWORD, displayName: '攻撃 者' });
    const confirm = (signupToken: unknown, code: string) =>
      t.api('POST', '/api/v1/signup/confirm', { signupToken, code });

    const taken = await signup(a.email);
    const free = await signup(fresh);
    expect(observable(taken)).toEqual(observable(free));
    const takenKnown = await confirm(taken.body.signupToken, KNOWN_CODE);
    const freeWrong = await confirm(free.body.signupToken, otherCode(KNOWN_CODE));
    expect(takenKnown.status).toBe(400);
    expect(takenKnown.body.error?.code).toBe('code.wrong');
    expect(observable(takenKnown)).toEqual(observable(freeWrong));

    // A resent decoy code does not open it either.
    t.clock.advance(61 * SECOND);
    expect(
      (await t.api('POST', '/api/v1/signup/resend', { signupToken: taken.body.signupToken })).status,
    ).toBe(200);
    expect((await confirm(taken.body.signupToken, KNOWN_CODE)).body.error?.code).toBe('code.wrong');
    // Control: the known code confirms the free address.
    expect((await confirm(free.body.signupToken, KNOWN_CODE)).status).toBe(200);
    expect((await signIn(t, a.email, NEW_PASSWORD)).status).toBe(401);
    expect((await signIn(t, a.email, GOOD_PASSWORD)).status).not.toBe(401);
  });
});

describe('decoys under attack (PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ store: 'postgres', random: forcedRandom });
  });
  afterAll(() => t.close());

  it('no 6-digit code at all opens a sign-up decoy (offline brute force of all 10^6)', async () => {
    const a = await accountWithContact(t);
    expect(
      (await t.api('POST', '/api/v1/signup', { email: a.email, password: NEW_PASSWORD, displayName: 'x' }))
        .status,
    ).toBe(202);
    const rows = await t.app.deps.db.query<{ id: string; code_hmac: string | null }>(
      `SELECT id, code_hmac FROM challenges WHERE purpose = 'signup' AND account_id IS NULL AND destination_key = $1`,
      [a.email.toLowerCase()],
    );
    expect(rows).toHaveLength(1);
    // Control: the formula below is the one the server uses (a real challenge stores the known code's HMAC).
    const realRow = (
      await t.app.deps.db.query<{ id: string; code_hmac: string }>(
        `SELECT id, code_hmac FROM challenges WHERE purpose = 'add_email' AND destination = $1`,
        [a.contact],
      )
    )[0]!;
    expect(realRow.code_hmac).toBe(codeHmacOf(realRow.id, KNOWN_CODE));
    expect(codesOpening(rows[0]!.id, rows[0]!.code_hmac)).toEqual([]);
  });

  it('200 concurrent tries (the known code and wrong ones) on one decoy reset flow: none succeeds', async () => {
    const r = resetApi(t);
    const a = await accountWithContact(t);
    const decoy = (await r.start(a.email)).body.flowToken as string;
    expect((await r.choose(decoy, a.methodId, 'wrong.guess@example.com')).status).toBe(200);
    const u = await unknownWithEmailMethod(t);
    expect((await r.choose(u.flowToken, u.methodId, 'x@example.com')).status).toBe(200);

    const tries = Array.from({ length: 200 }, (_, i) =>
      i % 2 === 0 ? KNOWN_CODE : otherCode(KNOWN_CODE, i),
    );
    const answers = await Promise.all([
      ...tries.map((code) => r.verify(decoy, code)),
      ...tries.map((code) => r.verify(u.flowToken, code)),
    ]);
    expect(answers.filter((x) => x.status === 204)).toHaveLength(0);
    expect(answers.filter((x) => x.status >= 500)).toHaveLength(0);
    for (const flow of [decoy, u.flowToken]) {
      expect((await r.state(flow)).body.step).toBe('code');
      expect((await r.complete(flow, NEW_PASSWORD)).status).toBe(400);
    }
    expect((await signIn(t, a.email, NEW_PASSWORD)).status).toBe(401);
  });

  it('200 concurrent confirmations of a sign-up decoy with the known code: none signs in', async () => {
    const a = await accountWithContact(t);
    const taken = await t.api('POST', '/api/v1/signup', {
      email: a.email,
      password: NEW_PASSWORD,
      displayName: '攻撃 者',
    });
    expect(taken.status).toBe(202);
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        t.api('POST', '/api/v1/signup/confirm', {
          signupToken: taken.body.signupToken,
          code: i % 4 === 0 ? otherCode(KNOWN_CODE, i) : KNOWN_CODE,
        }),
      ),
    );
    expect(answers.filter((x) => x.status === 200 || x.body.sessionToken)).toHaveLength(0);
    expect(answers.filter((x) => x.status >= 500)).toHaveLength(0);
    expect((await signIn(t, a.email, NEW_PASSWORD)).status).toBe(401);
  });

  it('recovery form: an account with two-step verification is never approved, even with the strongest evidence', async () => {
    const OLD = 'an older passphrase from 2024';
    const strongRequest = async (twoStep: boolean) => {
      const a = await accountWithContact(t);
      await t.app.deps.db.query(
        'INSERT INTO password_history (account_id, password_hash, created_at) VALUES ($1, $2, $3)',
        [a.id, await hashPassword(OLD), new Date(t.clock.now().getTime() - 200 * DAY)],
      );
      if (twoStep)
        await t.app.deps.db.query('UPDATE accounts SET two_step_enabled = true WHERE id = $1', [a.id]);
      const helper = uniqueEmail('helper');
      const s = await t.api('POST', '/api/v1/recovery-form', {
        account: a.email,
        contactEmail: helper,
        pow: await solvedPow(t),
      });
      expect(s.status).toBe(202);
      const code = await t.mailedCode(helper);
      expect(code).toBe(KNOWN_CODE);
      const flowToken = s.body.flowToken;
      expect((await t.api('POST', '/api/v1/recovery-form/verify', { flowToken, code })).status).toBe(204);
      const sub = await t.api('POST', '/api/v1/recovery-form/submit', {
        flowToken,
        evidence: { displayName: '山田 太郎', passwords: [GOOD_PASSWORD, OLD], emails: [a.contact] },
      });
      await t.drain();
      const link = t.sink.to(helper).some((m) => /\/recovery-form\/reset\/[A-Za-z0-9_-]{43}/.test(m.text));
      const status = (
        await t.app.deps.db.query<{ status: string }>(
          'SELECT status FROM recovery_requests WHERE contact_key = $1',
          [helper],
        )
      )[0]!.status;
      return { sub, link, status };
    };
    const control = await strongRequest(false);
    expect(control.status).toBe('approved');
    expect(control.link).toBe(true);
    const twoStep = await strongRequest(true);
    expect(observable(twoStep.sub)).toEqual(observable(control.sub));
    expect(twoStep.status).toBe('denied');
    expect(twoStep.link).toBe(false);
  });
});

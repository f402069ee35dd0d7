import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t as tr } from '../../src/i18n/index.ts';
import {
  createTestApp,
  GOOD_PASSWORD,
  signedUpAccount,
  signInFully,
  type TestApp,
  uniqueEmail,
  verifiedEmail,
} from '../support/harness.ts';

/**
 * Forgot password → "I don't have any of these" → the recovery code. The code is spent at that step, so the
 * step itself gives the new one, records it and tells the owner: a person who leaves before setting the new
 * password is never left without a working recovery code, nor told something false about it.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const CODE = /^[2-9A-Z]{5}(-[2-9A-Z]{5}){4}$/;

async function accountWithCode(locale: 'ja' | 'en' = 'en') {
  const account = await signedUpAccount(t, { locale });
  const contact = uniqueEmail('contact');
  await verifiedEmail(t, account.token, contact);
  const made = await t.api('POST', '/api/v1/recovery-code', {}, account.token);
  expect(made.status).toBe(200);
  await t.drain();
  t.sink.clear();
  return { ...account, contact, code: made.body.recoveryCode as string };
}

const startFlow = async (email: string) =>
  (await t.api('POST', '/api/v1/password-reset', { email })).body.flowToken as string;

describe('the recovery code step of a password reset', () => {
  it('answers with the new recovery code at once, records it and emails "your recovery code was used"', async () => {
    const a = await accountWithCode();
    const flowToken = await startFlow(a.email);
    const used = await t.api('POST', '/api/v1/password-reset/recovery-code', {
      flowToken,
      recoveryCode: a.code,
    });
    expect(used.status).toBe(200);
    const fresh = used.body.newRecoveryCode as string;
    expect(fresh).toMatch(CODE);
    expect(fresh).not.toBe(a.code);

    // Told the truth right away, before any password is set.
    await t.drain();
    const subject = tr('en', 'mail.recovery_code_used.subject');
    expect(t.sink.to(a.contact).filter((m) => m.subject === subject)).toHaveLength(1);
    const events = (await t.api('GET', '/api/v1/activity?filter=all', undefined, a.token)).body.events as {
      kind: string;
    }[];
    expect(events.map((e) => e.kind)).toContain('recovery_code.used');

    // The new code was already shown: the last step does not make another one.
    const done = await t.api('POST', '/api/v1/password-reset/complete', {
      flowToken,
      password: 'a brand new passphrase 77',
    });
    expect(done.status).toBe(200);
    expect(done.body.newRecoveryCode).toBeNull();

    // The shown code is the one that works; the old one does not.
    const again = await startFlow(a.email);
    const old = await t.api('POST', '/api/v1/password-reset/recovery-code', {
      flowToken: again,
      recoveryCode: a.code,
    });
    expect(old.body.error?.code).toBe('code.invalid');
    const ok = await t.api('POST', '/api/v1/password-reset/recovery-code', {
      flowToken: again,
      recoveryCode: fresh,
    });
    expect(ok.status).toBe(200);
  });

  it('a reset left half-way leaves the owner a working recovery code, and /security says so', async () => {
    const a = await accountWithCode();
    const flowToken = await startFlow(a.email);
    const used = await t.api('POST', '/api/v1/password-reset/recovery-code', {
      flowToken,
      recoveryCode: a.code,
    });
    const fresh = used.body.newRecoveryCode as string;
    expect(fresh).toMatch(CODE);
    // The person walks away; the old password still works, and so does the code they were shown.
    const signIn = await t.api('POST', '/api/v1/sessions', { email: a.email, password: GOOD_PASSWORD });
    expect(signIn.status).toBe(200);
    const again = await startFlow(a.email);
    expect(
      (await t.api('POST', '/api/v1/password-reset/recovery-code', { flowToken: again, recoveryCode: fresh }))
        .status,
    ).toBe(200);
  });

  it('one recovery code opens one flow: the second flow with the same code is refused', async () => {
    const a = await accountWithCode();
    const first = await startFlow(a.email);
    const second = await startFlow(a.email);
    const used = await t.api('POST', '/api/v1/password-reset/recovery-code', {
      flowToken: first,
      recoveryCode: a.code,
    });
    expect(used.status).toBe(200);
    const reused = await t.api('POST', '/api/v1/password-reset/recovery-code', {
      flowToken: second,
      recoveryCode: a.code,
    });
    // The other flow died with the new code (a change of security info), and the old code is spent.
    expect(reused.status).toBeGreaterThanOrEqual(400);
    expect(['code.invalid', 'reset.flow_invalid']).toContain(reused.body.error?.code);
  });

  it('the flow dies when the owner makes another recovery code before the new password is set', async () => {
    const a = await accountWithCode();
    const flowToken = await startFlow(a.email);
    await t.api('POST', '/api/v1/password-reset/recovery-code', { flowToken, recoveryCode: a.code });
    // The owner, signed in afresh elsewhere, makes another recovery code.
    const fresh = await signInFully(t, a.email, GOOD_PASSWORD);
    const made = await t.api('POST', '/api/v1/recovery-code', {}, fresh.body.sessionToken as string);
    expect(made.status).toBe(200);
    const done = await t.api('POST', '/api/v1/password-reset/complete', {
      flowToken,
      password: 'a brand new passphrase 78',
    });
    expect([done.status, done.body.error?.code]).toEqual([400, 'reset.flow_invalid']);
  });

  it('during a pending replacement a code younger than the wait is refused with 423 and not spent', async () => {
    const a = await accountWithCode();
    t.clock.advance(61_000);
    const newEmail = uniqueEmail('new');
    const added = await t.api('POST', '/api/v1/replacement/emails', { email: newEmail }, a.token);
    const code = await t.mailedCode(newEmail);
    await t.api('POST', `/api/v1/replacement/items/${added.body.itemId}/verify`, { code }, a.token);
    expect((await t.api('POST', '/api/v1/replacement/start', {}, a.token)).status).toBe(202);
    await t.drain();
    t.sink.clear();
    const flowToken = await startFlow(a.email);
    const refused = await t.api('POST', '/api/v1/password-reset/recovery-code', {
      flowToken,
      recoveryCode: a.code,
    });
    expect([refused.status, refused.body.error?.code]).toEqual([423, 'account.restricted']);
    expect(refused.body.newRecoveryCode).toBeUndefined();
    await t.drain();
    const subject = tr('en', 'mail.recovery_code_used.subject');
    expect(t.sink.to(a.contact).filter((m) => m.subject === subject)).toHaveLength(0);
    // Not spent: once the replacement is cancelled, the same code still works.
    expect((await t.api('POST', '/api/v1/replacement/cancel', {}, a.token)).status).toBeLessThan(300);
    const later = await startFlow(a.email);
    const ok = await t.api('POST', '/api/v1/password-reset/recovery-code', {
      flowToken: later,
      recoveryCode: a.code,
    });
    expect(ok.status).toBe(200);
  });
});

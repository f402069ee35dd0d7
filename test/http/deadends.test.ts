import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t as tr } from '../../src/i18n/index.ts';
import { maskEmail } from '../../src/kernel/mask.ts';
import {
  createTestApp,
  signedUpAccount,
  type TestApp,
  uniqueEmail,
  verifiedEmail,
} from '../support/harness.ts';
import { formClient } from '../web/browser-less-client.ts';
import { visibleText as pageText } from '../web/page-text.ts';

const SECOND = 1000;
const NEW_PASSWORD = 'a completely new passphrase 77';

interface MaskedMethod {
  id: string;
  kind: string;
  masked: string;
}

describe('no dead ends (HTTP)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const start = async (email: string) =>
    (await t.api('POST', '/api/v1/password-reset', { email })).body.flowToken as string;
  const state = (flowToken: string) => t.api('POST', '/api/v1/password-reset/state', { flowToken });
  const choose = (flowToken: string, methodId: string, confirm: string) =>
    t.api('POST', '/api/v1/password-reset/choose', { flowToken, methodId, confirm });

  describe('the verified sign-in address is a reset destination', () => {
    it('is offered, masked, to an account with no other contact, and a reset through it works', async () => {
      const a = await signedUpAccount(t);
      const flow = await start(a.email);
      const st = await state(flow);
      const methods = st.body.methods as MaskedMethod[];
      expect(methods).toHaveLength(1);
      expect(methods[0]!.kind).toBe('signin');
      expect(methods[0]!.id).toMatch(/^mth_[A-Za-z0-9_-]{16}$/);
      expect(methods[0]!.masked).toBe(maskEmail(a.email));
      expect(JSON.stringify(st.body)).not.toContain(a.email);

      expect((await choose(flow, methods[0]!.id, a.email.toUpperCase())).status).toBe(200);
      const code = await t.mailedCode(a.email);
      expect((await t.api('POST', '/api/v1/password-reset/verify', { flowToken: flow, code })).status).toBe(
        204,
      );
      const done = await t.api('POST', '/api/v1/password-reset/complete', {
        flowToken: flow,
        password: NEW_PASSWORD,
      });
      expect(done.status).toBe(200);
      const s = await t.api('POST', '/api/v1/sessions', { email: a.email, password: NEW_PASSWORD });
      expect([200, 202]).toContain(s.status);
    });

    it('comes first, before other contacts, and the same id is shown every time', async () => {
      const a = await signedUpAccount(t);
      const contactId = await verifiedEmail(t, a.token, uniqueEmail('contact'));
      t.clock.advance(61 * SECOND);
      const one = (await state(await start(a.email))).body.methods as MaskedMethod[];
      const two = (await state(await start(a.email))).body.methods as MaskedMethod[];
      expect(one.map((m) => m.kind)).toEqual(['signin', 'email']);
      expect(one[1]!.id).toBe(contactId);
      expect(two).toEqual(one);
    });

    it('a wrong confirmation sends nothing to the sign-in address', async () => {
      const a = await signedUpAccount(t);
      await t.drain();
      const before = t.sink.to(a.email).length;
      const flow = await start(a.email);
      const [m] = (await state(flow)).body.methods as MaskedMethod[];
      expect((await choose(flow, m!.id, 'someone.else@example.com')).status).toBe(200);
      await t.drain();
      expect(t.sink.to(a.email).length).toBe(before);
    });

    it('an address without an account lists a sign-in address too, masked the same way', async () => {
      const unknown = uniqueEmail('nobody');
      const methods = (await state(await start(unknown))).body.methods as MaskedMethod[];
      expect(methods[0]!.kind).toBe('signin');
      expect(methods[0]!.masked).toBe(maskEmail(unknown));
      expect(methods[0]!.id).toMatch(/^mth_[A-Za-z0-9_-]{16}$/);
    });
  });

  describe('the device that reset the password is not sent back to a lost contact', () => {
    const ANDROID = {
      'user-agent':
        'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36',
    };
    it('a reset returns a trust for the device; signing in there asks for no code, elsewhere it does', async () => {
      const a = await signedUpAccount(t);
      await verifiedEmail(t, a.token, uniqueEmail('lost'));
      t.clock.advance(61 * SECOND);
      const flow = await start(a.email);
      const [signin] = (await state(flow)).body.methods as MaskedMethod[];
      expect((await choose(flow, signin!.id, a.email)).status).toBe(200);
      const code = await t.mailedCode(a.email);
      expect((await t.api('POST', '/api/v1/password-reset/verify', { flowToken: flow, code })).status).toBe(
        204,
      );
      const done = await t.api(
        'POST',
        '/api/v1/password-reset/complete',
        { flowToken: flow, password: NEW_PASSWORD },
        undefined,
        ANDROID,
      );
      expect(done.status).toBe(200);
      expect(done.body.trustedDeviceToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      // Without the trust, this device is new to the account: the sign-in is checked.
      const withoutTrust = await t.api(
        'POST',
        '/api/v1/sessions',
        { email: a.email, password: NEW_PASSWORD },
        undefined,
        ANDROID,
      );
      expect(withoutTrust.status).toBe(202);
      const here = await t.api(
        'POST',
        '/api/v1/sessions',
        { email: a.email, password: NEW_PASSWORD, trustedDeviceToken: done.body.trustedDeviceToken },
        undefined,
        ANDROID,
      );
      expect(here.status, JSON.stringify(here.body)).toBe(200);
    });
  });

  describe('the second step of a sign-in offers a way out', () => {
    const NEW_DEVICE = {
      'user-agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0',
    };
    async function pendingWithRecoveryCode() {
      const a = await signedUpAccount(t);
      await verifiedEmail(t, a.token, uniqueEmail('lost'));
      const made = await t.api('POST', '/api/v1/recovery-code', undefined, a.token);
      expect(made.status).toBe(200);
      const s = await t.api(
        'POST',
        '/api/v1/sessions',
        { email: a.email, password: a.password },
        undefined,
        NEW_DEVICE,
      );
      expect(s.status).toBe(202);
      const pendingToken = (s.body.secondFactor as { pendingToken: string }).pendingToken;
      return { ...a, pendingToken, recoveryCode: made.body.recoveryCode as string };
    }

    it('the API lists the recovery code and "I don\'t have any of these" as alternatives', async () => {
      const p = await pendingWithRecoveryCode();
      const m = await t.api('POST', '/api/v1/sessions/second-factor/methods', {
        pendingToken: p.pendingToken,
      });
      expect(m.status).toBe(200);
      expect(m.body.alternatives).toEqual([
        { kind: 'recovery_code' },
        { kind: 'no_access', url: 'http://mamori.test/forgot/none' },
      ]);
    });

    it('the recovery code completes the sign-in once, is spent, and a new one is shown', async () => {
      const p = await pendingWithRecoveryCode();
      // Too short to be a recovery code: said so, and no try is spent (11 of them would exceed the budget).
      for (let i = 0; i < 11; i++) {
        const short = await t.api('POST', '/api/v1/sessions/second-factor/recovery-code', {
          pendingToken: p.pendingToken,
          recoveryCode: 'AAAAA-BBBBB',
        });
        expect(short.status).toBe(400);
        expect(short.body.error?.code).toBe('recovery_code.format');
      }
      const wrong = await t.api('POST', '/api/v1/sessions/second-factor/recovery-code', {
        pendingToken: p.pendingToken,
        recoveryCode: 'AAAAA-BBBBB-CCCCC-DDDDD-EEEEE',
      });
      expect(wrong.status).toBe(400);
      expect(wrong.body.error?.code).toBe('code.invalid');
      const done = await t.api(
        'POST',
        '/api/v1/sessions/second-factor/recovery-code',
        { pendingToken: p.pendingToken, recoveryCode: p.recoveryCode.toLowerCase() },
        undefined,
        NEW_DEVICE,
      );
      expect(done.status, JSON.stringify(done.body)).toBe(200);
      expect(done.body.sessionToken).toBeTruthy();
      expect(done.body.newRecoveryCode).toMatch(/^[A-Z0-9]{5}(-[A-Z0-9]{5}){4}$/);
      expect(done.body.newRecoveryCode).not.toBe(p.recoveryCode);
      expect((await t.api('GET', '/api/v1/me', undefined, done.body.sessionToken as string)).status).toBe(
        200,
      );
      // The old code is spent: it does not open another sign-in.
      const again = await t.api(
        'POST',
        '/api/v1/sessions',
        { email: p.email, password: p.password },
        undefined,
        {
          'user-agent':
            'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
        },
      );
      expect(again.status).toBe(202);
      const reuse = await t.api('POST', '/api/v1/sessions/second-factor/recovery-code', {
        pendingToken: (again.body.secondFactor as { pendingToken: string }).pendingToken,
        recoveryCode: p.recoveryCode,
      });
      expect(reuse.body.error?.code).toBe('code.invalid');
    });

    it('during a pending replacement, a recovery code younger than the wait is refused and stays unspent', async () => {
      const a = await signedUpAccount(t);
      await verifiedEmail(t, a.token, uniqueEmail('old'));
      const made = await t.api('POST', '/api/v1/recovery-code', undefined, a.token);
      t.clock.advance(61 * SECOND);
      const newEmail = uniqueEmail('new');
      const added = await t.api('POST', '/api/v1/replacement/emails', { email: newEmail }, a.token);
      const code = await t.mailedCode(newEmail);
      await t.api('POST', `/api/v1/replacement/items/${added.body.itemId}/verify`, { code }, a.token);
      expect((await t.api('POST', '/api/v1/replacement/start', {}, a.token)).status).toBe(202);
      const pendingToken = async () =>
        (
          (
            await t.api(
              'POST',
              '/api/v1/sessions',
              { email: a.email, password: a.password },
              undefined,
              NEW_DEVICE,
            )
          ).body.secondFactor as { pendingToken: string }
        ).pendingToken;
      for (let i = 0; i < 2; i++) {
        const r = await t.api('POST', '/api/v1/sessions/second-factor/recovery-code', {
          pendingToken: await pendingToken(),
          recoveryCode: made.body.recoveryCode,
        });
        // The same answer twice: the code was not spent by the refusal.
        expect(r.status, JSON.stringify(r.body)).toBe(423);
        expect(r.body.error?.code).toBe('account.restricted');
      }
    });

    it('without a recovery code, only "I don\'t have any of these" is offered', async () => {
      const a = await signedUpAccount(t);
      await verifiedEmail(t, a.token, uniqueEmail('lost'));
      const s = await t.api(
        'POST',
        '/api/v1/sessions',
        { email: a.email, password: a.password },
        undefined,
        NEW_DEVICE,
      );
      const pendingToken = (s.body.secondFactor as { pendingToken: string }).pendingToken;
      const m = await t.api('POST', '/api/v1/sessions/second-factor/methods', { pendingToken });
      expect(m.body.alternatives).toEqual([{ kind: 'no_access', url: 'http://mamori.test/forgot/none' }]);
    });
  });

  describe('sign-up input errors', () => {
    const signUp = (email: string, extra: Record<string, unknown> = {}) =>
      t.api('POST', '/api/v1/signup', {
        email,
        password: 'correct horse battery staple 42',
        displayName: '山田 太郎',
        locale: 'ja',
        ...extra,
      });

    it('the API: a likely typo gets its suggestion, a disposable address its own code; acceptTypo keeps it', async () => {
      const typo = await signUp('someone@outlok.com');
      expect(typo.status).toBe(400);
      expect(typo.body.error?.code).toBe('account.email_typo');
      expect(typo.body.error?.message).toContain('someone@outlook.com');
      const kept = await signUp('someone.kept@outlok.com', { acceptTypo: true });
      expect(kept.status).toBe(202);
      const gmial = await signUp('someone@gmial.com');
      expect(gmial.body.error?.code).toBe('account.email_typo');
      const disposable = await signUp('someone@mailinator.com');
      expect(disposable.status).toBe(400);
      expect(disposable.body.error?.code).toBe('account.email_disposable');
    });

    it("the web form shows every field's error at once, and offers the suggestion in one click", async () => {
      const c = formClient(t, { 'accept-language': 'ja' });
      await c.get('/sign-up');
      const all = await c.post('/sign-up', {
        email: 'someone@mailinator.com',
        password: 'short',
        displayName: '',
      });
      expect(all.statusCode).toBe(400);
      const text = pageText(all.body);
      expect(text).toContain(tr('ja', 'error.account.email_disposable', { domain: 'mailinator.com' }));
      expect(text).toContain(tr('ja', 'error.account.display_name_invalid'));
      expect(text).toContain(tr('ja', 'error.password.too_short', { min: 8 }));

      const email = uniqueEmail('typo').replace('@example.com', '@outlok.com');
      const typo = await c.post('/sign-up', {
        email,
        password: 'correct horse battery staple 42',
        displayName: '山田 太郎',
        locale: 'ja',
      });
      expect(typo.statusCode).toBe(400);
      const suggested = email.replace('@outlok.com', '@outlook.com');
      expect(pageText(typo.body)).toContain(tr('ja', 'deadends.signup.typo_use', { suggestion: suggested }));
      // One click: no need to type the password again.
      const accepted = await c.follow(await c.post('/sign-up/typo', { choice: 'suggested' }));
      expect(accepted.statusCode).toBe(200);
      const confirm = pageText(accepted.body);
      // The confirm page shows the address as typed (the user's own input), with a way to change it.
      expect(confirm).toContain(suggested);
      expect(accepted.body).toContain('href="/sign-up?change=1"');
      await t.drain();
      expect(t.sink.to(suggested).length).toBe(1);
      expect(t.sink.to(email).length).toBe(0);
      // "Wrong address? Change it": the form comes back filled in.
      const change = await c.get('/sign-up?change=1');
      expect(change.body).toContain(`value="${suggested}"`);
      expect(change.body).toContain('value="山田 太郎"');
    });

    it('keeping the address as typed is one click too', async () => {
      const c = formClient(t, { 'accept-language': 'ja' });
      await c.get('/sign-up');
      const email = uniqueEmail('keep').replace('@example.com', '@gmial.com');
      await c.post('/sign-up', {
        email,
        password: 'correct horse battery staple 42',
        displayName: 'Kept',
        locale: 'en',
      });
      const kept = await c.follow(await c.post('/sign-up/typo', { choice: 'typed' }));
      expect(pageText(kept.body)).toContain(email);
    });
  });

  describe('account settings: name, language and time zone', () => {
    it('PATCH /me changes them; emails then use the new language', async () => {
      const a = await signedUpAccount(t, { locale: 'ja' });
      const bad = await t.api('PATCH', '/api/v1/me', { displayName: '<b>' }, a.token);
      expect(bad.status).toBe(400);
      expect(bad.body.error?.code).toBe('account.display_name_invalid');
      const badTz = await t.api('PATCH', '/api/v1/me', { timeZone: 'Mars/Olympus' }, a.token);
      expect(badTz.body.error?.code).toBe('account.time_zone_invalid');
      const r = await t.api(
        'PATCH',
        '/api/v1/me',
        { displayName: 'Alice Smith', locale: 'en', timeZone: 'Europe/London' },
        a.token,
      );
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ displayName: 'Alice Smith', locale: 'en', timeZone: 'Europe/London' });
      expect((await t.api('GET', '/api/v1/me', undefined, a.token)).body).toMatchObject({
        displayName: 'Alice Smith',
        locale: 'en',
        timeZone: 'Europe/London',
      });
      // The next email speaks English.
      const contact = uniqueEmail('contact');
      expect((await t.api('POST', '/api/v1/methods/emails', { email: contact }, a.token)).status).toBe(202);
      await t.drain();
      expect(t.sink.to(contact).at(-1)?.subject).toBe(tr('en', 'mail.code.add_email.subject'));
      // Without a session: nothing.
      expect((await t.api('PATCH', '/api/v1/me', { locale: 'ja' })).status).toBe(401);
    });

    it('the /account page saves them (CSRF like any form), linked from the security page', async () => {
      const a = await signedUpAccount(t, { locale: 'ja' });
      const c = formClient(t, { 'accept-language': 'ja' });
      c.jar.set('mamori_session', a.token);
      const security = await c.get('/security');
      expect(security.body).toContain('href="/account"');
      const page = await c.get('/account');
      expect(page.statusCode).toBe(200);
      expect(pageText(page.body)).toContain(tr('ja', 'deadends.account.title'));
      const noCsrf = await c.post('/account', { displayName: 'X', locale: 'en', timeZone: 'UTC' }, false);
      expect(noCsrf.statusCode).toBe(403);
      await c.get('/account');
      const saved = await c.follow(
        await c.post('/account', { displayName: '山田 次郎', locale: 'en', timeZone: 'America/New_York' }),
      );
      expect(saved.statusCode).toBe(200);
      expect(pageText(saved.body)).toContain(tr('en', 'deadends.account.saved'));
      expect((await t.api('GET', '/api/v1/me', undefined, a.token)).body).toMatchObject({
        displayName: '山田 次郎',
        locale: 'en',
        timeZone: 'America/New_York',
      });
    });

    it('the header language switch offers to save the language to the account', async () => {
      const a = await signedUpAccount(t, { locale: 'ja' });
      const c = formClient(t, { 'accept-language': 'ja' });
      c.jar.set('mamori_session', a.token);
      const switched = await c.follow(await c.get('/lang/en?next=%2Fsecurity'));
      const text = pageText(switched.body);
      expect(text).toContain(tr('en', 'deadends.lang.offer'));
      const saved = await c.follow(await c.post('/account/language', { locale: 'en', next: '/security' }));
      expect(saved.statusCode).toBe(200);
      expect((await t.api('GET', '/api/v1/me', undefined, a.token)).body.locale).toBe('en');
      // Once saved, the offer is not made again.
      expect(pageText(saved.body)).not.toContain(tr('en', 'deadends.lang.offer'));
    });
  });
});

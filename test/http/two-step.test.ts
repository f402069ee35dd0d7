import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiResponse,
  createTestApp,
  GOOD_PASSWORD,
  signedUpAccount,
  type TestApp,
  uniqueEmail,
  verifiedEmail,
} from '../support/harness.ts';
import { hasOathtool, oathtoolCode } from '../support/oathtool.ts';

const required = Boolean(process.env.CI || process.env.MAMORI_REQUIRE_ALL);
if (!hasOathtool && !required)
  console.warn('oathtool is missing: two-step tests skipped (apt-get install oathtool)');

describe.skipIf(!hasOathtool && !required)(
  'two-step verification, authenticator apps, trusted devices (HTTP)',
  () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ env: { TRUSTED_PROXIES: '127.0.0.1' } });
    });
    afterAll(() => t.close());

    /** An account with a verified contact email and a verified authenticator app; returns its manual key. */
    async function withAuthenticator() {
      const acct = await signedUpAccount(t);
      const contact = uniqueEmail('contact');
      await verifiedEmail(t, acct.token, contact);
      const start = await t.api('POST', '/api/v1/methods/totp', { label: 'iPhone' }, acct.token);
      expect(start.status).toBe(202);
      expect(start.body.uri).toMatch(/^otpauth:\/\/totp\/Mamori:.*secret=[A-Z2-7]+/);
      expect(start.body.qrSvg).toMatch(/^<svg/);
      const key = start.body.manualKey as string;
      expect(key).toMatch(/^([A-Z2-7]{4} )+[A-Z2-7]{1,4}$/);
      const confirm = await t.api(
        'POST',
        `/api/v1/methods/totp/${start.body.methodId}/confirm`,
        { code: oathtoolCode(key, t.clock.now()) },
        acct.token,
      );
      expect(confirm.status).toBe(204);
      return { ...acct, contact, key, totpId: start.body.methodId as string };
    }

    const signIn = (
      email: string,
      password = GOOD_PASSWORD,
      extra: Record<string, unknown> = {},
      headers: Record<string, string> = {},
    ) => t.api('POST', '/api/v1/sessions', { email, password, ...extra }, undefined, headers);

    const complete = (
      pendingToken: string,
      methodId: string,
      code: string,
      trustDevice = false,
    ): Promise<ApiResponse> =>
      t.api('POST', '/api/v1/sessions/second-factor', { pendingToken, methodId, code, trustDevice });

    it('an authenticator code computed by oathtool completes enrolment; the app is announced to every contact', async () => {
      const { contact, email } = await withAuthenticator();
      await t.drain();
      for (const to of [email, contact]) {
        expect(
          t.sink
            .to(to)
            .some(
              (m) =>
                m.subject === 'アカウントにセキュリティ情報が追加されました' &&
                m.text.includes('認証アプリ（iPhone）'),
            ),
        ).toBe(true);
      }
    });

    it('two-step verification needs two verified methods, and is announced when turned on', async () => {
      const { token, email } = await signedUpAccount(t);
      const refused = await t.api('PUT', '/api/v1/two-step', { enabled: true }, token);
      expect(refused.status).toBe(409);
      expect(refused.body.error?.code).toBe('two_step.needs_two_methods');
      const a = await withAuthenticator();
      expect((await t.api('PUT', '/api/v1/two-step', { enabled: true }, a.token)).status).toBe(204);
      await t.drain();
      expect(t.sink.to(a.contact).filter((m) => m.subject === '2段階認証がオンになりました')).toHaveLength(1);
      void email;
    });

    it('with two-step on, a new sign-in needs a second proof; an authenticator step is never accepted twice', async () => {
      const a = await withAuthenticator();
      await t.api('PUT', '/api/v1/two-step', { enabled: true }, a.token);
      t.clock.advance(31_000);
      const first = await signIn(a.email);
      expect(first.status).toBe(202);
      const pending = first.body.secondFactor as { pendingToken: string; reason: string };
      expect(pending.reason).toBe('two_step');
      const methods = (
        await t.api('POST', '/api/v1/sessions/second-factor/methods', { pendingToken: pending.pendingToken })
      ).body.methods as { id: string; kind: string }[];
      expect(methods.map((m) => m.kind).sort()).toEqual(['email', 'totp']);
      const code = oathtoolCode(a.key, t.clock.now());
      const ok = await complete(pending.pendingToken, a.totpId, code);
      expect(ok.status).toBe(200);
      expect(ok.body.sessionToken).toBeTruthy();
      // The same code (same time step) for another sign-in is a replay.
      const second = await signIn(a.email);
      const replay = await complete(
        (second.body.secondFactor as { pendingToken: string }).pendingToken,
        a.totpId,
        code,
      );
      expect(replay.status).toBe(400);
      expect(replay.body.error?.code).toBe('code.used');
      expect(replay.body.sessionToken).toBeUndefined();
      // The completed pending sign-in cannot be used again.
      const again = await complete(
        pending.pendingToken,
        a.totpId,
        oathtoolCode(a.key, new Date(t.clock.now().getTime() + 30_000)),
      );
      expect(again.body.error?.code).toBe('signin.flow_invalid');
    });

    it('"don\'t ask again on this device" skips the second proof for that account only, until revoked', async () => {
      const a = await withAuthenticator();
      await t.api('PUT', '/api/v1/two-step', { enabled: true }, a.token);
      t.clock.advance(31_000);
      const p = (await signIn(a.email)).body.secondFactor as { pendingToken: string };
      const done = await complete(p.pendingToken, a.totpId, oathtoolCode(a.key, t.clock.now()), true);
      const deviceToken = done.body.trustedDeviceToken as string;
      expect(deviceToken).toBeTruthy();
      const trusted = await signIn(a.email, GOOD_PASSWORD, { trustedDeviceToken: deviceToken });
      expect(trusted.status).toBe(200);
      // Another account's device token does not count.
      const b = await withAuthenticator();
      await t.api('PUT', '/api/v1/two-step', { enabled: true }, b.token);
      expect((await signIn(b.email, GOOD_PASSWORD, { trustedDeviceToken: deviceToken })).status).toBe(202);
      // Revoked: asked again.
      const list = await t.api(
        'GET',
        '/api/v1/trusted-devices',
        undefined,
        trusted.body.sessionToken as string,
      );
      expect((list.body.devices as unknown[]).length).toBe(1);
      expect(
        (await t.api('DELETE', '/api/v1/trusted-devices', undefined, trusted.body.sessionToken as string))
          .body,
      ).toEqual({ revoked: 1 });
      expect((await signIn(a.email, GOOD_PASSWORD, { trustedDeviceToken: deviceToken })).status).toBe(202);
    });

    it('with two-step on, sensitive changes need a second-factor proof, not just the password', async () => {
      const a = await withAuthenticator();
      await t.api('PUT', '/api/v1/two-step', { enabled: true }, a.token);
      t.clock.advance(11 * 60_000);
      const byPassword = await t.api('POST', '/api/v1/reauth', { password: GOOD_PASSWORD }, a.token);
      expect(byPassword.status).toBe(200);
      a.token = byPassword.body.sessionToken as string;
      const still = await t.api('POST', '/api/v1/methods/emails', { email: uniqueEmail() }, a.token);
      expect(still.body.error?.code).toBe('auth.reauth_required');
      const step = await t.api(
        'POST',
        '/api/v1/reauth/code/verify',
        { methodId: a.totpId, code: oathtoolCode(a.key, t.clock.now()) },
        a.token,
      );
      expect(step.status).toBe(200);
      a.token = step.body.sessionToken as string;
      expect((await t.api('POST', '/api/v1/methods/emails', { email: uniqueEmail() }, a.token)).status).toBe(
        202,
      );
    });

    it('wrong codes of every kind share one account-wide budget', async () => {
      const a = await withAuthenticator();
      await t.api('PUT', '/api/v1/two-step', { enabled: true }, a.token);
      t.clock.advance(31_000);
      const p = (await signIn(a.email)).body.secondFactor as { pendingToken: string };
      const methods = (
        await t.api('POST', '/api/v1/sessions/second-factor/methods', { pendingToken: p.pendingToken })
      ).body.methods as { id: string; kind: string }[];
      const emailMethod = methods.find((m) => m.kind === 'email')!;
      t.clock.advance(61_000);
      const sent = await t.api('POST', '/api/v1/sessions/second-factor/send', {
        pendingToken: p.pendingToken,
        methodId: emailMethod.id,
      });
      expect(sent.status).toBe(200);
      const right = oathtoolCode(a.key, t.clock.now());
      const wrong = right === '000000' ? '111111' : '000000';
      // Alternate between the email code (max 5 per code) and the authenticator: 10 wrong in all.
      for (let i = 0; i < 5; i++) {
        expect((await complete(p.pendingToken, a.totpId, wrong)).body.error?.code).toBe('code.invalid');
        const e = await complete(p.pendingToken, emailMethod.id, wrong);
        expect(['code.wrong', 'code.too_many_attempts']).toContain(e.body.error?.code);
      }
      const blocked = await complete(p.pendingToken, a.totpId, right);
      expect(blocked.status).toBe(429);
      expect(blocked.body.error?.code).toBe('code.too_many_attempts');
    });

    it('an unusual sign-in (new country) is challenged with a code and alerts every contact exactly once', async () => {
      const { email } = await signedUpAccount(t);
      const contact = uniqueEmail('alerted');
      const { token } = {
        token: (await t.api('POST', '/api/v1/sessions', { email, password: GOOD_PASSWORD })).body
          .sessionToken as string,
      };
      await verifiedEmail(t, token, contact);
      t.sink.clear();
      const abroad = { 'x-forwarded-for': '8.8.8.8' };
      const r = await signIn(email, GOOD_PASSWORD, {}, abroad);
      expect(r.status).toBe(202);
      expect((r.body.secondFactor as { reason: string }).reason).toBe('unusual');
      await t.drain();
      for (const to of [email, contact]) {
        const alerts = t.sink.to(to).filter((m) => m.subject === 'アカウントへの普段と異なるサインイン');
        expect(alerts).toHaveLength(1);
        expect(alerts[0]!.text).toContain('8.8.8.8');
        expect(alerts[0]!.text).toMatch(/アメリカ合衆国|米国/);
      }
      const activity = await t.api('GET', '/api/v1/activity', undefined, token);
      const unusual = (activity.body.events as { kind: string }[]).filter((e) => e.kind === 'signin.unusual');
      expect(unusual).toHaveLength(1);
      // Until the challenge is passed there is no session; passing it starts one.
      const p = r.body.secondFactor as { pendingToken: string };
      const methods = (
        await t.api('POST', '/api/v1/sessions/second-factor/methods', { pendingToken: p.pendingToken })
      ).body.methods as { id: string; kind: string }[];
      expect(methods.every((m) => m.kind === 'email' || m.kind === 'phone')).toBe(true);
      t.clock.advance(61_000);
      await t.api(
        'POST',
        '/api/v1/sessions/second-factor/send',
        { pendingToken: p.pendingToken, methodId: methods[0]!.id },
        undefined,
        abroad,
      );
      const code = await t.mailedCode(contact);
      const done = await t.api(
        'POST',
        '/api/v1/sessions/second-factor',
        { pendingToken: p.pendingToken, methodId: methods[0]!.id, code },
        undefined,
        abroad,
      );
      expect(done.status).toBe(200);
      // Same country and device again: no more challenge, no more alert.
      t.sink.clear();
      expect((await signIn(email, GOOD_PASSWORD, {}, abroad)).status).toBe(200);
      await t.drain();
      expect(
        t.sink.messages.filter((m) => m.subject === 'アカウントへの普段と異なるサインイン'),
      ).toHaveLength(0);
    });

    it('a recovery code is shown once, replaced by a new one, and gets an account back through forgot password', async () => {
      const { token, email } = await signedUpAccount(t);
      const first = (await t.api('POST', '/api/v1/recovery-code', undefined, token)).body
        .recoveryCode as string;
      expect(first).toMatch(/^([2-9A-HJKMNP-TV-Z]{5}-){4}[2-9A-HJKMNP-TV-Z]{5}$/);
      const second = (await t.api('POST', '/api/v1/recovery-code', undefined, token)).body
        .recoveryCode as string;
      expect(second).not.toBe(first);
      const flowToken = (await t.api('POST', '/api/v1/password-reset', { email })).body.flowToken as string;
      const old = await t.api('POST', '/api/v1/password-reset/recovery-code', {
        flowToken,
        recoveryCode: first,
      });
      expect(old.body.error?.code).toBe('code.invalid');
      const typed = second.toLowerCase().replace(/-/g, ' ');
      // Spent at this step, and replaced at once: the new code is the answer.
      const used = await t.api('POST', '/api/v1/password-reset/recovery-code', {
        flowToken,
        recoveryCode: typed,
      });
      expect(used.status).toBe(200);
      const fresh = used.body.newRecoveryCode as string;
      expect(fresh).toMatch(/^[2-9A-Z-]{29}$/);
      expect(fresh).not.toBe(second);
      const done = await t.api('POST', '/api/v1/password-reset/complete', {
        flowToken,
        password: 'brand new passphrase 55',
      });
      expect(done.status).toBe(200);
      expect(done.body.newRecoveryCode).toBeNull(); // already shown
      // The used code is spent.
      const flow2 = (await t.api('POST', '/api/v1/password-reset', { email })).body.flowToken as string;
      expect(
        (
          await t.api('POST', '/api/v1/password-reset/recovery-code', {
            flowToken: flow2,
            recoveryCode: second,
          })
        ).body.error?.code,
      ).toBe('code.invalid');
      expect((await signIn(email, 'brand new passphrase 55')).status).toBe(200);
    });

    it('with two-step on, forgot password needs two different proofs', async () => {
      const a = await withAuthenticator();
      await t.api('PUT', '/api/v1/two-step', { enabled: true }, a.token);
      t.clock.advance(61_000);
      const flowToken = (await t.api('POST', '/api/v1/password-reset', { email: a.email })).body
        .flowToken as string;
      const state = async () =>
        (await t.api('POST', '/api/v1/password-reset/state', { flowToken })).body as {
          step: string;
          secondProof: boolean;
          methods: { id: string; kind: string }[];
        };
      const s1 = await state();
      // The verified sign-in address is listed first (docs/flows/password-reset.md).
      expect(s1.methods.map((m) => m.kind)).toEqual(['signin', 'email']);
      await t.api('POST', '/api/v1/password-reset/choose', {
        flowToken,
        methodId: s1.methods[1]!.id,
        confirm: a.contact,
      });
      const code = await t.mailedCode(a.contact);
      expect((await t.api('POST', '/api/v1/password-reset/verify', { flowToken, code })).status).toBe(204);
      const s2 = await state();
      expect(s2).toMatchObject({ step: 'choose', secondProof: true });
      // Any other method: the sign-in address or the authenticator app, never the contact used first.
      expect(s2.methods.map((m) => m.kind)).toEqual(['signin', 'totp']);
      const early = await t.api('POST', '/api/v1/password-reset/complete', {
        flowToken,
        password: 'brand new passphrase 66',
      });
      expect(early.body.error?.code).toBe('reset.flow_invalid');
      await t.api('POST', '/api/v1/password-reset/choose', {
        flowToken,
        methodId: s2.methods[1]!.id,
        confirm: '',
      });
      t.clock.advance(30_000);
      expect(
        (
          await t.api('POST', '/api/v1/password-reset/verify', {
            flowToken,
            code: oathtoolCode(a.key, t.clock.now()),
          })
        ).status,
      ).toBe(204);
      expect((await state()).step).toBe('new_password');
      expect(
        (
          await t.api('POST', '/api/v1/password-reset/complete', {
            flowToken,
            password: 'brand new passphrase 66',
          })
        ).status,
      ).toBe(200);
    });
  },
);

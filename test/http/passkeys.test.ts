import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  reauthWithPasskey,
  startPasskeySecondFactor,
  verifyPasskeyForAccount,
} from '../../src/security-info/passkeys/passkey-service.ts';
import { isReauthFresh, validateSession } from '../../src/sessions/sessions.ts';
import type { StoreKind } from '../support/databases.ts';
import { createTestApp, signedUpAccount, type TestApp } from '../support/harness.ts';
import {
  type CreationOptionsJSON,
  type RequestOptionsJSON,
  SoftAuthenticator,
} from '../support/soft-authenticator.ts';
import { formClient } from '../web/browser-less-client.ts';

const MINUTE = 60_000;
const ORIGIN = 'http://mamori.test';
const sha = (s: string) => createHash('sha256').update(s).digest('base64url');

interface Started<T> {
  token: string;
  options: T;
}

describe.each<StoreKind>(['pglite', 'postgres'])('passkeys over HTTP on %s', (store) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ store });
  });
  afterAll(() => t.close());

  const passkeyRows = (accountId: string) =>
    t.app.deps.db.query<{
      id: string;
      value: string;
      value_key: string;
      label: string;
      verified_at: Date | null;
      credential: { publicKey: string; counter: number; transports: string[] };
    }>(`SELECT * FROM security_methods WHERE account_id = $1 AND kind = 'passkey'`, [accountId]);
  const me = async (token: string) =>
    (await t.api('GET', '/api/v1/me', undefined, token)).body as { id: string };
  const startRegistration = async (token: string) => {
    const r = await t.api('POST', '/api/v1/methods/passkeys/options', undefined, token);
    expect(r.status).toBe(200);
    return r.body as unknown as Started<CreationOptionsJSON>;
  };
  const startSignIn = async () => {
    const r = await t.api('POST', '/api/v1/sessions/passkey/options');
    expect(r.status).toBe(200);
    return r.body as unknown as Started<RequestOptionsJSON>;
  };

  /** A signed-up account with one passkey on `auth`. */
  async function accountWithPasskey(auth = new SoftAuthenticator(ORIGIN)) {
    const account = await signedUpAccount(t);
    const start = await startRegistration(account.token);
    const done = await t.api(
      'POST',
      '/api/v1/methods/passkeys',
      { token: start.token, response: auth.create(start.options), name: 'Laptop' },
      account.token,
    );
    expect(done.status, JSON.stringify(done.body)).toBe(201);
    return {
      ...account,
      auth,
      accountId: (await me(account.token)).id,
      methodId: done.body.methodId as string,
    };
  }

  it('offers creation options for a discoverable passkey of this site, and keeps only a hash of the token', async () => {
    const { token, email } = await signedUpAccount(t);
    const { id } = await me(token);
    const r = await startRegistration(token);
    const o = r.options;
    expect(o.rp).toEqual({ id: 'mamori.test', name: 'Mamori' });
    expect(o.user.name).toBe(email);
    expect(o.user.displayName).toBe('山田 太郎');
    expect(Buffer.from(o.user.id, 'base64url').toString()).toBe(id);
    expect(o.authenticatorSelection).toMatchObject({
      residentKey: 'required',
      userVerification: 'preferred',
    });
    expect(o.excludeCredentials).toEqual([]);
    expect(o.challenge).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const rows = await t.app.deps.db.query<{ id: string; purpose: string; account_id: string }>(
      'SELECT id, purpose, account_id FROM webauthn_challenges WHERE challenge = $1',
      [o.challenge],
    );
    expect(rows).toEqual([{ id: sha(r.token), purpose: 'register', account_id: id }]);
  });

  it('adds a passkey as verified security info, records it and tells every contact', async () => {
    const { token, email } = await signedUpAccount(t);
    const { id } = await me(token);
    const auth = new SoftAuthenticator(ORIGIN);
    const start = await startRegistration(token);
    const response = auth.create(start.options);
    const done = await t.api(
      'POST',
      '/api/v1/methods/passkeys',
      { token: start.token, response, name: '  仕事用\u3000ノート ' },
      token,
    );
    expect(done.status).toBe(201);
    const rows = await passkeyRows(id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      id: done.body.methodId,
      value: response.id,
      value_key: response.id,
      label: '仕事用 ノート',
      credential: { counter: 0, transports: ['internal'] },
    });
    expect(rows[0]!.verified_at).toBeInstanceOf(Date);
    expect(rows[0]!.credential.publicKey).toMatch(/^[A-Za-z0-9_-]+$/);
    const events = (await t.api('GET', '/api/v1/activity', undefined, token)).body.events as {
      kind: string;
      detail: Record<string, string>;
    }[];
    expect(events[0]).toMatchObject({
      kind: 'method.verified',
      detail: { kind: 'passkey', method: 'パスキー（仕事用 ノート）' },
    });
    await t.drain();
    expect(t.sink.to(email).at(-1)?.text).toContain('パスキー（仕事用 ノート）');
    // The methods list shows it, and the next registration excludes it.
    const list = (await t.api('GET', '/api/v1/methods', undefined, token)).body.methods as { kind: string }[];
    expect(list.map((m) => m.kind)).toEqual(['passkey']);
    const again = await startRegistration(token);
    expect(again.options.excludeCredentials).toEqual([
      { id: response.id, type: 'public-key', transports: ['internal'] },
    ]);
  });

  it('uses each registration challenge once, and not after 5 minutes', async () => {
    const { token } = await signedUpAccount(t);
    const { id } = await me(token);
    const auth = new SoftAuthenticator(ORIGIN);
    const start = await startRegistration(token);
    const response = auth.create(start.options);
    expect(
      (await t.api('POST', '/api/v1/methods/passkeys', { token: start.token, response }, token)).status,
    ).toBe(201);
    const replay = await t.api('POST', '/api/v1/methods/passkeys', { token: start.token, response }, token);
    expect(replay.status).toBe(400);
    expect(replay.body.error?.code).toBe('request.invalid');

    const late = await startRegistration(token);
    t.clock.advance(5 * MINUTE + 1000);
    const r = await t.api(
      'POST',
      '/api/v1/methods/passkeys',
      { token: late.token, response: new SoftAuthenticator(ORIGIN).create(late.options) },
      token,
    );
    expect(r.status).toBe(400);
    expect(await passkeyRows(id)).toHaveLength(1);
  });

  it('refuses forged or garbage responses with a 400, stores nothing, and spends the challenge', async () => {
    const { token } = await signedUpAccount(t);
    const { id } = await me(token);
    const auth = new SoftAuthenticator(ORIGIN);
    const post = (body: unknown) => t.api('POST', '/api/v1/methods/passkeys', body, token);

    // Not even the shape of a credential: refused by the schema.
    const noShape = await post({ token: 'x', response: { hello: 'world' } });
    expect(noShape.status).toBe(400);
    expect(noShape.body.error?.code).toBe('request.invalid');

    // The right shape, garbage inside.
    let start = await startRegistration(token);
    const garbage = await post({
      token: start.token,
      response: {
        id: 'AAAA',
        rawId: 'AAAA',
        type: 'public-key',
        clientExtensionResults: {},
        response: { clientDataJSON: 'e30', attestationObject: 'oA' },
      },
    });
    expect(garbage.status).toBe(400);
    expect(garbage.body.error).toMatchObject({ code: 'request.invalid', message: expect.any(String) });
    // The challenge is spent even though the response was refused: a good response cannot follow.
    const afterGarbage = await post({ token: start.token, response: auth.create(start.options) });
    expect(afterGarbage.status).toBe(400);

    // A real authenticator, but created on another site / for another challenge / with another token.
    start = await startRegistration(token);
    expect(
      (
        await post({
          token: start.token,
          response: auth.create(start.options, { origin: 'https://evil.test' }),
        })
      ).status,
    ).toBe(400);
    start = await startRegistration(token);
    expect(
      (
        await post({
          token: start.token,
          response: auth.create(start.options, { challenge: 'AAAAAAAAAAAAAAAAAAAAAA' }),
        })
      ).status,
    ).toBe(400);
    start = await startRegistration(token);
    expect((await post({ token: 'not-the-token', response: auth.create(start.options) })).status).toBe(400);

    // Another account's challenge cannot be used.
    const other = await signedUpAccount(t);
    const otherStart = await startRegistration(other.token);
    expect((await post({ token: otherStart.token, response: auth.create(otherStart.options) })).status).toBe(
      400,
    );

    expect(await passkeyRows(id)).toEqual([]);
    const events = (await t.api('GET', '/api/v1/activity', undefined, token)).body.events as {
      kind: string;
    }[];
    expect(events.some((e) => e.kind === 'method.verified')).toBe(false);
  });

  it('needs a fresh proof to add a passkey', async () => {
    const { token } = await signedUpAccount(t);
    const start = await startRegistration(token);
    t.clock.advance(11 * MINUTE);
    const options = await t.api('POST', '/api/v1/methods/passkeys/options', undefined, token);
    expect(options.status).toBe(403);
    expect(options.body.error?.code).toBe('auth.reauth_required');
    const finish = await t.api(
      'POST',
      '/api/v1/methods/passkeys',
      { token: start.token, response: new SoftAuthenticator(ORIGIN).create(start.options) },
      token,
    );
    expect(finish.status).toBe(403);
    expect((await t.api('POST', '/api/v1/methods/passkeys/options')).status).toBe(401);
  });

  it('signs in with a passkey and no password: a two-step verified session', async () => {
    const a = await accountWithPasskey();
    const start = await startSignIn();
    expect(start.options).toMatchObject({ rpId: 'mamori.test', userVerification: 'required' });
    expect(start.options.allowCredentials).toBeUndefined();
    const r = await t.api('POST', '/api/v1/sessions/passkey', {
      token: start.token,
      response: a.auth.get(start.options),
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const sessionToken = r.body.sessionToken as string;
    expect((await me(sessionToken)).id).toBe(a.accountId);
    const [s] = await t.app.deps.db.query<{ second_factor_at: Date | null }>(
      'SELECT second_factor_at FROM sessions WHERE id = $1',
      [sha(sessionToken)],
    );
    expect(s?.second_factor_at).toBeInstanceOf(Date);
    const [row] = await passkeyRows(a.accountId);
    expect(row?.credential.counter).toBe(1);
    const events = (await t.api('GET', '/api/v1/activity', undefined, sessionToken)).body.events as {
      kind: string;
      detail: Record<string, string>;
    }[];
    expect(events[0]).toMatchObject({ kind: 'signin.success', detail: { with: 'passkey' } });
  });

  it('refuses replays, unknown passkeys, a counter that goes back and a missing user verification', async () => {
    const a = await accountWithPasskey();
    const signIn = (body: unknown) => t.api('POST', '/api/v1/sessions/passkey', body);

    const start = await startSignIn();
    const response = a.auth.get(start.options);
    expect((await signIn({ token: start.token, response })).status).toBe(200);
    // The same token again: the challenge is spent.
    const replay = await signIn({ token: start.token, response });
    expect(replay.status).toBe(400);
    expect(replay.body.error?.code).toBe('signin.flow_invalid');
    // The same assertion with a new challenge: its signature is for the old one.
    const second = await startSignIn();
    const stale = await signIn({ token: second.token, response });
    expect(stale.status).toBe(401);
    expect(stale.body.error?.code).toBe('auth.invalid_credentials');

    // A passkey this site never registered.
    const stranger = new SoftAuthenticator(ORIGIN);
    stranger.create({
      challenge: 'AA',
      rp: { name: 'x', id: 'mamori.test' },
      user: { id: 'eA', name: 'x', displayName: 'x' },
    });
    const s3 = await startSignIn();
    const unknown = await signIn({ token: s3.token, response: stranger.get(s3.options) });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error?.code).toBe('auth.invalid_credentials');

    // A cloned authenticator: its counter is behind the one stored.
    const s4 = await startSignIn();
    const cloned = await signIn({ token: s4.token, response: a.auth.get(s4.options, { counter: 1 }) });
    expect(cloned.status).toBe(401);

    // Alone, a passkey must verify its user (PIN, biometrics).
    a.auth.userVerified = false;
    const s5 = await startSignIn();
    expect((await signIn({ token: s5.token, response: a.auth.get(s5.options) })).status).toBe(401);
    a.auth.userVerified = true;

    // Another site's assertion.
    const s6 = await startSignIn();
    expect(
      (await signIn({ token: s6.token, response: a.auth.get(s6.options, { origin: 'https://evil.test' }) }))
        .status,
    ).toBe(401);

    // Garbage.
    const s7 = await startSignIn();
    const garbage = await signIn({
      token: s7.token,
      response: {
        id: 'AAAA',
        rawId: 'AAAA',
        type: 'public-key',
        response: { clientDataJSON: 'e30', authenticatorData: 'AA', signature: 'AA' },
      },
    });
    expect(garbage.status).toBe(401);

    const sessions = await t.app.deps.db.query('SELECT 1 FROM sessions WHERE account_id = $1', [a.accountId]);
    expect(sessions).toHaveLength(2); // the one from sign-up and the one good passkey sign-in
    const s8 = await startSignIn();
    expect((await signIn({ token: s8.token, response: a.auth.get(s8.options) })).status).toBe(200);
  });

  it('accepts authenticators that do not count (counter stays 0)', async () => {
    const auth = new SoftAuthenticator(ORIGIN);
    auth.countsUses = false;
    const a = await accountWithPasskey(auth);
    for (let i = 0; i < 2; i++) {
      const s = await startSignIn();
      const r = await t.api('POST', '/api/v1/sessions/passkey', {
        token: s.token,
        response: auth.get(s.options),
      });
      expect(r.status).toBe(200);
    }
    expect((await passkeyRows(a.accountId))[0]?.credential.counter).toBe(0);
  });

  it('checks a passkey as the second proof of one account (for pending sign-ins and step-up)', async () => {
    const a = await accountWithPasskey();
    const deps = t.app.deps;
    const none = await signedUpAccount(t);
    expect(await startPasskeySecondFactor(deps, (await me(none.token)).id)).toBeNull();

    const start = await startPasskeySecondFactor(deps, a.accountId);
    expect(start?.options.allowCredentials).toEqual([
      { id: (await passkeyRows(a.accountId))[0]!.value, type: 'public-key', transports: ['internal'] },
    ]);
    const response = a.auth.get(start!.options);
    expect(
      await deps.db.tx((tx) => verifyPasskeyForAccount(deps, tx, a.accountId, start!.token, response)),
    ).toBe(true);
    // Single use.
    expect(
      await deps.db.tx((tx) => verifyPasskeyForAccount(deps, tx, a.accountId, start!.token, response)),
    ).toBe(false);
    // Not for another account, and never a throw for garbage.
    const other = await accountWithPasskey();
    const s2 = await startPasskeySecondFactor(deps, a.accountId);
    expect(
      await deps.db.tx((tx) =>
        verifyPasskeyForAccount(
          deps,
          tx,
          other.accountId,
          s2!.token,
          other.auth.get({ ...s2!.options, allowCredentials: undefined }),
        ),
      ),
    ).toBe(false);
    const s3 = await startPasskeySecondFactor(deps, a.accountId);
    expect(
      await deps.db.tx((tx) => verifyPasskeyForAccount(deps, tx, a.accountId, s3!.token, { nope: 1 })),
    ).toBe(false);
    // Another account's passkey for this account's challenge.
    const s4 = await startPasskeySecondFactor(deps, a.accountId);
    expect(
      await deps.db.tx((tx) =>
        verifyPasskeyForAccount(
          deps,
          tx,
          a.accountId,
          s4!.token,
          other.auth.get({ ...s4!.options, allowCredentials: undefined }),
        ),
      ),
    ).toBe(false);
  });

  it('gives a fresh second-factor proof for step-up (reauthWithPasskey)', async () => {
    const a = await accountWithPasskey();
    const deps = t.app.deps;
    const ctx = { ip: '127.0.0.1', userAgent: 'test', locale: 'ja' as const, country: 'LOCAL' };
    t.clock.advance(11 * MINUTE);
    let session = (await validateSession(deps, a.token))!;
    expect(isReauthFresh(deps, { ...session, twoStep: true })).toBe(false);
    const start = (await startPasskeySecondFactor(deps, a.accountId))!;
    await expect(
      reauthWithPasskey(deps, session, start.token, { id: 'AA', rawId: 'AA' }, ctx),
    ).rejects.toMatchObject({ code: 'auth.invalid_credentials' });
    // The refused attempt spent the challenge.
    await expect(
      reauthWithPasskey(deps, session, start.token, a.auth.get(start.options), ctx),
    ).rejects.toMatchObject({ code: 'auth.invalid_credentials' });
    const again = (await startPasskeySecondFactor(deps, a.accountId))!;
    const { sessionToken } = await reauthWithPasskey(
      deps,
      session,
      again.token,
      a.auth.get(again.options),
      ctx,
    );
    // The step-up replaced the session token.
    expect(await validateSession(deps, a.token)).toBeNull();
    session = (await validateSession(deps, sessionToken))!;
    expect(isReauthFresh(deps, { ...session, twoStep: true })).toBe(true);
  });

  describe('web endpoints', () => {
    /** A browser-less client holding the session of `token`, posting JSON like the page's script. */
    async function webClient(token?: string) {
      const c = formClient(t);
      if (token) c.jar.set('mamori_session', token);
      const json = async (url: string, body: Record<string, unknown>) => {
        const res = await t.app.http.inject({
          method: 'POST',
          url,
          headers: {
            cookie: [...c.jar].map(([k, v]) => `${k}=${v}`).join('; '),
            'content-type': 'application/json',
            'user-agent': 'Mozilla/5.0 no-js-client',
          },
          payload: JSON.stringify(body),
        });
        for (const sc of ([] as string[]).concat((res.headers['set-cookie'] as string[] | string) ?? [])) {
          const [pair] = sc.split(';');
          const [name, ...rest] = pair!.split('=');
          const value = rest.join('=');
          if (value === '' || /Max-Age=0|Expires=Thu, 01 Jan 1970/i.test(sc)) c.jar.delete(name!);
          else c.jar.set(name!, value);
        }
        return res;
      };
      return { c, json };
    }
    const csrfOf = (html: string) => html.match(/name="_csrf" value="([^"]+)"/)![1]!;

    it('serves the add page (JavaScript needed, said in a noscript notice) and its script', async () => {
      const anonymous = await t.app.http.inject({ url: '/security/passkeys/add' });
      expect(anonymous.statusCode).toBe(303);
      expect(anonymous.headers.location).toBe('/sign-in?next=%2Fsecurity%2Fpasskeys%2Fadd');

      const { token } = await signedUpAccount(t);
      const { c } = await webClient(token);
      const page = await c.get('/security/passkeys/add');
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('<h1>パスキーの追加</h1>');
      expect(page.body).toMatch(/<noscript>.*JavaScript.*<\/noscript>/s);
      expect(page.body).toMatch(/<button type="submit" disabled/);
      expect(page.body).toContain('<script src="/assets/passkeys.js" defer>');

      const js = await t.app.http.inject({ url: '/assets/passkeys.js' });
      expect(js.statusCode).toBe(200);
      expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
      expect(js.body).toContain('parseCreationOptionsFromJSON');

      t.clock.advance(11 * MINUTE);
      const stale = await c.get('/security/passkeys/add');
      expect(stale.statusCode).toBe(303);
      expect(stale.headers.location).toBe('/security/reauth?next=%2Fsecurity%2Fpasskeys%2Fadd');
    });

    it('adds a passkey through the JSON endpoints: CSRF-checked, token in an HttpOnly cookie', async () => {
      const { token } = await signedUpAccount(t);
      const { id } = await me(token);
      const { c, json } = await webClient(token);
      const page = await c.get('/security/passkeys/add');
      const _csrf = csrfOf(page.body);

      const noCsrf = await json('/security/passkeys/options', {});
      expect(noCsrf.statusCode).toBe(403);

      const opts = await json('/security/passkeys/options', { _csrf });
      expect(opts.statusCode).toBe(200);
      const cookie = ([] as string[])
        .concat(opts.headers['set-cookie'] as string[])
        .find((s) => s.startsWith('mamori_pk_reg='));
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Strict/);
      expect(cookie).toMatch(/Path=\/security\/passkeys/);
      const body = JSON.parse(opts.body) as { options: CreationOptionsJSON; token?: string };
      expect(body.token).toBeUndefined();

      // Garbage: a JSON error with a message for the page, and nothing stored.
      const bad = await json('/security/passkeys/verify', { _csrf, response: { id: 'AA' } });
      expect(bad.statusCode).toBe(400);
      expect(JSON.parse(bad.body)).toEqual({
        error: {
          code: 'request.invalid',
          message: 'パスキーを追加できませんでした。もう一度お試しください。',
        },
      });
      expect(await passkeyRows(id)).toEqual([]);

      const again = JSON.parse((await json('/security/passkeys/options', { _csrf })).body) as {
        options: CreationOptionsJSON;
      };
      const auth = new SoftAuthenticator(ORIGIN);
      const ok = await json('/security/passkeys/verify', {
        _csrf,
        name: 'Phone',
        response: auth.create(again.options),
      });
      expect(ok.statusCode).toBe(200);
      expect(JSON.parse(ok.body)).toEqual({ redirect: '/security?done=passkey' });
      expect((await passkeyRows(id)).map((r) => r.label)).toEqual(['Phone']);
    });

    it('signs in on the passkey page: session cookie set, sent to /security', async () => {
      const a = await accountWithPasskey();
      const { c, json } = await webClient();
      const page = await c.get('/sign-in/passkey');
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('<h1>パスキーでサインイン</h1>');
      const _csrf = csrfOf(page.body);
      const opts = await json('/sign-in/passkey/options', { _csrf });
      expect(opts.statusCode).toBe(200);
      const { options } = JSON.parse(opts.body) as { options: RequestOptionsJSON };

      const done = await json('/sign-in/passkey/verify', { _csrf, response: a.auth.get(options) });
      expect(done.statusCode).toBe(200);
      expect(JSON.parse(done.body)).toEqual({ redirect: '/security' });
      expect(c.jar.get('mamori_session')).toBeTruthy();
      const security = await c.get('/security');
      expect(security.statusCode).toBe(200);

      // The challenge cookie was cleared: the same response cannot be posted again.
      const replay = await json('/sign-in/passkey/verify', { _csrf, response: a.auth.get(options) });
      expect(replay.statusCode).toBe(400);
      expect(JSON.parse(replay.body).error.message).toBe('有効期限が切れました。もう一度お試しください。');
    });

    it('answers a wrong passkey on the sign-in page with a message for the page', async () => {
      await accountWithPasskey();
      const { c, json } = await webClient();
      const _csrf = csrfOf((await c.get('/sign-in/passkey?lang=en')).body);
      const { options } = JSON.parse((await json('/sign-in/passkey/options', { _csrf })).body) as {
        options: RequestOptionsJSON;
      };
      const stranger = new SoftAuthenticator(ORIGIN);
      stranger.create({
        challenge: 'AA',
        rp: { name: 'x', id: 'mamori.test' },
        user: { id: 'eA', name: 'x', displayName: 'x' },
      });
      const r = await json('/sign-in/passkey/verify', { _csrf, response: stranger.get(options) });
      expect(r.statusCode).toBe(401);
      expect(JSON.parse(r.body).error).toEqual({
        code: 'auth.invalid_credentials',
        message: 'We could not sign you in with that passkey. Try again, or sign in with your password.',
      });
      expect(c.jar.get('mamori_session')).toBeUndefined();
    });
  });
});

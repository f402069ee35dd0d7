import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SENSITIVE_OPERATIONS } from '../../src/sessions/step-up-guard.ts';
import {
  createTestApp,
  GOOD_PASSWORD,
  signedUpAccount,
  type TestApp,
  uniqueEmail,
  verifiedEmail,
} from '../support/harness.ts';
import { formClient } from '../web/browser-less-client.ts';

/**
 * Kind: a restriction must cover every path. While a replacement of the security info is pending, every
 * route that changes the password or the security info answers 423 'account.restricted' — JSON API and web
 * alike, "secure my account" included. The route list comes from the app itself: a new state-changing
 * route that is in neither table below fails this test until someone decides which it is.
 */

const NEW_PASSWORD = 'a brand new passphrase 77';
const PASSKEY_RESPONSE = {
  id: 'AAAA',
  rawId: 'AAAA',
  type: 'public-key',
  response: { clientDataJSON: 'AAAA', attestationObject: 'AAAA' },
};

/**
 * Routes that change the password or the security info, with a request that would otherwise be served.
 * `:id` is a verified contact for removal, an authenticator being set up for its confirmation, a contact
 * still waiting for its code for the others.
 */
const SENSITIVE_API: Record<string, unknown> = {
  'POST /api/v1/password': { password: NEW_PASSWORD },
  'POST /api/v1/secure': { password: NEW_PASSWORD },
  'POST /api/v1/methods/emails': { email: 'x@example.org' },
  'POST /api/v1/methods/phones': { country: 'JP', number: '090-1234-5678' },
  'POST /api/v1/methods/:id/verify': { code: '123456' },
  'POST /api/v1/methods/:id/resend': undefined,
  'DELETE /api/v1/methods/:id': undefined,
  'POST /api/v1/methods/totp': { label: 'phone' },
  'POST /api/v1/methods/totp/:id/confirm': { code: '123456' },
  'POST /api/v1/methods/passkeys/options': undefined,
  'POST /api/v1/methods/passkeys': { token: 'x'.repeat(40), response: PASSKEY_RESPONSE },
  'POST /api/v1/recovery-code': undefined,
  'PUT /api/v1/two-step': { enabled: true },
  // The personal phrase is in every email (anti-phishing) and labels name the methods in notices.
  'PATCH /api/v1/methods/:id': { label: 'work' },
  'PUT /api/v1/phrase': { phrase: 'こんにちは山田' },
  // Choosing one's own password after an organisation admin's temporary one.
  'POST /api/v1/password/temporary': { password: NEW_PASSWORD },
};
const SENSITIVE_WEB: Record<string, Record<string, string>> = {
  'POST /security/password': { password: NEW_PASSWORD, password2: NEW_PASSWORD },
  'POST /security/secure': { password: NEW_PASSWORD, password2: NEW_PASSWORD },
  'POST /security/emails/add': { email: 'x@example.org' },
  'POST /security/phones/add': { country: 'JP', number: '090-1234-5678' },
  'POST /security/methods/:id/verify': { code: '123456' },
  'POST /security/methods/:id/resend': {},
  'POST /security/methods/:id/remove': {},
  'POST /security/totp': { label: 'phone' },
  'POST /security/totp/:id': { code: '123456' },
  'POST /security/recovery-code': {},
  'POST /security/two-step': { enabled: 'true' },
  'POST /security/passkeys/options': {},
  'POST /security/passkeys/verify': { response: JSON.stringify(PASSKEY_RESPONSE) },
  'POST /security/methods/:id/edit': { label: 'work' },
  'POST /security/phrase': { phrase: 'こんにちは山田' },
};

/** State-changing routes that do not change the password or security info, and why. */
const NOT_SENSITIVE: [RegExp, string][] = [
  [/^(POST|DELETE) \/api\/v1\/(signup|sessions)(\/|$)/, 'sign-up, sign-in, ending sessions'],
  [/^POST \/api\/v1\/reauth/, 'a proof (an old-method proof cancels the replacement)'],
  [
    /^POST \/oidc\//,
    "the OpenID Connect provider: an app's sign-in, consent, tokens; no security info changes",
  ],
  [/^PATCH \/api\/v1\/me$/, 'display name, language and time zone: not security info'],
  [/^POST \/api\/v1\/activity\/:id\/review$/, 'a review of an event'],
  [/^POST \/api\/v1\/password-reset/, 'forgot password (an old-method proof cancels the replacement)'],
  [/^DELETE \/api\/v1\/trusted-devices/, 'only removes trust'],
  [/^(POST|PUT) \/api\/v1\/(messages|notices)/, 'anti-phishing checks and notice preferences'],
  [/^(POST|PUT|DELETE) \/api\/v1\/replacement/, 'the replacement itself'],
  [/^POST \/api\/v1\/recovery-form/, 'the public recovery form'],
  [/^POST \/api\/v1\/checkup/, 'confirms that the info is still the owner’s; changes nothing'],
  [/^(POST|PUT|DELETE) \/api\/v1\/operator/, 'operator console'],
  [/^POST \/(sign-in|sign-up|sign-out)/, 'sign-in, sign-up, sign-out'],
  [/^POST \/security\/reauth/, 'a proof'],
  [/^POST \/account(\/language)?$/, 'display name, language and time zone: not security info'],
  [/^POST \/security\/(activity|sessions|devices|notices|confirm-info)/, 'no security info'],
  [/^POST \/security\/(replace|replacement)/, 'the replacement itself'],
  [/^POST \/(replacement|recovery-form|forgot|messages|unsubscribe|operator)/, 'flows without a session'],
  [
    /^(POST|PUT|DELETE) \/api\/v1\/orgs\//,
    "an organisation admin token acting on members (audited; never the caller's own security info)",
  ],
  [
    /^POST \/org\//,
    "the organisation console: an admin acting on members (audited; never the admin's own info)",
  ],
  [
    /^POST \/(api\/v1\/me\/organisation|security\/required)\/snooze$/,
    "puts off the organisation's requirement",
  ],
  [/^POST \/organisation\/join$/, 'joins an organisation by invitation: no security info'],
  [
    /^POST \/organisation\/console\/apps(\/|$)/,
    "an organisation admin registering the organisation's apps, webhooks and receivers: no security info of the admin",
  ],
  [
    /^POST \/security\/new-password-required$/,
    "replaces an admin's temporary password: covered by its API twin (POST /api/v1/password/temporary)",
  ],
];

async function restrictedAccount(t: TestApp) {
  const account = await signedUpAccount(t);
  const contact = uniqueEmail('old');
  const methodId = await verifiedEmail(t, account.token, contact);
  // A contact added before the replacement started, still waiting for its code.
  const pending = await t.api(
    'POST',
    '/api/v1/methods/emails',
    { email: uniqueEmail('pending') },
    account.token,
  );
  expect(pending.status).toBe(202);
  const pendingId = pending.body.methodId as string;
  // An authenticator app being set up before the replacement started.
  const totp = await t.api('POST', '/api/v1/methods/totp', { label: 'phone' }, account.token);
  expect(totp.status).toBe(202);
  const totpId = totp.body.methodId as string;
  t.clock.advance(61_000);
  const newEmail = uniqueEmail('new');
  const added = await t.api('POST', '/api/v1/replacement/emails', { email: newEmail }, account.token);
  const code = await t.mailedCode(newEmail);
  await t.api('POST', `/api/v1/replacement/items/${added.body.itemId}/verify`, { code }, account.token);
  expect((await t.api('POST', '/api/v1/replacement/start', {}, account.token)).status).toBe(202);
  // A fresh step-up with the password (what someone who started a hostile replacement has).
  const stepped = await t.api('POST', '/api/v1/reauth', { password: GOOD_PASSWORD }, account.token);
  expect(stepped.status).toBe(200);
  return { ...account, token: stepped.body.sessionToken as string, contact, methodId, pendingId, totpId };
}

describe('restrictions cover every route that changes security info (PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ store: 'postgres' });
  });
  afterAll(() => t.close());

  it('every state-changing route is classified', () => {
    const seen = new Set<string>();
    const unclassified: string[] = [];
    for (const r of t.app.routes) {
      if (!['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method)) continue;
      const key = `${r.method} ${r.url}`;
      seen.add(key);
      if (key in SENSITIVE_API || key in SENSITIVE_WEB) continue;
      if (NOT_SENSITIVE.some(([re]) => re.test(key))) continue;
      unclassified.push(key);
    }
    expect(unclassified).toEqual([]);
    for (const key of [...Object.keys(SENSITIVE_API), ...Object.keys(SENSITIVE_WEB)])
      expect(seen.has(key), key).toBe(true);
    // Every sensitive operation of the service layer has a route here.
    expect(Object.keys(SENSITIVE_OPERATIONS).length).toBeGreaterThanOrEqual(12);
  });

  it('while a replacement is pending, each of them answers 423 and changes nothing (API)', async () => {
    const a = await restrictedAccount(t);
    const before = await t.app.deps.db.query(
      'SELECT password_hash, security_stamp, two_step_enabled, recovery_code_hash, personal_phrase FROM accounts WHERE email = $1',
      [a.email],
    );
    for (const [key, body] of Object.entries(SENSITIVE_API)) {
      const [method, path] = key.split(' ') as [string, string];
      const id = key.startsWith('DELETE') ? a.methodId : key.includes('totp') ? a.totpId : a.pendingId;
      const r = await t.api(method, path.replace(':id', id), body, a.token);
      expect([r.status, r.body.error?.code], key).toEqual([423, 'account.restricted']);
    }
    const after = await t.app.deps.db.query(
      'SELECT password_hash, security_stamp, two_step_enabled, recovery_code_hash, personal_phrase FROM accounts WHERE email = $1',
      [a.email],
    );
    expect(after).toEqual(before);
    const methods = (await t.api('GET', '/api/v1/methods', undefined, a.token)).body.methods as {
      verified: boolean;
    }[];
    expect(methods.map((m) => m.verified).sort()).toEqual([false, false, true]);
  });

  it('while a replacement is pending, each of them answers 423 (web forms)', async () => {
    const a = await restrictedAccount(t);
    const web = formClient(t);
    web.jar.set('mamori_session', a.token);
    expect((await web.get('/security')).statusCode).toBe(200);
    for (const [key, form] of Object.entries(SENSITIVE_WEB)) {
      const [, path] = key.split(' ') as [string, string];
      const id = key.endsWith('remove') ? a.methodId : key.includes('totp') ? a.totpId : a.pendingId;
      const r = await web.post(path.replace(':id', id), form);
      expect(r.statusCode, key).toBe(423);
      await web.get('/security'); // a fresh CSRF token for the next form
    }
    expect((await t.api('POST', '/api/v1/sessions', { email: a.email, password: NEW_PASSWORD })).status).toBe(
      401,
    );
  });

  it('a change of the personal phrase is announced to every contact, under the phrase they knew', async () => {
    const a = await signedUpAccount(t);
    const contact = uniqueEmail('old');
    await verifiedEmail(t, a.token, contact);
    expect((await t.api('PUT', '/api/v1/phrase', { phrase: '青い空と猫' }, a.token)).status).toBe(204);
    await t.drain();
    const mailCount = (to: string) => t.sink.to(to).length;
    const counts = [mailCount(a.email), mailCount(contact)];
    expect((await t.api('PUT', '/api/v1/phrase', { phrase: '攻撃者の言葉' }, a.token)).status).toBe(204);
    await t.drain();
    for (const [i, to] of [a.email, contact].entries()) {
      const mails = t.sink.to(to).slice(counts[i]);
      expect(mails, to).toHaveLength(1);
      expect(mails[0]!.subject).toMatch(/あいさつ文が変更されました/);
      // The notice shows the greeting the owner chose, not the new one.
      expect(mails[0]!.text).toContain('青い空と猫');
      expect(mails[0]!.text).not.toContain('攻撃者の言葉');
    }
    const kinds = (await t.api('GET', '/api/v1/messages', undefined, a.token)).body.messages as {
      kind: string;
    }[];
    expect(kinds.map((m) => m.kind)).toContain('phrase_changed');
  });

  it('100 concurrent sensitive requests racing the start of a replacement: none lands after it started', async () => {
    const account = await signedUpAccount(t);
    const contact = uniqueEmail('old');
    await verifiedEmail(t, account.token, contact);
    t.clock.advance(61_000);
    const stepped = await t.api('POST', '/api/v1/reauth', { password: GOOD_PASSWORD }, account.token);
    const token = stepped.body.sessionToken as string;
    const newEmail = uniqueEmail('new');
    const added = await t.api('POST', '/api/v1/replacement/emails', { email: newEmail }, token);
    const code = await t.mailedCode(newEmail);
    await t.api('POST', `/api/v1/replacement/items/${added.body.itemId}/verify`, { code }, token);
    const start = t.api('POST', '/api/v1/replacement/start', {}, token);
    const adds = Array.from({ length: 100 }, (_, i) =>
      t.api('POST', '/api/v1/methods/emails', { email: `race${i}.${Date.now()}@example.org` }, token),
    );
    const [started, ...results] = await Promise.all([start, ...adds]);
    expect(started.status).toBe(202);
    for (const r of results) expect([202, 409, 423, 429]).toContain(r.status);
    // Every method that was added went in before the replacement started (the account lock orders them).
    const late = await t.app.deps.db.query(
      `SELECT m.id FROM security_methods m JOIN replacements r ON r.account_id = m.account_id
       JOIN accounts a ON a.id = m.account_id
       WHERE a.email = $1 AND r.status = 'pending' AND m.created_at > r.started_at`,
      [account.email],
    );
    expect(late).toHaveLength(0);
    const after = await t.api('POST', '/api/v1/methods/emails', { email: uniqueEmail() }, token);
    expect(after.status).toBe(423);
  });

  it('"secure my account" during a hostile replacement: refused with the password alone; a code to an old contact cancels the replacement, then it works', async () => {
    const a = await restrictedAccount(t);
    const refused = await t.api('POST', '/api/v1/secure', { password: NEW_PASSWORD }, a.token);
    expect(refused.status).toBe(423);
    t.clock.advance(61_000);
    expect((await t.api('POST', '/api/v1/reauth/code', { methodId: a.methodId }, a.token)).status).toBe(200);
    const code = await t.mailedCode(a.contact);
    const proved = await t.api('POST', '/api/v1/reauth/code/verify', { methodId: a.methodId, code }, a.token);
    expect(proved.status).toBe(200);
    const token = proved.body.sessionToken as string;
    expect((await t.api('GET', '/api/v1/replacement', undefined, token)).body.pending).toBeNull();
    const secured = await t.api('POST', '/api/v1/secure', { password: NEW_PASSWORD }, token);
    expect(secured.status).toBe(200);
    expect(
      (await t.api('POST', '/api/v1/sessions', { email: a.email, password: NEW_PASSWORD })).status,
    ).not.toBe(401);
  });
});

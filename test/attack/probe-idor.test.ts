import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  GOOD_PASSWORD,
  signedUpAccount,
  type TestApp,
  uniqueEmail,
  verifiedEmail,
} from '../support/harness.ts';

/**
 * Probe (outside tester): every route that takes an id acts only on the signed-in account's own things.
 * A signed-in stranger with a fresh proof names the victim's methods, sessions, activity, replacement items
 * and trusted devices: nothing of the victim's changes and nothing answers 2xx.
 */
describe('probe: ids of another account (PGlite)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('no id route acts on another account’s things', async () => {
    const victim = await signedUpAccount(t);
    const verified = await verifiedEmail(t, victim.token);
    t.clock.advance(61_000);
    const pendingEmail = uniqueEmail('pending');
    const pending = (await t.api('POST', '/api/v1/methods/emails', { email: pendingEmail }, victim.token))
      .body.methodId as string;
    const totp = (await t.api('POST', '/api/v1/methods/totp', { label: 'x' }, victim.token)).body
      .methodId as string;
    const item = (
      await t.api('POST', '/api/v1/replacement/emails', { email: uniqueEmail('r') }, victim.token)
    ).body.itemId as string;
    const sessions = (await t.api('GET', '/api/v1/sessions', undefined, victim.token)).body.sessions as {
      publicId: string;
    }[];
    const activity = (await t.api('GET', '/api/v1/activity?filter=all', undefined, victim.token))
      .body as Record<string, unknown>;
    const activityIds =
      JSON.stringify(activity)
        .match(/"id":"([^"]+)"/g)
        ?.map((x) => x.slice(6, -1)) ?? [];
    const code = await t.mailedCode(pendingEmail);

    const stranger = await signedUpAccount(t);
    const fresh = (await t.api('POST', '/api/v1/reauth', { password: GOOD_PASSWORD }, stranger.token)).body
      .sessionToken as string;
    const tries: [string, string, unknown][] = [];
    for (const id of [verified, pending, totp]) {
      tries.push(['PATCH', `/api/v1/methods/${id}`, { label: 'pwned' }]);
      tries.push(['POST', `/api/v1/methods/${id}/verify`, { code }]);
      tries.push(['POST', `/api/v1/methods/${id}/resend`, undefined]);
      tries.push(['POST', `/api/v1/methods/totp/${id}/confirm`, { code: '000000' }]);
      tries.push(['POST', '/api/v1/reauth/code', { methodId: id }]);
      tries.push(['DELETE', `/api/v1/methods/${id}`, undefined]);
    }
    tries.push(['POST', `/api/v1/replacement/items/${item}/verify`, { code: '000000' }]);
    tries.push(['POST', `/api/v1/replacement/items/${item}/resend`, undefined]);
    tries.push(['DELETE', `/api/v1/replacement/items/${item}`, undefined]);
    for (const s of sessions) tries.push(['DELETE', `/api/v1/sessions/${s.publicId}`, undefined]);
    for (const id of activityIds) tries.push(['POST', `/api/v1/activity/${id}/review`, { review: 'not_me' }]);
    for (const s of sessions) tries.push(['DELETE', `/api/v1/trusted-devices/${s.publicId}`, undefined]);
    const ok: string[] = [];
    for (const [method, url, body] of tries) {
      const r = await t.api(method, url, body, fresh);
      if (r.status < 300 || r.status >= 500) ok.push(`${method} ${url} -> ${r.status}`);
    }
    expect(sessions.length).toBeGreaterThan(0);
    expect(activityIds.length).toBeGreaterThan(0);
    expect(ok).toEqual([]);
    // The victim's session and things are as they were.
    expect((await t.api('GET', '/api/v1/me', undefined, victim.token)).status).toBe(200);
    const methods = (await t.api('GET', '/api/v1/methods', undefined, victim.token)).body.methods as {
      id: string;
      label: string;
      verified: boolean;
    }[];
    expect(methods.find((m) => m.id === verified)?.label).not.toBe('pwned');
    expect(methods.find((m) => m.id === pending)?.verified).toBe(false);
  });

  it('a reset flow for the victim does not send its code to a method of another account', async () => {
    const victim = await signedUpAccount(t);
    await verifiedEmail(t, victim.token);
    const attacker = await signedUpAccount(t);
    const mine = uniqueEmail('attacker');
    const mineId = await verifiedEmail(t, attacker.token, mine);
    await t.drain();
    t.clock.advance(61_000);
    const before = t.sink.to(mine).length;
    const flowToken = (await t.api('POST', '/api/v1/password-reset', { email: victim.email })).body.flowToken;
    const chose = await t.api('POST', '/api/v1/password-reset/choose', {
      flowToken,
      methodId: mineId,
      confirm: mine,
    });
    await t.drain();
    expect(t.sink.to(mine).length).toBe(before);
    if (chose.status === 200 && t.sink.to(mine).length > before) {
      const code = await t.mailedCode(mine);
      const v = await t.api('POST', '/api/v1/password-reset/verify', { flowToken, code });
      expect(v.status).not.toBe(204);
    }
  });

  it('a pending contact of the victim is never a way to reset the victim’s password', async () => {
    const victim = await signedUpAccount(t);
    await verifiedEmail(t, victim.token);
    t.clock.advance(61_000);
    const pendingEmail = uniqueEmail('typo');
    const pending = (await t.api('POST', '/api/v1/methods/emails', { email: pendingEmail }, victim.token))
      .body.methodId as string;
    await t.drain();
    t.clock.advance(61_000);
    const before = t.sink.to(pendingEmail).length;
    const flowToken = (await t.api('POST', '/api/v1/password-reset', { email: victim.email })).body.flowToken;
    await t.api('POST', '/api/v1/password-reset/choose', {
      flowToken,
      methodId: pending,
      confirm: pendingEmail,
    });
    await t.drain();
    expect(t.sink.to(pendingEmail).length).toBe(before);
  });
});

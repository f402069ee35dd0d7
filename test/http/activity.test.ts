import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  GOOD_PASSWORD,
  signedUpAccount,
  signInFully,
  type TestApp,
} from '../support/harness.ts';

interface Event {
  id: string;
  kind: string;
  country: string;
  unusual: boolean;
  review: string | null;
  createdAt: string;
}

describe('recent activity, "this wasn\'t me" and securing the account (HTTP)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { TRUSTED_PROXIES: '127.0.0.1' } });
  });
  afterAll(() => t.close());

  const events = async (token: string, filter = 'all') =>
    (await t.api('GET', `/api/v1/activity?filter=${filter}`, undefined, token)).body.events as Event[];

  it('shows country and device, filters by kind, and keeps the retention period', async () => {
    const { token, email } = await signedUpAccount(t);
    await signInFully(t, email, GOOD_PASSWORD, { 'x-forwarded-for': '133.11.0.1' });
    const all = await events(token);
    const signins = all.filter((e) => e.kind === 'signin.success');
    expect(signins.map((e) => e.country).sort()).toEqual(['JP', 'LOCAL']);
    const onlySignins = await events(token, 'signin');
    expect(onlySignins.length).toBeGreaterThan(0);
    expect(
      onlySignins.every(
        (e) => e.kind.startsWith('signin.') || e.kind === 'signout' || e.kind === 'reauth.success',
      ),
    ).toBe(true);
    expect((await t.api('GET', '/api/v1/activity?filter=bogus', undefined, token)).status).toBe(400);
    t.clock.advance(91 * 24 * 3600_000);
    const fresh = (await t.api('POST', '/api/v1/sessions', { email, password: GOOD_PASSWORD })).body
      .sessionToken as string;
    const later = await events(fresh);
    expect(
      later.every((e) => new Date(e.createdAt) > new Date(t.clock.now().getTime() - 90 * 24 * 3600_000)),
    ).toBe(true);
  });

  it('"this wasn\'t me" then "secure my account": new password, every other session and trusted device gone', async () => {
    let { token, email } = await signedUpAccount(t);
    const intruder = (
      await signInFully(t, email, GOOD_PASSWORD, {
        'x-forwarded-for': '8.8.8.8',
        'user-agent': 'Intruder/1.0',
      })
    ).body.sessionToken as string;
    expect(intruder).toBeTruthy();
    const unusual = (await events(token)).find((e) => e.unusual)!;
    expect(unusual.kind).toBe('signin.unusual');
    expect(unusual.country).toBe('US');
    expect(
      (await t.api('POST', `/api/v1/activity/${unusual.id}/review`, { review: 'not_me' }, token)).status,
    ).toBe(204);
    // A review only applies to the account's own unusual events.
    const other = await signedUpAccount(t);
    expect(
      (await t.api('POST', `/api/v1/activity/${unusual.id}/review`, { review: 'me' }, other.token)).status,
    ).toBe(404);

    t.clock.advance(11 * 60_000);
    const stale = await t.api('POST', '/api/v1/secure', { password: 'a fresh secure passphrase 1' }, token);
    expect(stale.body.error?.code).toBe('auth.reauth_required');
    const stepped = await t.api('POST', '/api/v1/reauth', { password: GOOD_PASSWORD }, token);
    token = stepped.body.sessionToken as string; // the step-up replaced the session token
    t.sink.clear();
    const secured = await t.api('POST', '/api/v1/secure', { password: 'a fresh secure passphrase 1' }, token);
    expect(secured.status).toBe(200);
    expect(secured.body.endedSessions).toBe(1);
    expect((await t.api('GET', '/api/v1/me', undefined, intruder)).status).toBe(401);
    expect((await t.api('GET', '/api/v1/me', undefined, token)).status).toBe(200);
    expect((await t.api('POST', '/api/v1/sessions', { email, password: GOOD_PASSWORD })).status).toBe(401);
    await t.drain();
    expect(t.sink.to(email).filter((m) => m.subject === 'アカウントが保護されました')).toHaveLength(1);
    expect((await events(token)).some((e) => e.kind === 'account.secured')).toBe(true);
    // The intruder's country and device do not count as familiar any more, even with the new password.
    const again = await t.api(
      'POST',
      '/api/v1/sessions',
      { email, password: 'a fresh secure passphrase 1' },
      undefined,
      { 'x-forwarded-for': '8.8.8.8', 'user-agent': 'Intruder/1.0' },
    );
    expect(again.status).toBe(202);
    expect((again.body.secondFactor as { reason: string }).reason).toBe('unusual');
  });

  it('a sign-in racing with "secure my account" never leaves a live session with the old password', async () => {
    for (let round = 0; round < 5; round++) {
      const { token, email } = await signedUpAccount(t);
      const newPassword = `round ${round} new passphrase xyz`;
      const [secured, raced] = await Promise.all([
        t.api('POST', '/api/v1/secure', { password: newPassword }, token),
        t.api('POST', '/api/v1/sessions', { email, password: GOOD_PASSWORD }),
      ]);
      expect(secured.status).toBe(200);
      const racedToken = raced.body.sessionToken as string | undefined;
      if (racedToken) expect((await t.api('GET', '/api/v1/me', undefined, racedToken)).status).toBe(401);
      else expect(raced.status).toBe(401);
      const sessions = (await t.api('GET', '/api/v1/sessions', undefined, token)).body.sessions as unknown[];
      expect(sessions).toHaveLength(1);
    }
  });
});

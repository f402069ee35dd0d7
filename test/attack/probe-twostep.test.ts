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
 * Probe (outside tester): with two-step verification on, "sensitive changes need a second-factor proof from
 * the last 10 minutes (a password alone does not do)" (docs/flows/two-step.md). Every route that changes the
 * password or the security info must refuse a session whose only proof is the password.
 */
const NEW_PASSWORD = 'a password only proof 4242';

describe('probe: two-step on, a password-only step-up opens no sensitive change (PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ store: 'postgres' });
  });
  afterAll(() => t.close());

  async function twoStepAccount() {
    const a = await signedUpAccount(t);
    t.clock.advance(11 * 60_000);
    const token = (await t.api('POST', '/api/v1/reauth', { password: GOOD_PASSWORD }, a.token)).body
      .sessionToken as string;
    const first = await verifiedEmail(t, token);
    const second = await verifiedEmail(t, token);
    t.clock.advance(61_000);
    const pendingEmail = uniqueEmail('p');
    const pending = (await t.api('POST', '/api/v1/methods/emails', { email: pendingEmail }, token)).body
      .methodId as string;
    await t.drain();
    expect((await t.api('PUT', '/api/v1/two-step', { enabled: true }, token)).status).toBe(204);
    return { ...a, token, first, second, pending, pendingEmail };
  }

  it('API: every sensitive route refuses the password-only session', async () => {
    const a = await twoStepAccount();
    t.clock.advance(61_000);
    const tries: [string, string, unknown][] = [
      ['POST', '/api/v1/password', { password: NEW_PASSWORD }],
      ['POST', '/api/v1/methods/emails', { email: uniqueEmail('x') }],
      ['POST', '/api/v1/methods/phones', { country: 'JP', number: '090-1234-5678' }],
      ['POST', `/api/v1/methods/${a.pending}/resend`, undefined],
      ['DELETE', `/api/v1/methods/${a.first}`, undefined],
      ['POST', '/api/v1/methods/totp', { label: 'phone' }],
      ['POST', '/api/v1/methods/passkeys/options', undefined],
      ['POST', '/api/v1/recovery-code', undefined],
      ['PUT', '/api/v1/two-step', { enabled: false }],
    ];
    const served: string[] = [];
    for (const [method, url, body] of tries) {
      const r = await t.api(method, url, body, a.token);
      if (r.status < 300) served.push(`${method} ${url} -> ${r.status}`);
    }
    expect(served).toEqual([]);
  });

  it('API: a contact added before two-step was turned on cannot be verified with a password-only session', async () => {
    const a = await twoStepAccount();
    // The code mailed when the contact was added (before two-step was on).
    const code = await t.mailedCode(a.pendingEmail);
    const v = await t.api('POST', `/api/v1/methods/${a.pending}/verify`, { code }, a.token);
    expect(v.status).not.toBe(200);
    const methods = (await t.api('GET', '/api/v1/methods', undefined, a.token)).body.methods as {
      id: string;
      verified: boolean;
    }[];
    expect(methods.find((m) => m.id === a.pending)?.verified).toBe(false);
  });
});

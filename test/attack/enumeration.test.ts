import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskEmail } from '../../src/kernel/mask.ts';
import { fakeMethods } from '../../src/recovery/fake-methods.ts';
import { emailKey } from '../../src/security-info/email/normalize-email.ts';
import { totpCode } from '../../src/security-info/totp/totp.ts';
import { type ApiResponse, createTestApp, type TestApp, uniqueEmail } from '../support/harness.ts';
import { formClient } from '../web/browser-less-client.ts';
import { accountWithContact, observable, otherCode, solvedPow, TEST_SECRET } from './support.ts';

/**
 * Account enumeration: for every endpoint that answers without a session, an attacker compares the answers
 * for an account that can be recovered, an account with two-step verification on, and an address without an
 * account. Status, body shape, error code and message (tries left, waits), headers (but date, length and ids),
 * cookie names and redirects must be identical. Endpoints behind a password proof (the second-factor steps of
 * a pending sign-in) are out of scope: reaching them already proves the account.
 */
const SECOND = 1000;
const PASSWORD = 'an attacker guesses this passphrase 8';

type Who = 'eligible' | 'two_step' | 'unknown';
interface Target {
  who: Who;
  email: string;
  id: string;
  /** Each target gets its own client address, so per-IP limits are the same for all three. */
  ip: string;
}

const ipOf = () => `10.${randomBytes(1)[0]}.${randomBytes(1)[0]}.${1 + (randomBytes(1)[0]! % 250)}`;

function base32Decode(s: string): Uint8Array {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of s.replace(/[\s=]/g, '')) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  return Uint8Array.from(bits.match(/.{8}/g) ?? [], (b) => Number.parseInt(b, 2));
}

/** The three targets. The unknown address is one whose made-up methods have the real accounts' shape. */
async function targets(t: TestApp): Promise<Target[]> {
  const eligible = await accountWithContact(t);
  const twoStep = await accountWithContact(t);
  const totp = await t.api('POST', '/api/v1/methods/totp', { label: 'iPhone' }, twoStep.token);
  expect(totp.status).toBe(202);
  const confirm = await t.api(
    'POST',
    `/api/v1/methods/totp/${totp.body.methodId}/confirm`,
    { code: totpCode(base32Decode(totp.body.manualKey as string), t.clock.now()) },
    twoStep.token,
  );
  expect(confirm.status).toBe(204);
  expect((await t.api('PUT', '/api/v1/two-step', { enabled: true }, twoStep.token)).status).toBe(204);
  let unknown = uniqueEmail('nobody');
  while (
    fakeMethods(TEST_SECRET, emailKey(unknown))
      .map((m) => m.kind)
      .join() !== 'email'
  )
    unknown = uniqueEmail('nobody');
  await t.drain();
  t.clock.advance(61 * SECOND);
  return [
    { who: 'eligible', email: eligible.email, id: eligible.id, ip: ipOf() },
    { who: 'two_step', email: twoStep.email, id: twoStep.id, ip: ipOf() },
    { who: 'unknown', email: unknown, id: `acc_${randomBytes(12).toString('base64url')}`, ip: ipOf() },
  ];
}

/** Every answer in `rows` (one list per target, in the same order) looks the same. */
function expectSame(step: string, rows: Record<Who, ApiResponse | ApiResponse[]>) {
  const seen = Object.fromEntries(
    Object.entries(rows).map(([who, r]) => [who, ([] as ApiResponse[]).concat(r).map(observable)]),
  );
  expect(seen.two_step, `${step}: two-step account vs eligible account`).toEqual(seen.eligible);
  expect(seen.unknown, `${step}: unknown address vs eligible account`).toEqual(seen.eligible);
}

/** Runs `fn` for the three targets one after the other (the same clock for each) and compares the answers. */
async function each<T extends ApiResponse | ApiResponse[]>(
  step: string,
  list: Target[],
  fn: (x: Target) => Promise<T>,
): Promise<Record<Who, T>> {
  const out = {} as Record<Who, T>;
  for (const x of list) out[x.who] = await fn(x);
  expectSame(step, out);
  return out;
}

function suite(label: string, env: Record<string, string>) {
  describe(`no answer tells whether an account exists or has two-step verification (${label})`, () => {
    let t: TestApp;
    let list: Target[];
    beforeAll(async () => {
      t = await createTestApp({ store: 'postgres', env: { TRUSTED_PROXIES: '127.0.0.1', ...env } });
      list = await targets(t);
    });
    afterAll(() => t.close());

    const api = (x: Target, method: string, url: string, body?: unknown) =>
      t.api(method, url, body, undefined, { 'x-forwarded-for': x.ip });

    it('sign-up: start, wrong code, start again at once, resend', async () => {
      const started = await each('sign-up', list, (x) =>
        api(x, 'POST', '/api/v1/signup', { email: x.email, password: PASSWORD, displayName: '攻撃 者' }),
      );
      const token = (x: Target) => started[x.who].body.signupToken;
      await each('sign-up wrong code', list, (x) =>
        api(x, 'POST', '/api/v1/signup/confirm', { signupToken: token(x), code: '000001' }),
      );
      await each('sign-up again within the resend wait', list, (x) =>
        api(x, 'POST', '/api/v1/signup', { email: x.email, password: PASSWORD, displayName: '攻撃 者' }),
      );
      await each('sign-up resend within the wait', list, (x) =>
        api(x, 'POST', '/api/v1/signup/resend', { signupToken: token(x) }),
      );
      t.clock.advance(61 * SECOND);
      await each('sign-up resend', list, (x) =>
        api(x, 'POST', '/api/v1/signup/resend', { signupToken: token(x) }),
      );
      t.clock.advance(61 * SECOND);
    });

    it('sign-in: wrong passwords, then the throttle', async () => {
      await each('sign-in', list, async (x) => {
        const out: ApiResponse[] = [];
        for (let i = 0; i < 11; i++)
          out.push(
            await api(x, 'POST', '/api/v1/sessions', { email: x.email, password: `${PASSWORD} ${i}` }),
          );
        return out;
      });
    });

    it('sign-in and reset from a device known to another account (the attacker’s own)', async () => {
      // The attacker's browser is a known device of the attacker's own account: it must not answer
      // differently for an account that exists.
      const cookie = `mamori_device=${randomBytes(32).toString('base64url')}`;
      const own = uniqueEmail('attacker');
      const started = await t.api(
        'POST',
        '/api/v1/signup',
        { email: own, password: PASSWORD, displayName: '攻撃 者' },
        undefined,
        { cookie },
      );
      const code = await t.mailedCode(own);
      const confirmed = await t.api(
        'POST',
        '/api/v1/signup/confirm',
        { signupToken: started.body.signupToken, code },
        undefined,
        { cookie },
      );
      expect(confirmed.status).toBe(200);
      const withCookie = (x: Target, url: string, body: unknown) =>
        t.api('POST', url, body, undefined, { 'x-forwarded-for': x.ip, cookie });
      await each('sign-in from a known device of another account', list, async (x) => {
        const out: ApiResponse[] = [];
        for (let i = 0; i < 11; i++)
          out.push(
            await withCookie(x, '/api/v1/sessions', { email: x.email, password: `${PASSWORD} k${i}` }),
          );
        return out;
      });
      await each('reset start from a known device of another account', list, (x) =>
        withCookie(x, '/api/v1/password-reset', { email: x.email }),
      );
    });

    it('password reset: every step, and the wrong-code budget running out', async () => {
      const flows = await each('reset start', list, (x) =>
        api(x, 'POST', '/api/v1/password-reset', { email: x.email }),
      );
      const flow = (x: Target) => flows[x.who].body.flowToken as string;
      const states = await each('reset state', list, (x) =>
        api(x, 'POST', '/api/v1/password-reset/state', { flowToken: flow(x) }),
      );
      const methodOf = (x: Target) => (states[x.who].body.methods as { id: string }[])[0]!.id;
      await each('reset choose', list, (x) =>
        api(x, 'POST', '/api/v1/password-reset/choose', {
          flowToken: flow(x),
          methodId: methodOf(x),
          confirm: 'a.guess@example.com',
        }),
      );
      await each('reset state after choosing', list, (x) =>
        api(x, 'POST', '/api/v1/password-reset/state', { flowToken: flow(x) }),
      );
      await each('reset resend within the wait', list, (x) =>
        api(x, 'POST', '/api/v1/password-reset/resend', { flowToken: flow(x) }),
      );
      t.clock.advance(61 * SECOND);
      await each('reset resend', list, (x) =>
        api(x, 'POST', '/api/v1/password-reset/resend', { flowToken: flow(x) }),
      );
      await each('reset recovery code', list, (x) =>
        api(x, 'POST', '/api/v1/password-reset/recovery-code', {
          flowToken: flow(x),
          recoveryCode: 'ABCD-EFGH-JKLM-NPQR',
        }),
      );
      // Wrong codes over seven flows: the per-flow lock, then the budget of wrong codes before a first proof
      // (30 an hour from a network, the same for every target) refuses a fresh flow.
      const guesses = await each('reset wrong codes until the budget is spent', list, async (x) => {
        const out: ApiResponse[] = [];
        for (let f = 0; f < 7; f++) {
          const ft =
            f === 0
              ? flow(x)
              : ((await api(x, 'POST', '/api/v1/password-reset', { email: x.email })).body
                  .flowToken as string);
          const m = (
            (await api(x, 'POST', '/api/v1/password-reset/state', { flowToken: ft })).body.methods as {
              id: string;
            }[]
          )[0]!.id;
          if (f > 0)
            out.push(
              await api(x, 'POST', '/api/v1/password-reset/choose', {
                flowToken: ft,
                methodId: m,
                confirm: '1234',
              }),
            );
          for (let i = 0; i < (f === 6 ? 1 : 5); i++)
            out.push(
              await api(x, 'POST', '/api/v1/password-reset/verify', {
                flowToken: ft,
                code: otherCode('000000', i + 1),
              }),
            );
        }
        return out;
      });
      expect(guesses.eligible.at(-1)?.body.error?.code, 'the budget ran out').toBe('code.too_many_attempts');
      expect(guesses.eligible.at(-1)?.status).toBe(429);
    });

    it('account recovery form: start, resend, contact code, evidence, answer', async () => {
      const contacts = Object.fromEntries(list.map((x) => [x.who, uniqueEmail('helper')])) as Record<
        Who,
        string
      >;
      const pows = Object.fromEntries(await Promise.all(list.map(async (x) => [x.who, await solvedPow(t)])));
      const started = await each('recovery form start', list, (x) =>
        api(x, 'POST', '/api/v1/recovery-form', {
          account: x.email,
          contactEmail: contacts[x.who],
          pow: pows[x.who],
        }),
      );
      const flow = (x: Target) => started[x.who].body.flowToken as string;
      await each('recovery form state', list, (x) =>
        api(x, 'POST', '/api/v1/recovery-form/state', { flowToken: flow(x) }),
      );
      await each('recovery form wrong code', list, (x) =>
        api(x, 'POST', '/api/v1/recovery-form/verify', { flowToken: flow(x), code: '000001' }),
      );
      t.clock.advance(61 * SECOND);
      await each('recovery form resend', list, (x) =>
        api(x, 'POST', '/api/v1/recovery-form/resend', { flowToken: flow(x) }),
      );
      const codes = Object.fromEntries(
        await Promise.all(list.map(async (x) => [x.who, await t.mailedCode(contacts[x.who])])),
      ) as Record<Who, string>;
      await each('recovery form contact code', list, (x) =>
        api(x, 'POST', '/api/v1/recovery-form/verify', { flowToken: flow(x), code: codes[x.who] }),
      );
      await each('recovery form evidence step', list, (x) =>
        api(x, 'POST', '/api/v1/recovery-form/state', { flowToken: flow(x) }),
      );
      await each('recovery form submit', list, (x) =>
        api(x, 'POST', '/api/v1/recovery-form/submit', {
          flowToken: flow(x),
          evidence: { displayName: '山田 太郎', passwords: [PASSWORD], countries: ['JP'], devices: ['ios'] },
        }),
      );
      // Every requester gets the same kind of answer at their contact address: a denial.
      await t.drain();
      const subjects = list.map((x) => t.sink.to(contacts[x.who]).at(-1)?.subject);
      expect(new Set(subjects).size).toBe(1);
    });

    it('web pages: sign-up confirmation (address as typed), forgot password, recovery form', async () => {
      const page = async (x: Target, steps: (c: ReturnType<typeof formClient>) => Promise<unknown>) => {
        const c = formClient(t, { 'x-forwarded-for': x.ip });
        return steps(c);
      };
      const web = (r: Awaited<ReturnType<ReturnType<typeof formClient>['get']>>) => ({
        status: r.statusCode,
        location: r.headers.location ?? null,
        cookies: ([] as string[])
          .concat((r.headers['set-cookie'] as string[] | undefined) ?? [])
          .map((s) => s.split('=')[0]),
        h1: /<h1>([^<]*)<\/h1>/.exec(r.body)?.[1] ?? null,
        alerts: (r.body.match(/class="notice [a-z]+"/g) ?? []).join(),
      });
      const typed = (x: Target) => `${x.email[0]!.toUpperCase()}${x.email.slice(1)}`;
      const seen: Record<string, unknown> = {};
      for (const x of list) {
        seen[x.who] = await page(x, async (c) => {
          await c.get('/sign-up');
          const signup = await c.post('/sign-up', {
            email: typed(x),
            password: PASSWORD,
            displayName: '攻撃 者',
          });
          const confirm = await c.follow(signup);
          expect(confirm.body, x.who).toContain(maskEmail(typed(x)));
          await c.get('/forgot');
          const forgot = await c.post('/forgot', { email: x.email });
          const choose = await c.follow(forgot);
          await c.get('/recovery-form');
          const pow = await solvedPow(t);
          const rf = await c.post('/recovery-form', {
            account: x.email,
            contactEmail: uniqueEmail('helper'),
            pow: Buffer.from(JSON.stringify(pow)).toString('base64'),
          });
          const code = await c.follow(rf);
          return [signup, confirm, forgot, choose, rf, code].map(web);
        });
      }
      expect(seen.two_step).toEqual(seen.eligible);
      expect(seen.unknown).toEqual(seen.eligible);
    });

    it('endpoints that take no address: passkey sign-in, unsubscribe links, reference check', async () => {
      await each('passkey sign-in with a forged assertion naming the account', list, async (x) => {
        const options = await api(x, 'POST', '/api/v1/sessions/passkey/options');
        const b64 = (n: number) => randomBytes(n).toString('base64url');
        const id = b64(32);
        const signIn = await api(x, 'POST', '/api/v1/sessions/passkey', {
          token: options.body.token,
          response: {
            id,
            rawId: id,
            type: 'public-key',
            clientExtensionResults: {},
            response: {
              clientDataJSON: b64(100),
              authenticatorData: b64(37),
              signature: b64(70),
              userHandle: Buffer.from(x.id).toString('base64url'),
            },
          },
        });
        return [options, signIn];
      });
      await each('unsubscribe link forged for the account', list, async (x) => {
        const res = await t.app.http.inject({
          method: 'GET',
          url: `/unsubscribe?token=${encodeURIComponent(`${x.id}.terms.${randomBytes(32).toString('base64url')}`)}`,
        });
        return { status: res.statusCode, body: {}, headers: { 'content-type': res.headers['content-type'] } };
      });
      await each('reference check', list, (x) =>
        api(x, 'POST', '/api/v1/messages/check', { reference: x.email.slice(0, 12) }),
      );
    });
  });
}

suite('SQL limiter', {});
suite('Redis limiter', { REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379' });

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/accounts/password-hasher.ts';
import { maskEmail } from '../../src/kernel/mask.ts';
import { fakeMethods } from '../../src/recovery/fake-methods.ts';
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
  secondInstance,
  solvedPow,
  TEST_SECRET,
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

  it('200 concurrent tries (the known code and wrong ones) on one decoy reset flow, over two instances: none succeeds', async () => {
    const r = resetApi(t);
    const a = await accountWithContact(t);
    const decoy = (await r.start(a.email)).body.flowToken as string;
    expect((await r.choose(decoy, a.methodId, 'wrong.guess@example.com')).status).toBe(200);
    const u = await unknownWithEmailMethod(t);
    expect((await r.choose(u.flowToken, u.methodId, 'x@example.com')).status).toBe(200);

    const other = await secondInstance(t);
    try {
      const verifyOn = async (i: number, flowToken: string, code: string) => {
        if (i % 2 === 0) return r.verify(flowToken, code);
        const res = await other.app.http.inject({
          method: 'POST',
          url: '/api/v1/password-reset/verify',
          payload: { flowToken, code },
        });
        return { status: res.statusCode };
      };
      const tries = Array.from({ length: 200 }, (_, i) =>
        i % 3 === 0 ? otherCode(KNOWN_CODE, i) : KNOWN_CODE,
      );
      const answers = await Promise.all([
        ...tries.map((code, i) => verifyOn(i, decoy, code)),
        ...tries.map((code, i) => verifyOn(i, u.flowToken, code)),
      ]);
      expect(answers.filter((x) => x.status === 204)).toHaveLength(0);
      expect(answers.filter((x) => x.status >= 500)).toHaveLength(0);
    } finally {
      await other.close();
    }
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

  it('over HTTP, an unknown address shows masks of the real shape, the same on every flow', async () => {
    {
      const r2 = resetApi(t);
      for (let i = 0; i < 5; i++) {
        const email = uniqueEmail('nobody');
        const first = await r2.state((await r2.start(email)).body.flowToken);
        const again = await r2.state((await r2.start(email)).body.flowToken);
        const methods = first.body.methods as MaskedMethod[];
        expect(again.body.methods).toEqual(methods);
        for (const m of methods) expect(m.masked).toMatch(m.kind === 'phone' ? PHONE_MASK : EMAIL_MASK);
      }
    }
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

/* ------------------------------------------------------------------------------------------------
 * Made-up methods for addresses without an account must look like real ones.
 * ---------------------------------------------------------------------------------------------- */

/** The exact shape of every real mask (src/kernel/mask.ts over a valid address, src/security-info/email). */
const EMAIL_MASK =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-][A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]?\*{5}@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const PHONE_MASK = /^\*{7}\d{2}$/;

/** A small seeded PRNG (mulberry32) so the corpus is the same on every run. */
function seeded(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const weighted = <T>(xs: readonly (readonly [T, number])[]): T => {
    let r = next() * xs.reduce((s, [, w]) => s + w, 0);
    for (const [v, w] of xs) {
      r -= w;
      if (r < 0) return v;
    }
    return xs[xs.length - 1]![0];
  };
  return { next, int, pick, weighted };
}

/**
 * Addresses as people in Japan register them, written independently of the generator under test: romanised
 * names in the usual patterns, birthdays and years, carrier-style free text, some capitals, and the providers
 * and company or university domains seen in Japanese sign-ups.
 */
function realisticAddress(r: ReturnType<typeof seeded>): string {
  const given = [
    'hiroshi',
    'takashi',
    'yuki',
    'akira',
    'kenji',
    'naoko',
    'yoko',
    'keiko',
    'daisuke',
    'shota',
    'haruka',
    'misaki',
    'ryo',
    'kazuki',
    'sayaka',
    'emi',
    'tomoko',
    'masato',
    'yusuke',
    'aya',
    'mai',
    'kaori',
    'satoshi',
    'makoto',
    'yumi',
    'nanami',
    'sho',
    'riku',
    'hinata',
    'mio',
    'koji',
    'hideki',
    'junko',
    'megumi',
    'takumi',
    'yuto',
    'saki',
    'ayumi',
    'naoki',
    'kenta',
  ];
  const family = [
    'sato',
    'suzuki',
    'takahashi',
    'tanaka',
    'watanabe',
    'ito',
    'yamamoto',
    'nakamura',
    'kobayashi',
    'kato',
    'yoshida',
    'yamada',
    'sasaki',
    'yamaguchi',
    'matsumoto',
    'inoue',
    'kimura',
    'hayashi',
    'shimizu',
    'yamazaki',
    'mori',
    'abe',
    'ikeda',
    'hashimoto',
    'ishikawa',
    'ogawa',
    'okada',
    'goto',
    'hasegawa',
    'murakami',
    'kondo',
    'ishii',
    'saito',
    'sakamoto',
    'endo',
    'aoki',
    'fujii',
    'nishimura',
    'fukuda',
    'ota',
  ];
  const western = ['john', 'emma', 'michael', 'sarah', 'david', 'lisa', 'chris', 'anna', 'james', 'kate'];
  const words = [
    'sakura',
    'hana',
    'sora',
    'umi',
    'yume',
    'hikari',
    'momo',
    'koneko',
    'rainbow',
    'happy',
    'lucky',
    'blue',
    'star',
    'moon',
    'sunny',
    'mint',
    'coffee',
    'soccer',
    'tennis',
    'guitar',
    'piano',
    'ramen',
    'panda',
    'usagi',
    'kuma',
    'tora',
    'ninja',
    'smile',
    'peace',
    'dream',
  ];
  const g = r.pick(given);
  const f = r.pick(family);
  const yy = () => String(r.int(100)).padStart(2, '0');
  const year = () => String(1955 + r.int(55));
  const mmdd = () => `${String(1 + r.int(12)).padStart(2, '0')}${String(1 + r.int(28)).padStart(2, '0')}`;
  const alnum = (n: number) =>
    Array.from({ length: n }, () => 'abcdefghijklmnopqrstuvwxyz0123456789'[r.int(36)]).join('');
  let local = r.weighted<() => string>([
    [() => `${g}.${f}`, 16],
    [() => `${f}.${g}`, 8],
    [() => `${g}_${f}`, 4],
    [() => `${g[0]}.${f}`, 6],
    [() => `${g[0]}${f}`, 6],
    [() => `${f}${g[0]}`, 3],
    [() => `${g}${f}`, 5],
    [() => `${g}${r.pick([yy(), year(), mmdd()])}`, 10],
    [() => `${f}${r.pick([yy(), year()])}`, 5],
    [() => `${r.pick(words)}${r.pick([yy(), mmdd(), ''])}`, 6],
    [() => `${r.pick(words)}.${r.pick(words)}${yy()}`, 3],
    [() => `${r.pick(words)}-${g}`, 2],
    [() => `${g[0]}${f[0]}${r.pick([yy(), mmdd(), year()])}`, 3],
    [() => `${alnum(4 + r.int(6))}`, 4],
    [() => `${mmdd()}${r.pick(words)}`, 2],
    [() => `${r.pick(western)}.${r.pick(['smith', 'brown', 'lee', 'wilson', f])}`, 4],
    [() => g.slice(0, 1 + r.int(2)), 1],
  ])();
  const caseRoll = r.next();
  if (caseRoll < 0.07) local = local[0]!.toUpperCase() + local.slice(1);
  else if (caseRoll < 0.08) local = local.toUpperCase();
  const domain = r.weighted<() => string>([
    [() => 'gmail.com', 30],
    [() => 'yahoo.co.jp', 16],
    [() => 'icloud.com', 10],
    [() => 'docomo.ne.jp', 6],
    [() => 'ezweb.ne.jp', 4],
    [() => 'au.com', 2],
    [() => 'softbank.ne.jp', 3],
    [() => 'i.softbank.jp', 2],
    [() => 'outlook.jp', 2],
    [() => 'outlook.com', 2],
    [() => 'hotmail.com', 2],
    [() => 'hotmail.co.jp', 2],
    [() => 'me.com', 1],
    [() => 'yahoo.com', 1],
    [() => 'nifty.com', 1],
    [() => 'biglobe.ne.jp', 1],
    [() => 'ocn.ne.jp', 1],
    [() => 'so-net.ne.jp', 1],
    [() => 'live.jp', 1],
    [() => `${r.pick(family)}-${r.pick(['kogyo', 'shoji', 'sangyo', 'kensetsu', 'clinic'])}.co.jp`, 4],
    [() => `${r.pick(words)}${r.pick(['-design', '-lab', 'works', '-office', ''])}.jp`, 3],
    [
      () => `${r.pick(['tokyo', 'osaka', 'kyoto', 'tohoku', 'kyushu', 'hokudai', 'keio', 'waseda'])}.ac.jp`,
      2,
    ],
    [
      () => `${r.pick(['nihon', 'toyo', 'yamato', 'fuji', 'asahi'])}${r.pick(['soft', 'tech', 'net'])}.com`,
      3,
    ],
  ]);
  return `${local}@${domain()}`;
}

/** The features a simple attacker looks at: character classes, the first letter, the provider. */
function features(mask: string): string[] {
  const [prefix, domain = ''] = mask.split('*****@') as [string, string];
  const cls = (c: string | undefined) =>
    c === undefined
      ? 'none'
      : /[a-z]/.test(c)
        ? 'lower'
        : /[A-Z]/.test(c)
          ? 'upper'
          : /\d/.test(c)
            ? 'digit'
            : c;
  const chars = Array.from(prefix);
  const common = new Set([
    'gmail.com',
    'yahoo.co.jp',
    'icloud.com',
    'docomo.ne.jp',
    'ezweb.ne.jp',
    'au.com',
    'softbank.ne.jp',
    'i.softbank.jp',
    'outlook.jp',
    'outlook.com',
    'hotmail.com',
    'hotmail.co.jp',
    'me.com',
    'yahoo.com',
    'nifty.com',
    'biglobe.ne.jp',
    'ocn.ne.jp',
    'so-net.ne.jp',
    'live.jp',
  ]);
  const suffix = /\.(co|ac|ne|or|go)\.jp$/.exec(domain)?.[0] ?? `.${domain.split('.').at(-1)}`;
  return [
    `c1:${cls(chars[0])}`,
    `c2:${cls(chars[1])}`,
    `pair:${cls(chars[0])}-${cls(chars[1])}`,
    `letter:${(chars[0] ?? '').toLowerCase()}`,
    `domain:${common.has(domain) ? domain : `custom${suffix}`}`,
  ];
}

/** Accuracy of a naive Bayes classifier trained on half of each set, tested on the other half. */
function naiveBayesAccuracy(real: string[], fake: string[]): number {
  const half = (xs: string[]) => [xs.slice(0, xs.length / 2), xs.slice(xs.length / 2)] as const;
  const [realTrain, realTest] = half(real);
  const [fakeTrain, fakeTest] = half(fake);
  const counts = (xs: string[]) => {
    const m = new Map<string, number>();
    for (const x of xs) for (const f of features(x)) m.set(f, (m.get(f) ?? 0) + 1);
    return m;
  };
  const cr = counts(realTrain);
  const cf = counts(fakeTrain);
  const logp = (m: Map<string, number>, n: number, f: string) => Math.log(((m.get(f) ?? 0) + 1) / (n + 50));
  const isReal = (x: string) =>
    features(x).reduce((s, f) => s + logp(cr, realTrain.length, f) - logp(cf, fakeTrain.length, f), 0) > 0;
  const right = realTest.filter(isReal).length + fakeTest.filter((x) => !isReal(x)).length;
  return right / (realTest.length + fakeTest.length);
}

describe('made-up methods for an address without an account', () => {
  const N = 2000;
  const r = seeded(20261124);
  const realEmails = Array.from({ length: N }, () => maskEmail(realisticAddress(r)));
  const fakes = Array.from({ length: 4 * N }, (_, i) =>
    fakeMethods(TEST_SECRET, `person${i}.${i % 7}@example.org`),
  );
  const fakeEmails = fakes
    .flat()
    .filter((m) => m.kind === 'email')
    .map((m) => m.masked)
    .slice(0, N);

  it('every mask has the exact shape of a real one', () => {
    expect(fakeEmails).toHaveLength(N);
    for (const m of realEmails) expect(m).toMatch(EMAIL_MASK); // the regex itself fits real masks
    for (const m of fakes.flat()) {
      expect(m.id).toMatch(/^mth_[A-Za-z0-9_-]{16}$/);
      expect(m.masked).toMatch(m.kind === 'phone' ? PHONE_MASK : EMAIL_MASK);
    }
  });

  it('a classifier on character classes, first letter and provider does no better than chance (±8 %)', () => {
    const accuracy = naiveBayesAccuracy(realEmails, fakeEmails);
    expect(accuracy).toBeLessThan(0.58);
    // The same classifier does tell a crude generator apart (two lowercase letters, six providers).
    const crude = fakeEmails.map(
      (_, i) =>
        `${'kstmhy'[i % 6]}${'aeiou'[i % 5]}*****@${['gmail.com', 'yahoo.co.jp', 'icloud.com'][i % 3]}`,
    );
    expect(naiveBayesAccuracy(realEmails, crude)).toBeGreaterThan(0.65);
  });

  it('shows capitals, digits, one-character prefixes and dozens of providers, custom domains included', () => {
    const share = (xs: string[], p: (x: string) => boolean) => xs.filter(p).length / xs.length;
    for (const [name, p] of [
      ['capital first', (x: string) => /^[A-Z]/.test(x)],
      ['digit first', (x: string) => /^\d/.test(x)],
      ['separator second', (x: string) => /^.[._-]\*/.test(x)],
      [
        'custom domain',
        (x: string) =>
          features(x).includes('domain:custom.co.jp') ||
          (/\.(ac\.jp|jp)$/.test(x) &&
            !/(softbank|docomo|ezweb|outlook|live|yahoo|hotmail|so-net|biglobe|ocn)/.test(x)),
      ],
    ] as const) {
      const real = share(realEmails, p);
      const fake = share(fakeEmails, p);
      expect(fake, name).toBeGreaterThan(real / 3);
      expect(fake, name).toBeLessThan(real * 3 + 0.01);
    }
    expect(new Set(fakeEmails.map((m) => m.split('@')[1])).size).toBeGreaterThan(30);
  });

  it('lists the sign-in address, then emails before phones, in the mix real accounts have, the same every time', () => {
    const shapes = new Map<string, number>();
    for (const list of fakes) {
      const kinds = list.map((m) => m.kind).join(',');
      // Every real account lists its verified sign-in address first, so every made-up list does.
      expect(kinds).toMatch(/^signin(,email)*(,phone)*$/);
      shapes.set(kinds, (shapes.get(kinds) ?? 0) + 1);
    }
    const share = (k: string) => (shapes.get(k ? `signin,${k}` : 'signin') ?? 0) / fakes.length;
    expect(share('')).toBeGreaterThan(0.1);
    expect(share('')).toBeLessThan(0.3);
    expect(share('email')).toBeGreaterThan(0.2);
    expect(share('phone')).toBeGreaterThan(0.1);
    expect(share('email,phone')).toBeGreaterThan(0.1);
    expect(share('email,email')).toBeGreaterThan(0.02);
    expect(fakeMethods(TEST_SECRET, 'someone@example.org')).toEqual(
      fakeMethods(TEST_SECRET, 'someone@example.org'),
    );
    expect(fakeMethods(TEST_SECRET, 'a.person@example.org')).not.toEqual(
      fakeMethods('another-secret-0123456789abcdef', 'a.person@example.org'),
    );
  });
});

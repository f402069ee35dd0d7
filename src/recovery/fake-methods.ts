import { createHmac } from 'node:crypto';
import { maskEmail, maskPhone } from '../kernel/mask.ts';

export interface MaskedMethod {
  id: string;
  /** `signin`: the verified sign-in address of the account itself (its masked form is the account's). */
  kind: 'signin' | 'email' | 'phone' | 'totp';
  masked: string;
}

/**
 * Methods shown for an address that has no account, so that forgot-password answers the same either way
 * (docs/flows/password-reset.md). They must not be told apart from real ones: a plausible address is made up
 * and masked by the same `maskEmail` as real methods (so the visible characters have the classes, case and
 * first letters of real local parts), on a realistic mix of providers and custom domains; a phone is a
 * Japanese mobile number masked by `maskPhone`; the number and kinds of methods follow the mix of real
 * accounts (emails before phones, as `listMethods` orders them). Everything is drawn from a keyed hash
 * (HMAC-SHA256 with the service secret) of the address: the same address always shows the same methods, and
 * nobody without the secret can predict or recognise them.
 *
 * Only the first step of a reset is ever shown for an unknown address (its code step is a decoy that never
 * opens), so no authenticator app is made up: real accounts list one only in the second-proof step.
 *
 * Every real account lists its verified sign-in address first (`signinMethod`), masked from the address
 * typed to start the flow; so does every made-up list, with an id drawn from the same keyed hash.
 */
export function fakeMethods(secret: string, accountKey: string): MaskedMethod[] {
  const r = keyedStream(secret, `fake-methods:v2:${accountKey}`);
  const shape = r.weighted(METHOD_MIX);
  const id = () => `mth_${r.bytes(12).toString('base64url')}`;
  const signinId = `mth_${keyedStream(secret, `fake-methods:signin:${accountKey}`).bytes(12).toString('base64url')}`;
  const methods: MaskedMethod[] = [{ id: signinId, kind: 'signin', masked: maskEmail(accountKey) }];
  for (let i = 0; i < shape.emails; i++)
    methods.push({ id: id(), kind: 'email', masked: maskEmail(plausibleAddress(r)) });
  for (let i = 0; i < shape.phones; i++)
    methods.push({ id: id(), kind: 'phone', masked: maskPhone(plausibleMobile(r)) });
  return methods;
}

/** How many contact methods, besides the sign-in address, accounts show on the first reset step. */
const METHOD_MIX: readonly (readonly [{ emails: number; phones: number }, number])[] = [
  [{ emails: 0, phones: 0 }, 20],
  [{ emails: 1, phones: 0 }, 32],
  [{ emails: 0, phones: 1 }, 16],
  [{ emails: 1, phones: 1 }, 20],
  [{ emails: 2, phones: 0 }, 6],
  [{ emails: 2, phones: 1 }, 4],
  [{ emails: 1, phones: 2 }, 2],
];

/** Deterministic uniform draws from HMAC-SHA256(secret, label ‖ block counter). */
export interface KeyedStream {
  /** Uniform integer in [0, n), without modulo bias. */
  int(n: number): number;
  /** Uniform in [0, 1). */
  next(): number;
  bytes(n: number): Buffer;
  pick<T>(xs: readonly T[]): T;
  weighted<T>(xs: readonly (readonly [T, number])[]): T;
}

export function keyedStream(secret: string, label: string): KeyedStream {
  let block = 0;
  let buf = Buffer.alloc(0);
  let pos = 0;
  const take = (n: number): Buffer => {
    const out = Buffer.alloc(n);
    for (let i = 0; i < n; i++) {
      if (pos >= buf.length) {
        buf = createHmac('sha256', secret).update(`${label}:${block++}`).digest();
        pos = 0;
      }
      out[i] = buf[pos++]!;
    }
    return out;
  };
  const u32 = () => take(4).readUInt32BE(0);
  const s: KeyedStream = {
    int(n) {
      const limit = Math.floor(0x1_0000_0000 / n) * n;
      let v = u32();
      while (v >= limit) v = u32();
      return v % n;
    },
    next: () => u32() / 0x1_0000_0000,
    bytes: take,
    pick: (xs) => xs[s.int(xs.length)]!,
    weighted(xs) {
      let roll = s.next() * xs.reduce((sum, [, w]) => sum + w, 0);
      for (const [v, w] of xs) {
        roll -= w;
        if (roll < 0) return v;
      }
      return xs[xs.length - 1]![0];
    },
  };
  return s;
}

// Romanised names and words people build addresses from (Hepburn, as registered in Japan).
const GIVEN = [
  'taro',
  'hanako',
  'ichiro',
  'jiro',
  'kenichi',
  'kenta',
  'kaito',
  'haruto',
  'sota',
  'yuma',
  'ren',
  'hayato',
  'takuya',
  'tatsuya',
  'shinji',
  'shunsuke',
  'ryota',
  'ryosuke',
  'kohei',
  'yuya',
  'daiki',
  'tomoya',
  'naoya',
  'masaki',
  'hiroki',
  'kazuya',
  'keisuke',
  'manabu',
  'osamu',
  'tsuyoshi',
  'minoru',
  'isamu',
  'noboru',
  'akihiro',
  'yui',
  'yuna',
  'aoi',
  'rin',
  'sakura',
  'miyu',
  'hina',
  'mei',
  'airi',
  'nana',
  'rina',
  'erika',
  'asuka',
  'chika',
  'eri',
  'kana',
  'mika',
  'nao',
  'natsumi',
  'reiko',
  'sachiko',
  'kyoko',
  'michiko',
  'noriko',
  'yoshiko',
  'akemi',
  'chiharu',
  'fumiko',
  'hitomi',
  'izumi',
  'kumiko',
  'mayumi',
  'miho',
  'rie',
  'shiori',
  'tomomi',
  'yukiko',
  'yuko',
  'atsushi',
  'hajime',
  'kiyoshi',
  'makoto',
  'susumu',
  'wataru',
  'yasuhiro',
  'yoshio',
  'shigeru',
  'toru',
] as const;
const FAMILY = [
  'sato',
  'suzuki',
  'takahashi',
  'tanaka',
  'watanabe',
  'ito',
  'nakamura',
  'kobayashi',
  'yamamoto',
  'kato',
  'yoshida',
  'yamada',
  'sasaki',
  'matsumoto',
  'inoue',
  'kimura',
  'shimizu',
  'hayashi',
  'saito',
  'yamazaki',
  'nakajima',
  'mori',
  'abe',
  'ikeda',
  'hashimoto',
  'yamashita',
  'ishikawa',
  'ogawa',
  'ishii',
  'hasegawa',
  'goto',
  'okada',
  'kondo',
  'maeda',
  'fujita',
  'endo',
  'aoki',
  'sakamoto',
  'murakami',
  'ota',
  'kaneko',
  'fujii',
  'fukuda',
  'nishimura',
  'miura',
  'takeuchi',
  'nakagawa',
  'okamoto',
  'matsuda',
  'harada',
  'nakano',
  'ono',
  'tamura',
  'takeda',
  'fujiwara',
  'nakayama',
  'ishida',
  'ueda',
  'morita',
  'shibata',
  'sakai',
  'kudo',
  'yokoyama',
  'miyazaki',
  'miyamoto',
  'uchida',
  'takagi',
  'ando',
  'taniguchi',
  'ohno',
  'maruyama',
  'imai',
  'kono',
  'fujimoto',
] as const;
const WESTERN = [
  'alex',
  'ben',
  'chris',
  'daniel',
  'emily',
  'grace',
  'jack',
  'jessica',
  'kevin',
  'laura',
  'mark',
  'mary',
  'paul',
  'peter',
  'rachel',
  'sam',
  'tom',
  'amy',
  'brian',
  'julia',
] as const;
const WESTERN_FAMILY = [
  'smith',
  'jones',
  'brown',
  'taylor',
  'miller',
  'davis',
  'clark',
  'lee',
  'walker',
  'king',
];
const WORDS = [
  'hoshi',
  'tsuki',
  'sora',
  'umi',
  'kaze',
  'yuki',
  'hana',
  'momo',
  'ichigo',
  'mikan',
  'neko',
  'inu',
  'usagi',
  'kuma',
  'tanuki',
  'kitsune',
  'ringo',
  'sakura',
  'ajisai',
  'hotaru',
  'nijiiro',
  'kirakira',
  'nico',
  'piyo',
  'chibi',
  'pochi',
  'tama',
  'love',
  'happy',
  'lucky',
  'smile',
  'sunny',
  'dream',
  'angel',
  'candy',
  'cherry',
  'peach',
  'lemon',
  'melody',
  'music',
  'soccer',
  'baseball',
  'tennis',
  'golf',
  'runner',
  'surf',
  'snow',
  'green',
  'blue',
  'red',
  'black',
  'white',
  'silver',
  'gold',
  'star',
  'moon',
  'ocean',
  'river',
  'forest',
  'coffee',
  'tea',
  'mocha',
  'choco',
  'cookie',
  'panda',
  'tiger',
  'lion',
  'eagle',
  'dragon',
  'ninja',
  'samurai',
  'rock',
  'jazz',
] as const;
const COMPANY_WORDS = [
  'kogyo',
  'shoji',
  'sangyo',
  'kensetsu',
  'denki',
  'seiko',
  'tsusho',
  'fudosan',
  'clinic',
  'dental',
  'design',
  'office',
  'works',
  'lab',
  'soft',
  'tech',
  'systems',
  'net',
  'group',
  'farm',
] as const;
const PLACES = [
  'tokyo',
  'osaka',
  'kyoto',
  'nagoya',
  'sapporo',
  'sendai',
  'yokohama',
  'kobe',
  'fukuoka',
  'hiroshima',
  'chiba',
  'saitama',
  'nara',
  'okinawa',
  'kanazawa',
  'niigata',
  'shizuoka',
  'kumamoto',
] as const;
const UNIVERSITIES = [
  'u-tokyo',
  'kyoto-u',
  'osaka-u',
  'tohoku',
  'nagoya-u',
  'hokudai',
  'kyushu-u',
  'keio',
  'waseda',
  'sophia',
  'meiji',
  'rikkyo',
  'hosei',
  'chuo-u',
  'titech',
  'tsukuba',
  'kobe-u',
  'hiroshima-u',
] as const;

/** Providers by share of Japanese consumer sign-ups (rounded, per 1000). */
const PROVIDERS: readonly (readonly [string, number])[] = [
  ['gmail.com', 330],
  ['yahoo.co.jp', 150],
  ['icloud.com', 95],
  ['docomo.ne.jp', 50],
  ['ezweb.ne.jp', 30],
  ['au.com', 20],
  ['softbank.ne.jp', 25],
  ['i.softbank.jp', 20],
  ['outlook.jp', 22],
  ['outlook.com', 20],
  ['hotmail.com', 20],
  ['hotmail.co.jp', 18],
  ['me.com', 10],
  ['yahoo.com', 8],
  ['nifty.com', 8],
  ['biglobe.ne.jp', 8],
  ['ocn.ne.jp', 7],
  ['so-net.ne.jp', 6],
  ['live.jp', 6],
  ['ybb.ne.jp', 4],
  ['ymail.ne.jp', 3],
  ['rakuten.jp', 3],
  ['mac.com', 3],
  ['live.com', 3],
  ['plala.or.jp', 3],
  ['dion.ne.jp', 2],
  ['zaq.ne.jp', 2],
  ['ymobile.ne.jp', 2],
  ['uqmobile.jp', 2],
  ['protonmail.com', 1],
];

/**
 * The sign-in address of a real account as a reset method: its id is a keyed hash of the account id (stable,
 * shaped like every method id, unpredictable without the secret), its mask is that of the address typed to
 * start the flow, as for a made-up one.
 */
export function signinMethod(secret: string, accountId: string, accountKey: string): MaskedMethod {
  return {
    id: `mth_${keyedStream(secret, `signin-method:${accountId}`).bytes(12).toString('base64url')}`,
    kind: 'signin',
    masked: maskEmail(accountKey),
  };
}

function digits(r: KeyedStream, n: number): string {
  return Array.from({ length: n }, () => String(r.int(10))).join('');
}

function plausibleLocalPart(r: KeyedStream): string {
  const g = r.pick(GIVEN);
  const f = r.pick(FAMILY);
  const year = () => String(1950 + r.int(58));
  const yy = () => digits(r, 2);
  const mmdd = () => `${String(1 + r.int(12)).padStart(2, '0')}${String(1 + r.int(28)).padStart(2, '0')}`;
  const num = () =>
    r.weighted<() => string>([
      [yy, 4],
      [year, 3],
      [mmdd, 3],
      [() => digits(r, 3), 1],
    ])();
  const sep = () =>
    r.weighted([
      ['.', 5],
      ['_', 2],
      ['-', 1],
    ] as const);
  const alnum = (n: number) =>
    Array.from({ length: n }, () => 'abcdefghijklmnopqrstuvwxyz0123456789'[r.int(36)]).join('');
  const local = r.weighted<() => string>([
    [() => `${g}.${f}`, 15],
    [() => `${f}.${g}`, 8],
    [() => `${g}${sep()}${f}`, 4],
    [() => `${g[0]}.${f}`, 6],
    [() => `${g[0]}${f}`, 6],
    [() => `${f}${g[0]}`, 3],
    [() => `${g}${f}`, 5],
    [() => `${g}${num()}`, 10],
    [() => `${f}${num()}`, 5],
    [
      () =>
        `${r.pick(WORDS)}${r.weighted<() => string>([
          [num, 3],
          [() => '', 1],
        ])()}`,
      7,
    ],
    [
      () =>
        `${r.pick(WORDS)}${sep()}${r.pick(WORDS)}${r.weighted<() => string>([
          [yy, 1],
          [() => '', 1],
        ])()}`,
      3,
    ],
    [() => `${r.pick(WORDS)}${sep()}${g}`, 2],
    [() => `${g[0]}${f[0]}${num()}`, 3],
    [() => alnum(4 + r.int(7)), 4],
    [() => `${mmdd()}${r.pick(WORDS)}`, 2],
    [() => `${r.pick(WESTERN)}.${r.pick(WESTERN_FAMILY)}`, 3],
    [() => `${r.pick(WESTERN)}${num()}`, 1],
    [() => g.slice(0, 1 + r.int(2)), 1],
  ])();
  const roll = r.next();
  if (roll < 0.07) return local[0]!.toUpperCase() + local.slice(1);
  if (roll < 0.08) return local.toUpperCase();
  return local;
}

function plausibleDomain(r: KeyedStream): string {
  if (r.next() >= 0.13) return r.weighted(PROVIDERS);
  return r.weighted<() => string>([
    [() => `${r.pick(FAMILY)}-${r.pick(COMPANY_WORDS)}.co.jp`, 4],
    [() => `${r.pick(PLACES)}-${r.pick(COMPANY_WORDS)}.co.jp`, 2],
    [
      () =>
        `${r.pick(WORDS)}${r.weighted([
          ['-', 1],
          ['', 1],
        ] as const)}${r.pick(COMPANY_WORDS)}.jp`,
      3,
    ],
    [() => `${r.pick(UNIVERSITIES)}.ac.jp`, 2],
    [() => `${r.pick(WORDS)}${r.pick(COMPANY_WORDS)}.com`, 2],
    [() => `${r.pick(PLACES)}.lg.jp`, 0.5],
    [() => `${r.pick(FAMILY)}.net`, 0.5],
    [() => `${r.pick(PLACES)}-${r.pick(COMPANY_WORDS)}.or.jp`, 0.5],
  ])();
}

function plausibleAddress(r: KeyedStream): string {
  return `${plausibleLocalPart(r)}@${plausibleDomain(r)}`;
}

/** A Japanese mobile number (+81 70/80/90, then 8 digits), E.164. */
function plausibleMobile(r: KeyedStream): string {
  return `+81${r.pick(['90', '80', '70'] as const)}${digits(r, 8)}`;
}

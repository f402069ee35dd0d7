/** Messages between bench/run.ts and the server child (bench/server.ts). */

/**
 * The load generator's User-Agent: an ordinary desktop browser, so device detection does its usual work, and
 * seeded accounts have already signed in from this device (a valid sign-in is then not "unusual").
 */
export const BENCH_USER_AGENT =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
export const BENCH_IP = '127.0.0.1';
export type Command =
  | { cmd: 'seedAccounts'; prefix: string; count: number; password: string }
  | { cmd: 'seedSessions'; count: number }
  | { cmd: 'seedSignups'; count: number }
  | { cmd: 'seedTotp'; prefix: string; count: number; twoStep: boolean; session: boolean; password: string }
  | { cmd: 'totpMicro'; durationMs: number }
  | { cmd: 'argon2'; concurrency: number; durationMs: number; warmupMs: number }
  | { cmd: 'dbStats'; reset: boolean }
  | { cmd: 'sql'; text: string }
  | { cmd: 'profileStart'; intervalUs: number }
  | { cmd: 'profileStop'; path: string; root: string; inclusive?: string[] }
  | { cmd: 'close' };

export type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

export interface Ready {
  ready: true;
  ports: {
    app: number;
    appNoCache: number;
    appLongCache: number;
    hello: number;
    helloHelmet: number;
    helloStatic: number;
  };
  dataDir: string;
}

export interface Argon2Result {
  verifications: number;
  failed: number;
  seconds: number;
  rate: number;
  cpuSeconds: number;
  /** CPU seconds used by everything else on the machine during the window. */
  otherCpuSeconds: number;
}

/** An account with a verified authenticator app (bench/server.ts seedTotp). */
export interface TotpSeed {
  email: string;
  methodId: string;
  /** The TOTP secret, base64: what the authenticator app holds. */
  secret: string;
  /** A session of the account (with a stale step-up), when asked for. */
  sessionToken: string | null;
}

/** CPU per call of the TOTP work done in memory, measured alone in the server process. */
export interface TotpMicro {
  /** verifyTotp with the right code (three HOTP computations and compares). */
  verifyUs: number;
  /** Decrypting the stored secret as totp-service.ts does: createCipher (HKDF) + AES-256-GCM. */
  decryptUs: number;
  verifyCalls: number;
  decryptCalls: number;
}

export interface DbStats {
  statements: number;
  sessionLookups: number;
  transactions: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Self time by where the code lives (package, src/ area, V8/GC, idle). */
  byArea: { area: string; ms: number; share: number }[];
  /** The same, with native builtins and Node's non-HTTP internals counted for their nearest other caller. */
  byCallerArea: { area: string; ms: number; share: number }[];
  /** Time inside the functions asked for (callees included), as "name@path". */
  inclusive: { fn: string; ms: number; share: number }[];
  /** Hottest functions by self time. */
  topFunctions: { fn: string; where: string; ms: number; share: number }[];
}

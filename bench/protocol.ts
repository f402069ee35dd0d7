/** Messages between bench/run.ts and the server child (bench/server.ts). */
export type Command =
  | { cmd: 'seedAccounts'; prefix: string; count: number; password: string }
  | { cmd: 'seedSessions'; count: number }
  | { cmd: 'seedSignups'; count: number }
  | { cmd: 'argon2'; concurrency: number; durationMs: number; warmupMs: number }
  | { cmd: 'cpu' }
  | { cmd: 'sql'; text: string }
  | { cmd: 'profileStart'; intervalUs: number }
  | { cmd: 'profileStop'; path: string; root: string }
  | { cmd: 'close' };

export type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

export interface Ready {
  ready: true;
  ports: { app: number; appNoCache: number; hello: number };
  dataDir: string;
}

export interface Argon2Result {
  verifications: number;
  failed: number;
  seconds: number;
  rate: number;
  cpuSeconds: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Self time by where the code lives (package, src/ area, V8/GC, idle). */
  byArea: { area: string; ms: number; share: number }[];
  /** Hottest functions by self time. */
  topFunctions: { fn: string; where: string; ms: number; share: number }[];
}

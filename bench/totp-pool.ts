/**
 * Hands out accounts with an authenticator app so that each one is used at most once per 30-second TOTP step:
 * the server refuses a second code of the same step (replay protection), and a refused code would count
 * against the account's wrong-code budget. Round-robin, so the account used longest ago comes next.
 */
import { TOTP_PERIOD_SECONDS, totpCode, totpStep } from '../src/security-info/totp/totp.ts';
import { sleep } from './http-client.ts';
import type { TotpSeed } from './protocol.ts';

export interface TotpAccount extends TotpSeed {
  key: Uint8Array;
}

export class TotpPool {
  private readonly items: TotpAccount[];
  private readonly lastStep: Float64Array;
  private cursor = 0;
  /** Times a caller had to wait for the next step because every account had been used in this one. */
  waits = 0;

  constructor(seeds: TotpSeed[]) {
    this.items = seeds.map((s) => ({ ...s, key: new Uint8Array(Buffer.from(s.secret, 'base64')) }));
    this.lastStep = new Float64Array(seeds.length).fill(-1);
  }

  get size(): number {
    return this.items.length;
  }

  /**
   * An account not used in the current step, with the code its app shows now. The code is for the step of
   * the moment it is taken, so it stays valid (±1 step) even if it is sent a little later.
   */
  async take(): Promise<{ account: TotpAccount; code: string }> {
    for (;;) {
      const now = new Date();
      const step = totpStep(now);
      for (let n = 0; n < this.items.length; n++) {
        const j = this.cursor;
        this.cursor = (j + 1) % this.items.length;
        if (this.lastStep[j]! < step) {
          this.lastStep[j] = step;
          const account = this.items[j]!;
          return { account, code: totpCode(account.key, now) };
        }
      }
      this.waits++;
      await sleep((step + 1) * TOTP_PERIOD_SECONDS * 1000 - now.getTime() + 5);
    }
  }
}

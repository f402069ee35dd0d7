import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return files(p);
    return /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f) ? [relative(root, p)] : [];
  });
}

/** A file allowed to hold SQL: a capability's store, the storage drivers and migrations, the adapters. */
const mayHoldSql = (f: string) =>
  /^src\/[^/]+\/store\.ts$/.test(f) ||
  /^src\/[^/]+\/store\//.test(f) ||
  /^src\/storage\/(migrate|pglite|postgres|schema-dump)\.ts$/.test(f) ||
  f.startsWith('src/adapters/');

describe('one owner for every table', () => {
  const sources = files(join(root, 'src')).map((f) => ({ f, text: readFileSync(join(root, f), 'utf8') }));

  it('SQL is written only in a capability store (src/<capability>/store.ts) or in storage/', () => {
    const offenders = sources
      .filter((s) => !mayHoldSql(s.f) && /\.(query|script)\s*[<(]/.test(s.text))
      .map((s) => s.f);
    expect(offenders).toEqual([]);
  });

  it("a store touches only its own capability's tables (docs/architecture.md, table owners)", () => {
    const owners: Record<string, string> = {
      accounts: 'accounts',
      password_history: 'accounts',
      sessions: 'sessions',
      pending_signins: 'sessions',
      trusted_devices: 'sessions',
      known_devices: 'sessions',
      security_methods: 'security-info',
      webauthn_challenges: 'security-info',
      challenges: 'verification',
      code_sends: 'verification',
      limits: 'abuse',
      activity: 'activity',
      outbox: 'notifications',
      reset_flows: 'recovery',
      replacements: 'replacement',
      replacement_items: 'replacement',
      replacement_reminders: 'replacement',
      replacement_tokens: 'replacement',
      recovery_requests: 'recovery-form',
      past_contacts: 'recovery-form',
      recovery_pow_spent: 'recovery-form',
      operators: 'operator',
      operator_sessions: 'operator',
      operator_audit: 'operator',
      notices: 'notices',
      notice_deliveries: 'notices',
      notice_optouts: 'notices',
    };
    const foreign: string[] = [];
    for (const s of sources.filter((x) => /^src\/[^/]+\/store(\.ts|\/)/.test(x.f))) {
      const capability = s.f.split('/')[1] as string;
      // Table names as SQL uses them: after FROM, JOIN, INTO, UPDATE, DELETE FROM, TABLE.
      for (const m of s.text.matchAll(/\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\s+([a-z_]+)/g)) {
        const table = m[1] as string;
        const owner = owners[table];
        if (owner && owner !== capability) foreign.push(`${s.f}: ${table} (owned by ${owner})`);
      }
    }
    expect([...new Set(foreign)]).toEqual([]);
  });
});

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

/**
 * Reads of another owner's table inside a store's own statement, allowed only where one statement must do
 * it: a check that has to be atomic with the write, or a lookup that must cost the same number of
 * statements for real and unknown accounts (test/attack/probe-enum.test.ts). Writes never.
 */
const CROSS_READS: Record<string, { table: string; why: string }[]> = {
  'src/verification/store.ts': [
    {
      table: 'accounts',
      why: "a code verifies only while the account's security stamp is the one it was issued against, checked in the consuming UPDATE",
    },
  ],
  'src/security-info/store.ts': [
    {
      table: 'accounts',
      why: 'a passkey ceremony is bound to, and spent only under, the current security stamp, in one statement',
    },
  ],
  'src/sessions/store.ts': [
    {
      table: 'accounts',
      why: 'a session, pending sign-in or device trust is read with the stamp and revocation marker it depends on, in one statement (cache check and equal statement counts)',
    },
    {
      table: 'org_members',
      why: 'a session is read with whether an organisation admin gave its account a temporary password to change, in the same statement (no extra read per request)',
    },
  ],
  'src/apps/store/delivery-outbox.ts': [
    {
      table: 'sessions',
      why: "the provider's rows of Mamori sessions that ended are deleted in one statement with the check that the session is gone (atomic with the sign-out that raised the event)",
    },
  ],
  'src/activity/store.ts': [
    {
      table: 'accounts',
      why: 'an entry about an account that may not exist (a failed sign-in, by address; a reset start) is written in one statement either way (equal statement counts)',
    },
  ],
};

/**
 * A file allowed to hold SQL: a capability's store, the storage drivers, migrations and readiness probe, the
 * adapters.
 */
const mayHoldSql = (f: string) =>
  /^src\/[^/]+\/store\.ts$/.test(f) ||
  /^src\/[^/]+\/store\//.test(f) ||
  /^src\/storage\/(migrate|pglite|postgres|schema-dump|ready)\.ts$/.test(f) ||
  f.startsWith('src/adapters/');

describe('one owner for every table', () => {
  const sources = files(join(root, 'src')).map((f) => ({ f, text: readFileSync(join(root, f), 'utf8') }));

  it('SQL is written only in a capability store (src/<capability>/store.ts) or in storage/', () => {
    const offenders = sources
      // SQL text: a query or script call whose first argument is a string literal (the ports that only pass
      // SQL on, kernel/sql.ts and kernel/unit-of-work.ts, hold none).
      .filter((s) => !mayHoldSql(s.f) && /\.(query|script)\s*(<[^>]*>)?\(\s*[`'"]/.test(s.text))
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
      organisations: 'organisations',
      org_domains: 'organisations',
      org_members: 'organisations',
      org_invitations: 'organisations',
      org_policies: 'organisations',
      org_audit: 'organisations',
      temporary_access_passes: 'organisations',
      org_api_tokens: 'organisations',
      org_daily_counts: 'organisations',
      oidc_payloads: 'apps',
      oidc_keys: 'apps',
      app_clients: 'apps',
      webhook_endpoints: 'apps',
      signal_receivers: 'apps',
      app_deliveries: 'apps',
    };
    const foreign: string[] = [];
    for (const s of sources.filter((x) => /^src\/[^/]+\/store(\.ts|\/)/.test(x.f))) {
      const capability = s.f.split('/')[1] as string;
      // Table names as SQL uses them: after FROM, JOIN, INTO, UPDATE, DELETE FROM, TABLE.
      for (const m of s.text.matchAll(/\b(DELETE\s+FROM|FROM|JOIN|INTO|UPDATE|TABLE)\s+([a-z_]+)/g)) {
        const write = m[1] !== 'FROM' && m[1] !== 'JOIN';
        const table = m[2] as string;
        const owner = owners[table];
        if (!owner || owner === capability) continue;
        if (!write && CROSS_READS[s.f]?.some((r) => r.table === table)) continue;
        foreign.push(`${s.f}: ${write ? 'writes' : 'reads'} ${table} (owned by ${owner})`);
      }
    }
    expect([...new Set(foreign)]).toEqual([]);
  });
});

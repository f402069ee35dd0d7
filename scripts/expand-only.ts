/**
 * Expand/contract check of the migration files (docs/operations.md, "Upgrades: expand, then contract").
 *
 * While a new version's migration runs, instances of the previous version keep serving on the same
 * database. A migration is therefore "expand-only": it may add tables, columns (nullable, or NOT NULL with a
 * DEFAULT), indexes and data, but must not take away or reshape anything the previous version reads or
 * writes on a table that already existed. Findings on tables created by an earlier migration:
 *   - DROP TABLE, DROP COLUMN, RENAME (table, column, constraint), ALTER COLUMN … TYPE, SET NOT NULL,
 *     DROP DEFAULT, ADD COLUMN … NOT NULL without DEFAULT, ADD CONSTRAINT (a new rule old writes may break),
 *     DROP CONSTRAINT not replaced in the same file (a widened CHECK re-adds it under the same name).
 * A file whose first lines carry `-- contract: <why it is safe now>` is a contract step, meant to run only
 * once no instance of a version that needs the old shape serves any more: it is reported, not refused.
 *
 * `npx tsx scripts/expand-only.ts` prints the findings and exits 1 when there are any.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MIGRATIONS_DIR, migrationVersions } from '../src/storage/migrate.ts';

/** One refused statement: migration version, the table, the rule and the statement (shortened). */
export interface Finding {
  version: string;
  table: string;
  rule: string;
  statement: string;
}

export interface MigrationFile {
  version: string;
  sql: string;
}

/** The statements of a SQL script without comments; dollar-quoted bodies are kept whole. */
export function statements(sql: string): string[] {
  const out: string[] = [];
  let cur = '';
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? sql.length : end;
      continue;
    }
    if (c === "'") {
      const end = sql.indexOf("'", i + 1);
      cur += sql.slice(i, end === -1 ? sql.length : end + 1);
      i = end === -1 ? sql.length : end + 1;
      continue;
    }
    if (c === '$') {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i))?.[0];
      if (tag) {
        const end = sql.indexOf(tag, i + tag.length);
        cur += sql.slice(i, end === -1 ? sql.length : end + tag.length);
        i = end === -1 ? sql.length : end + tag.length;
        continue;
      }
    }
    if (c === ';') {
      if (cur.trim()) out.push(cur.trim().replace(/\s+/g, ' '));
      cur = '';
      i++;
      continue;
    }
    cur += c;
    i++;
  }
  if (cur.trim()) out.push(cur.trim().replace(/\s+/g, ' '));
  return out;
}

/** True when the file declares itself a contract step (`-- contract: …` in its first 5 lines). */
export const isContract = (sql: string) =>
  sql
    .split('\n')
    .slice(0, 5)
    .some((l) => /^--\s*contract:\s*\S/i.test(l.trim()));

const ident = String.raw`(?:IF EXISTS\s+)?(?:ONLY\s+)?"?([a-z_][a-z0-9_]*)"?`;

/**
 * Checks migrations in order (each against the tables the earlier ones created). Returns the findings of
 * expand-only files and, separately, the versions marked as contract steps.
 */
export function checkExpandOnly(files: MigrationFile[]): { findings: Finding[]; contracts: string[] } {
  const existing = new Set<string>();
  const findings: Finding[] = [];
  const contracts: string[] = [];
  for (const f of files) {
    const contract = isContract(f.sql);
    if (contract) contracts.push(f.version);
    const created = new Set<string>();
    const stmts = statements(f.sql);
    const readded = new Set<string>();
    for (const s of stmts) {
      const m = /^ALTER TABLE .*?\bADD CONSTRAINT "?([a-z0-9_]+)"?/i.exec(s);
      if (m) readded.add(m[1]!.toLowerCase());
    }
    const dropped = new Set<string>();
    for (const s of stmts) {
      const create = /^CREATE (?:UNLOGGED )?TABLE (?:IF NOT EXISTS )?"?([a-z_][a-z0-9_]*)"?/i.exec(s);
      if (create) {
        created.add(create[1]!.toLowerCase());
        continue;
      }
      const refuse = (table: string, rule: string) => {
        if (!contract && existing.has(table))
          findings.push({ version: f.version, table, rule, statement: s.slice(0, 160) });
      };
      const drop = new RegExp(`^DROP TABLE ${ident}`, 'i').exec(s);
      if (drop) refuse(drop[1]!.toLowerCase(), 'DROP TABLE');
      const renameTable = new RegExp(`^ALTER TABLE ${ident} RENAME TO`, 'i').exec(s);
      if (renameTable) refuse(renameTable[1]!.toLowerCase(), 'RENAME TABLE');
      const alter = new RegExp(`^ALTER TABLE ${ident} (.*)$`, 'i').exec(s);
      if (!alter || renameTable) continue;
      const table = alter[1]!.toLowerCase();
      // ALTER TABLE t action, action, … (commas inside parentheses do not split).
      const actions: string[] = [];
      let depth = 0;
      let part = '';
      for (const ch of alter[2]!) {
        if (ch === '(') depth++;
        if (ch === ')') depth--;
        if (ch === ',' && depth === 0) {
          actions.push(part.trim());
          part = '';
        } else part += ch;
      }
      if (part.trim()) actions.push(part.trim());
      for (const a of actions) {
        const A = a.toUpperCase();
        if (/^DROP (COLUMN\s+)?(IF EXISTS\s+)?(?!CONSTRAINT)/.test(A) && !A.startsWith('DROP CONSTRAINT'))
          refuse(table, 'DROP COLUMN');
        else if (/^RENAME\b/.test(A)) refuse(table, 'RENAME');
        else if (/^ALTER (COLUMN\s+)?\S+ (SET DATA )?TYPE\b/.test(A)) refuse(table, 'ALTER COLUMN TYPE');
        else if (/^ALTER (COLUMN\s+)?\S+ SET NOT NULL/.test(A)) refuse(table, 'SET NOT NULL');
        else if (/^ALTER (COLUMN\s+)?\S+ DROP DEFAULT/.test(A)) refuse(table, 'DROP DEFAULT');
        else if (/^ADD (COLUMN\s+)?/.test(A) && !A.startsWith('ADD CONSTRAINT')) {
          if (/\bNOT NULL\b/.test(A) && !/\bDEFAULT\b/.test(A)) refuse(table, 'ADD COLUMN NOT NULL without DEFAULT');
        } else if (A.startsWith('DROP CONSTRAINT')) {
          const name = /^DROP CONSTRAINT (?:IF EXISTS )?"?([A-Z0-9_]+)"?/.exec(A)?.[1]?.toLowerCase();
          if (name) dropped.add(name);
          if (!name || !readded.has(name)) refuse(table, 'DROP CONSTRAINT');
        } else if (A.startsWith('ADD CONSTRAINT')) {
          const name = /^ADD CONSTRAINT "?([A-Z0-9_]+)"?/.exec(A)?.[1]?.toLowerCase();
          if (!name || !dropped.has(name)) refuse(table, 'ADD CONSTRAINT');
        }
      }
    }
    for (const t of created) existing.add(t);
  }
  return { findings, contracts };
}

/** The repository's migration files, in the order they apply. */
export function migrationFiles(dir: string = MIGRATIONS_DIR): MigrationFile[] {
  return migrationVersions(dir).map((version) => ({
    version,
    sql: readFileSync(join(dir, `${version}.sql`), 'utf8'),
  }));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { findings, contracts } = checkExpandOnly(migrationFiles());
  for (const c of contracts) console.log(`contract step (runs after the old version is gone): ${c}`);
  for (const f of findings) console.log(`${f.version}: ${f.rule} on ${f.table}: ${f.statement}`);
  if (findings.length > 0) process.exit(1);
  console.log('every migration is expand-only (or marked as a contract step)');
}

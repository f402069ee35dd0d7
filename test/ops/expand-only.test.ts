import { describe, expect, it } from 'vitest';
import { checkExpandOnly, migrationFiles, statements } from '../../scripts/expand-only.ts';

const base = {
  version: '0001_base',
  sql: "CREATE TABLE accounts (id text PRIMARY KEY, email text NOT NULL, kind text CONSTRAINT accounts_kind_check CHECK (kind IN ('a')));",
};
const rules = (sql: string) =>
  checkExpandOnly([base, { version: '0002_next', sql }]).findings.map((f) => `${f.rule} ${f.table}`);

/**
 * Every migration keeps the previous version's instances working while it runs (docs/operations.md,
 * "Upgrades: expand, then contract"); test/ops/expand-contract.test.ts runs one for real.
 */
describe('migrations are expand-only unless marked as a contract step', () => {
  it("the repository's migrations: no finding", () => {
    const { findings } = checkExpandOnly(migrationFiles());
    expect(findings).toEqual([]);
  });

  it('refuses what breaks an instance of the previous version on an existing table', () => {
    expect(rules('ALTER TABLE accounts DROP COLUMN email;')).toEqual(['DROP COLUMN accounts']);
    expect(rules('ALTER TABLE accounts DROP email;')).toEqual(['DROP COLUMN accounts']);
    expect(rules('ALTER TABLE accounts RENAME COLUMN email TO mail;')).toEqual(['RENAME accounts']);
    expect(rules('ALTER TABLE accounts RENAME TO users;')).toEqual(['RENAME TABLE accounts']);
    expect(rules('DROP TABLE IF EXISTS accounts;')).toEqual(['DROP TABLE accounts']);
    expect(rules('ALTER TABLE accounts ALTER COLUMN email TYPE varchar(100);')).toEqual([
      'ALTER COLUMN TYPE accounts',
    ]);
    expect(rules('ALTER TABLE accounts ALTER COLUMN kind SET NOT NULL;')).toEqual(['SET NOT NULL accounts']);
    expect(rules('ALTER TABLE accounts ADD COLUMN phone text NOT NULL;')).toEqual([
      'ADD COLUMN NOT NULL without DEFAULT accounts',
    ]);
    expect(rules("ALTER TABLE accounts ADD CONSTRAINT one CHECK (email <> '');")).toEqual([
      'ADD CONSTRAINT accounts',
    ]);
    expect(rules('ALTER TABLE accounts DROP CONSTRAINT accounts_kind_check;')).toEqual([
      'DROP CONSTRAINT accounts',
    ]);
    expect(rules('ALTER TABLE accounts ADD COLUMN a text, DROP COLUMN email;')).toEqual([
      'DROP COLUMN accounts',
    ]);
  });

  it('accepts what only adds: new columns (nullable or with a default), tables, indexes, widened checks, data', () => {
    expect(
      rules(
        [
          'ALTER TABLE accounts ADD COLUMN phone text;',
          'ALTER TABLE accounts ADD COLUMN n integer NOT NULL DEFAULT 0 CHECK (n >= 0);',
          'CREATE TABLE things (id text PRIMARY KEY, x text NOT NULL);',
          'ALTER TABLE things DROP COLUMN x;', // a table of the same file: no old instance knows it
          'CREATE INDEX accounts_email ON accounts (email);',
          'ALTER TABLE accounts DROP CONSTRAINT accounts_kind_check;',
          "ALTER TABLE accounts ADD CONSTRAINT accounts_kind_check CHECK (kind IN ('a', 'b'));",
          "UPDATE accounts SET phone = '' WHERE phone IS NULL;",
          'DO $$ BEGIN PERFORM 1; END $$;',
          '-- ALTER TABLE accounts DROP COLUMN email; (a comment)',
        ].join('\n'),
      ),
    ).toEqual([]);
  });

  it('a file marked `-- contract:` is reported as a contract step, not refused', () => {
    const r = checkExpandOnly([
      base,
      {
        version: '0002_drop_email',
        sql: '-- contract: nothing reads accounts.email since 0.4\nALTER TABLE accounts DROP COLUMN email;',
      },
    ]);
    expect(r.findings).toEqual([]);
    expect(r.contracts).toEqual(['0002_drop_email']);
  });

  it('splits statements around quotes, comments and dollar-quoted bodies', () => {
    expect(statements("SELECT ';'; -- x; y\nDO $f$ BEGIN; END $f$; SELECT 2")).toEqual([
      "SELECT ';'",
      'DO $f$ BEGIN; END $f$',
      'SELECT 2',
    ]);
  });
});

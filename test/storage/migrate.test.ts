import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/storage/db.ts';
import { migrate } from '../../src/storage/migrate.ts';
import { openPglite } from '../../src/storage/pglite.ts';
import { openPostgres } from '../../src/storage/postgres.ts';
import { freshPostgresDatabase, type StoreKind } from '../support/databases.ts';

/** Migrations a line-by-line splitter would cut wrongly: `$$` bodies with `;` inside, `--` in a string. */
const FIRST = `-- a comment; with a semicolon
CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL);
INSERT INTO notes (body) VALUES ('keep -- this; it is data');
INSERT INTO notes (body) VALUES ('two;
lines -- still data');

CREATE FUNCTION shout(t text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  -- a comment inside the body; with a semicolon
  RETURN upper(t) || '!';
END;
$$;
`;
const SECOND = `DO $$
DECLARE n int;
BEGIN
  SELECT count(*) INTO n FROM notes;
  IF n = 2 THEN
    INSERT INTO notes (body) VALUES (shout('done; ok'));
  END IF;
END
$$;
CREATE TABLE tagged (body text NOT NULL DEFAULT $tag$it's -- not a comment; really$tag$);
INSERT INTO tagged DEFAULT VALUES;
`;
/** A failing statement after good ones: the whole file must roll back, its version unrecorded. */
const BROKEN = `CREATE TABLE half (id int);
INSERT INTO notes (body) VALUES ('from the broken file');
SELECT 1/0;
`;

async function open(kind: StoreKind): Promise<{ db: Db; close: () => Promise<void> }> {
  if (kind === 'pglite') {
    const db = await openPglite(null);
    return { db, close: () => db.close() };
  }
  const fresh = await freshPostgresDatabase();
  const db = await openPostgres(fresh.url);
  return {
    db,
    async close() {
      await db.close();
      await fresh.drop();
    },
  };
}

describe.each<StoreKind>(['pglite', 'postgres'])('migrations run whole, as one script, on %s', (kind) => {
  let db: Db;
  let close: () => Promise<void>;
  let dir: string;
  beforeAll(async () => {
    ({ db, close } = await open(kind));
    dir = mkdtempSync(join(tmpdir(), 'mamori-migrations-'));
    writeFileSync(join(dir, '0001_first.sql'), FIRST);
    writeFileSync(join(dir, '0002_second.sql'), SECOND);
  });
  afterAll(async () => {
    await close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies files with a function body, a DO block and -- inside strings, up to a version', async () => {
    expect(await migrate(db, { dir, until: '0001_first' })).toEqual(['0001_first']);
    expect(await migrate(db, { dir })).toEqual(['0002_second']);
    const notes = await db.query<{ body: string }>('SELECT body FROM notes ORDER BY id');
    expect(notes.map((n) => n.body)).toEqual([
      'keep -- this; it is data',
      'two;\nlines -- still data',
      'DONE; OK!',
    ]);
    expect(await db.query('SELECT body FROM tagged')).toEqual([{ body: "it's -- not a comment; really" }]);
    const [{ s }] = (await db.query<{ s: string }>(`SELECT shout('a;b') AS s`)) as [{ s: string }];
    expect(s).toBe('A;B!');
    expect(await migrate(db, { dir })).toEqual([]);
  });

  it('rolls a failing file back entirely and records no version for it', async () => {
    writeFileSync(join(dir, '0003_broken.sql'), BROKEN);
    await expect(migrate(db, { dir })).rejects.toThrow(/division by zero/);
    expect(await db.query(`SELECT 1 FROM notes WHERE body = 'from the broken file'`)).toEqual([]);
    expect(await db.query(`SELECT to_regclass('half') AS t`)).toEqual([{ t: null }]);
    const versions = await db.query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY 1');
    expect(versions.map((v) => v.version)).toEqual(['0001_first', '0002_second']);
  });
});

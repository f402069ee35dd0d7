import { describe, expect, it } from 'vitest';
import { splitStatements } from './migrate.ts';

describe('splitStatements', () => {
  it('cuts at line-ending semicolons, also before a trailing comment', () => {
    const sql = `-- header; with a semicolon\nALTER TABLE a ADD COLUMN b text;   -- note; here\nCREATE TABLE c (\n  d text -- inline\n);\n`;
    expect(splitStatements(sql)).toEqual([
      'ALTER TABLE a ADD COLUMN b text',
      'CREATE TABLE c (\n  d text\n)',
    ]);
  });
});

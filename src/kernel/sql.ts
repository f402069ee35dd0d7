/** The storage port every capability store talks to: plain parameterised SQL, one dialect (PostgreSQL). */
export interface Sql {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /**
   * Runs `text` as one script of any number of statements, without parameters and without result rows
   * (PGlite `exec`, PostgreSQL's simple-query protocol). `$$` bodies, `DO` blocks and `--` inside string
   * literals are parsed by the server, not by us. Used by migrations; statements stop at the first error.
   */
  script(text: string): Promise<void>;
}

export interface Db extends Sql {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction; commits if it resolves, rolls back if it throws. */
  tx<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** Connections of the PostgreSQL pool (`/metrics`); absent on the embedded store, which has none. */
  poolStats?(): { total: number; idle: number; waiting: number };
}

/** First row or undefined. */
export async function one<T>(sql: Sql, text: string, params?: unknown[]): Promise<T | undefined> {
  const rows = await sql.query<T>(text, params);
  return rows[0];
}

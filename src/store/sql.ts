/**
 * What the SQL both engines share runs on. Statements are written once, with PostgreSQL's
 * numbered placeholders (`$1`): SQLite reads `$1` as a parameter named "1", and its runner
 * binds the values by those names. Where the two dialects do differ, the statement takes the
 * fragment from the engine's `SqlDialect`.
 */
export interface SqlRunner {
  /** The rows a statement returns. */
  rows<Row>(sql: string, values?: unknown[]): Promise<Row[]>;
  /** How many rows a statement changed. */
  changes(sql: string, values?: unknown[]): Promise<number>;
}

export interface SqlDialect {
  /**
   * The database server's clock in epoch milliseconds. updated_at is for people reading the
   * database, not for any decision, so it takes the wall clock rather than the injected `now`
   * that only some calls carry.
   */
  wallClockMs: string;
  /** A collation that orders text by code point, the same on every machine. */
  codePointOrder: string;
}

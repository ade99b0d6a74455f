/**
 * A store's schema is a list of ordered steps. A database records how many it has applied; a
 * step, once released, never changes: a change of schema is a new step at the end.
 */
export interface Migration {
  name: string;
  sql: string;
}

/** Refuses a database that a newer credo-notify migrated: its schema may mean other things. */
export function assertKnownSchema(applied: number, known: readonly Migration[]): void {
  if (applied > known.length) {
    throw new Error(
      `the database has schema version ${applied}, newer than this credo-notify knows ` +
        `(${known.length}): upgrade credo-notify or use another database`,
    );
  }
}

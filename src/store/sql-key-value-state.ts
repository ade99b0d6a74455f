import type { SqlDialect, SqlRunner } from './sql.js';
import type { KeyValueState } from './store.js';

export function sqlKeyValueState(sql: SqlRunner, dialect: SqlDialect): KeyValueState {
  return {
    async kvGet(namespace, key, now) {
      const [row] = await sql.rows<{ value: string }>(
        `SELECT value FROM kv WHERE namespace = $1 AND key = $2 AND (expires_at IS NULL OR expires_at > $3)`,
        [namespace, key, now],
      );
      return row?.value;
    },

    async kvSet(namespace, key, value, expiresAt) {
      await sql.changes(
        `INSERT INTO kv (namespace, key, value, expires_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`,
        [namespace, key, value, expiresAt],
      );
    },

    async kvList(namespace, now) {
      return sql.rows<{ key: string; value: string }>(
        `SELECT key, value FROM kv WHERE namespace = $1 AND (expires_at IS NULL OR expires_at > $2)
         ORDER BY key ${dialect.codePointOrder}`,
        [namespace, now],
      );
    },
  };
}

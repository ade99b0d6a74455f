import type { Pool, PoolClient } from 'pg';

/**
 * Runs `work` in one transaction on one connection of the pool: committed if it resolves,
 * rolled back if it throws. A connection whose rollback fails too is broken: it is discarded
 * rather than handed to the next caller.
 */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {
      broken = true;
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

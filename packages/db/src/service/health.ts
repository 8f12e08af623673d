// The bot-manager's readiness probe of its query pool: the cheapest round trip that proves the database answers.
import type { Sql } from 'postgres';

/** One `select 1` on any pool connection (opening one if none is open): resolves when the database answered. */
export async function pingDatabase(db: Sql): Promise<void> {
  await db`select 1`;
}

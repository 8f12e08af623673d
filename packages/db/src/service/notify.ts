// NOTIFY from the platform's side. The BotManager's listener sends itself probes on its own LISTEN connection to
// detect a connection that silently stopped delivering (the payload schemas live with the listener's contract).
import type { Sql, TransactionSql } from 'postgres';

type Conn = Sql | TransactionSql;

/** pg_notify on `channel` with a text payload (delivered at commit; immediately outside a transaction). */
export async function notifyChannel(db: Conn, channel: string, payload: string): Promise<void> {
  await db`select pg_notify(${channel}, ${payload})`;
}

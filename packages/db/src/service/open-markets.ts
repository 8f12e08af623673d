// The markets some user still holds an open position in (any user, any mode): what the manager's market watcher must
// keep checking for a resolution — also after a restart, whatever it saw before — until they are settled.
import { POSITION_DUST, VenueIdSchema, type VenueId } from '@polybot/schemas';
import type { Sql, TransactionSql } from 'postgres';
import { z } from 'zod';

type Conn = Sql | TransactionSql;

const Row = z.object({ platform: VenueIdSchema, market_id: z.string() });

export async function listOpenPositionMarkets(db: Conn): Promise<Array<{ platform: VenueId; marketId: string }>> {
  const rows = await db`
    select distinct platform, market_id from public.polybot_positions
     where status = 'open' and size > ${POSITION_DUST}`;
  return rows.map((r) => {
    const row = Row.parse(r);
    return { platform: row.platform, marketId: row.market_id };
  });
}

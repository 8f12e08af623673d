// Marks: the price each open position is valued at between resolutions (the mark rule, @polybot/schemas pnl.ts:
// best bid; no bid → the last stored mark; none → average entry price). The manager writes the best bids it sees
// periodically; a position whose book has no bid keeps its last mark.
import { POSITION_DUST, VenueIdSchema, type VenueId } from '@polybot/schemas';
import type { Sql, TransactionSql } from 'postgres';
import { z } from 'zod';

type Conn = Sql | TransactionSql;

export interface Mark {
  platform: VenueId;
  instrumentId: string;
  /** Best bid, dollars per contract (0..1). */
  markPrice: number;
}

/**
 * Sets mark_price on every open position in these instruments, for every user, in ONE statement (unnest of three
 * arrays; no per-row round trip). Rows whose mark is already that price are left alone. Returns the rows changed.
 */
export async function writeMarks(db: Conn, marks: readonly Mark[]): Promise<number> {
  const valid = marks.filter((m) => Number.isFinite(m.markPrice) && m.markPrice >= 0 && m.markPrice <= 1);
  if (valid.length === 0) return 0;
  const result = await db`
    update public.polybot_positions p set mark_price = m.mark
      from unnest(${valid.map((m) => m.platform)}::text[], ${valid.map((m) => m.instrumentId)}::text[],
                  ${valid.map((m) => Math.round(m.markPrice * 1e6) / 1e6)}::numeric[]) as m (platform, instrument_id, mark)
     where p.platform = m.platform and p.instrument_id = m.instrument_id and p.status = 'open'
       and p.mark_price is distinct from m.mark`;
  return result.count;
}

const OpenInstrumentSchema = z.object({ platform: VenueIdSchema, instrument_id: z.string() });

/** The instruments someone holds an open position in (what the mark writer needs books for). */
export async function listOpenPositionInstruments(db: Conn): Promise<{ platform: VenueId; instrumentId: string }[]> {
  const rows = await db`
    select distinct platform, instrument_id from public.polybot_positions
     where status = 'open' and size > ${POSITION_DUST}`;
  return rows.map((r) => {
    const o = OpenInstrumentSchema.parse(r);
    return { platform: o.platform, instrumentId: o.instrument_id };
  });
}

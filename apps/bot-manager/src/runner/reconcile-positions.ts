// The last step of reconciliation (docs/ARCHITECTURE.md §8a.4): once this runner's unresolved order intents are
// resolved, what each live venue holds is compared with what the database booked. Our own fills are booked once by
// then (intents), so a difference is a trade PolyBot did not make — by hand on the same account, or from another
// client. It is reported (log line and the status's last error, in words), never booked: PolyBot does not know its
// price, and it does not manage positions it did not open.
import { POSITION_DUST, type VenueId } from '@polybot/schemas';
import type { Position } from '@polybot/venues';
import type { Logger } from 'pino';
import { coerceError } from '../shared/errors.ts';
import { LivePositionsAnswerSchema } from '../shared/ipc.ts';
import type { DbRpc } from './db-rpc.ts';
import type { TradingRouter } from './trading-router.ts';

export interface PositionDifference {
  venue: VenueId;
  instrumentId: string;
  booked: number;
  atVenue: number;
}

const NAMES: Record<VenueId, string> = { polymarket: 'Polymarket', kalshi: 'Kalshi' };

/** Instruments where the venue and the database disagree by more than the dust, in a stable order. */
export function positionDifferences(
  venue: VenueId,
  booked: ReadonlyArray<{ venue: VenueId; instrumentId: string; size: number }>,
  atVenue: readonly Position[],
): PositionDifference[] {
  const mine = new Map<string, number>();
  for (const b of booked) if (b.venue === venue) mine.set(b.instrumentId, (mine.get(b.instrumentId) ?? 0) + b.size);
  const theirs = new Map<string, number>();
  for (const p of atVenue) theirs.set(p.instrumentId, (theirs.get(p.instrumentId) ?? 0) + p.size);
  const ids = [...new Set([...mine.keys(), ...theirs.keys()])].sort();
  return ids
    .map((id) => ({ venue, instrumentId: id, booked: mine.get(id) ?? 0, atVenue: theirs.get(id) ?? 0 }))
    .filter((d) => Math.abs(d.booked - d.atVenue) > POSITION_DUST);
}

/** The words the status shows: what differs, why it may, and what PolyBot does about it. */
export function differenceWords(d: readonly PositionDifference[]): string {
  const first = d[0];
  if (!first) return '';
  const name = NAMES[first.venue];
  const more = d.length > 1 ? ` (and ${d.length - 1} more)` : '';
  return (
    `Your ${name} account holds ${first.atVenue.toFixed(2)} of ${first.instrumentId.slice(0, 24)} where PolyBot ` +
    `booked ${first.booked.toFixed(2)}${more}: a trade made outside PolyBot on this account? PolyBot manages only ` +
    `what it booked; use a separate account for manual trading.`
  );
}

/** Compares each live venue once; never throws (a venue that cannot be asked is logged and left for a restart). */
export async function checkLivePositions(o: {
  venues: readonly VenueId[];
  router: Pick<TradingRouter, 'liveClient'>;
  db: DbRpc;
  log: Logger;
  /**
   * Only markets still listed are compared: a resolved market's tokens stay in a Polymarket wallet until redeemed,
   * while the database has settled the position.
   */
  listed: (instrumentId: string) => boolean;
}): Promise<PositionDifference[]> {
  if (o.venues.length === 0) return [];
  try {
    const booked = LivePositionsAnswerSchema.parse(await o.db.call({ op: 'livePositions' }));
    const out: PositionDifference[] = [];
    for (const venue of o.venues) {
      const atVenue = await (await o.router.liveClient(venue)).positions();
      out.push(...positionDifferences(venue, booked, atVenue).filter((d) => o.listed(d.instrumentId)));
    }
    if (out.length > 0)
      o.log.warn({ differences: out.slice(0, 20) }, 'live positions differ from the venue: not booked by PolyBot');
    else o.log.info({ venues: o.venues }, 'live positions match the venues');
    return out;
  } catch (e) {
    o.log.warn({ err: coerceError(e).message }, 'live positions could not be compared with the venues');
    return [];
  }
}

/**
 * Once per runner, when `ready` (no decision in flight, every order intent resolved: our own fills are all booked),
 * the live venues are compared; decisions wait meanwhile (`holding`), and `done` gets the differences.
 */
export class LivePositionCheck {
  private state: 'pending' | 'running' | 'done' = 'pending';

  constructor(
    private readonly o: Omit<Parameters<typeof checkLivePositions>[0], 'venues'> & {
      venues: () => VenueId[];
      ready: () => boolean;
      done: (differences: PositionDifference[]) => void;
    },
  ) {}

  get holding(): boolean {
    return this.state === 'running';
  }

  /** Starts the check if it is time; true while decisions must wait. */
  poll(): boolean {
    if (this.state !== 'pending') return this.holding;
    const venues = this.o.venues();
    if (venues.length === 0 || !this.o.ready()) return false;
    this.state = 'running';
    void checkLivePositions({ ...this.o, venues }).then((differences) => {
      this.state = 'done';
      this.o.done(differences);
    });
    return true;
  }
}

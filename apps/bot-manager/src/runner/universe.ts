// The instruments a runner may trade, and which of them closed. The manager sends the universe in init and then its
// changes (`instruments` messages: listings, closes, resolutions). A removed instrument is closed at once, when the
// message arrives — even mid-decision — so the order path refuses it from then on; the rest of the change (dropping
// books, adding instruments and fees, rebuilding baskets and rules) waits for the runner's safe point.
import type { FeeSchedule, Instrument } from '@polybot/schemas';
import type { InstrumentsMessage } from '../shared/ipc.ts';

export class Universe {
  /** Mutated in place: the strategies' snapshot and the order path hold this same map. */
  readonly instruments: Map<string, Instrument>;
  /** Mutated in place: paper trading prices fills with it. */
  readonly fees: Record<string, FeeSchedule>;
  private readonly closed = new Set<string>();
  private readonly pending: InstrumentsMessage[] = [];

  constructor(instruments: readonly Instrument[], fees: Readonly<Record<string, FeeSchedule>>) {
    this.instruments = new Map(instruments.map((i) => [i.instrumentId, i]));
    this.fees = { ...fees };
  }

  /** A change arrived: its removals are closed now; the rest is applied by `applyPending` at the safe point. */
  receive(msg: InstrumentsMessage): void {
    for (const id of msg.removed) this.closed.add(id);
    for (const i of msg.added) this.closed.delete(i.instrumentId);
    this.pending.push(msg);
  }

  get hasPending(): boolean {
    return this.pending.length > 0;
  }

  /** Applies the changes received so far, in order; returns the instruments removed (their books must go). */
  applyPending(): { added: number; removed: string[] } {
    const removed: string[] = [];
    let added = 0;
    for (const msg of this.pending.splice(0)) {
      for (const id of msg.removed) {
        if (this.instruments.delete(id)) removed.push(id);
        delete this.fees[id];
      }
      for (const i of msg.added) {
        this.instruments.set(i.instrumentId, i);
        added++;
      }
      Object.assign(this.fees, msg.fees);
    }
    return { added, removed };
  }

  /** Closed since the init (removed by the manager): its books are of no use any more. */
  isClosed(instrumentId: string): boolean {
    return this.closed.has(instrumentId);
  }

  /** Whether an order on this instrument may go out: listed, active, not closed since. */
  tradeable(instrumentId: string): boolean {
    if (this.closed.has(instrumentId)) return false;
    return this.instruments.get(instrumentId)?.active === true;
  }

  /** The first leg of `o` that may not be ordered, or null when every leg may. */
  closedLeg(o: { legs: ReadonlyArray<{ instrumentId: string }> }): string | null {
    return o.legs.find((l) => !this.tradeable(l.instrumentId))?.instrumentId ?? null;
  }
}

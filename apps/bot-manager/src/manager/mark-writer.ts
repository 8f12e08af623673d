// The periodic mark writer: keeps polybot_positions.mark_price at the best bid of each instrument someone holds, from
// the manager's own market-data hubs (public books, one venue subscription per instrument however many consumers),
// so the dashboard and positions page value open positions by the mark rule (@polybot/schemas pnl.ts) without
// asking a venue. One read (which instruments are held) and one set-based write (writeMarks) per tick, whatever the
// number of users. A book with no bid writes nothing: the position keeps its last mark.
import { listOpenPositionInstruments, writeMarks, type Mark } from '@polybot/db/service';
import type { VenueId } from '@polybot/schemas';
import type { BookUpdate, HubConsumer } from '@polybot/venues';
import type { Logger } from 'pino';
import type { Sql } from 'postgres';
import { coerceError } from '../shared/errors.ts';

/** What the writer needs of the manager's MarketFeed. */
export interface BookSource {
  subscribe(onUpdate: (u: BookUpdate) => void, initial?: readonly string[]): HubConsumer;
}

export interface MarkWriterOptions {
  /** How often marks are written, default 5000 ms. */
  intervalMs: number;
  log: Logger;
}

export class MarkWriter {
  private readonly bids = new Map<string, number | null>();
  private readonly held = new Map<string, VenueId>();
  private consumer: HubConsumer | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly sql: Sql,
    private readonly books: BookSource,
    private readonly o: MarkWriterOptions,
  ) {}

  start(): void {
    this.consumer = this.books.subscribe((u) => {
      if (this.held.has(u.book.instrumentId)) this.bids.set(u.book.instrumentId, u.book.bids[0]?.price ?? null);
    }, []);
    this.timer = setInterval(() => void this.tick(), this.o.intervalMs);
  }

  /** One pass (never two at once): follow the held instruments' books, write the marks known. */
  tick(): Promise<void> {
    this.running ??= this.pass()
      .catch((e: unknown) => this.o.log.warn({ err: coerceError(e).message }, 'mark write failed'))
      .finally(() => (this.running = null));
    return this.running;
  }

  private async pass(): Promise<void> {
    const open = await listOpenPositionInstruments(this.sql);
    const now = new Map(open.map((i) => [i.instrumentId, i.platform]));
    const gone = [...this.held.keys()].filter((id) => !now.has(id));
    const added = [...now.keys()].filter((id) => !this.held.has(id));
    for (const id of gone) {
      this.held.delete(id);
      this.bids.delete(id);
    }
    for (const id of added) this.held.set(id, now.get(id) as VenueId);
    if (gone.length > 0) this.consumer?.remove(gone);
    if (added.length > 0) this.consumer?.add(added);
    const marks: Mark[] = [];
    for (const [instrumentId, platform] of this.held) {
      const bid = this.bids.get(instrumentId);
      if (bid !== undefined && bid !== null) marks.push({ platform, instrumentId, markPrice: bid });
    }
    if (marks.length > 0) await writeMarks(this.sql, marks);
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.consumer?.close();
    this.consumer = null;
    await this.running;
  }
}

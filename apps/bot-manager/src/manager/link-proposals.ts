// The periodic link matcher: matches the manager's current market universe across venues (proposeLinks, pure) and
// stores what it finds as proposals for an admin to review (status 'proposed': nothing trades on them). The universe is
// read from the feed on every run, so markets listed after start are matched too; a run that would see exactly what the
// last successful run saw (same markets, same reviewed links) is skipped: matching a large universe costs the event
// loop about a second (docs/PERFORMANCE.md).
// Several managers may run it at once: upsertMarketLinkProposals is idempotent, and a reviewed link — above all a
// rejected one — is never proposed or overwritten again (listSettledMarketLinks feeds the matcher's `existing`).
import { createHash } from 'node:crypto';
import { asManager, listSettledMarketLinks, upsertMarketLinkProposals } from '@polybot/db/service';
import type { Instrument, MarketLinkProposal } from '@polybot/schemas';
import { proposeLinks, type MatcherOptions } from '@polybot/strategies';
import type { Logger } from 'pino';
import type { Sql } from 'postgres';
import { coerceError } from '../shared/errors.ts';

export interface LinkProposerOptions {
  sql: Sql;
  /** Where the current universe lives (the MarketFeed): read on every run. */
  universe: { readonly instruments: readonly Instrument[] };
  log: Logger;
  /** Time between runs; the first runs at start. */
  intervalMs: number;
  /** Matcher thresholds (defaults: proposeLinks'). */
  matcher?: Omit<MatcherOptions, 'existing'>;
}

/** What one run did; `skipped` when the universe had not changed since the last successful run. */
export interface LinkProposalRun {
  skipped: boolean;
  candidates: number;
  inserted: number;
  refreshed: number;
}

export class LinkProposer {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<LinkProposalRun> | null = null;
  /** What the last successful run matched (universe and settled links), hashed. */
  private matchedKey: string | null = null;
  private stopped = false;

  constructor(private readonly o: LinkProposerOptions) {}

  start(): void {
    this.timer = setInterval(() => void this.runOnce(), this.o.intervalMs);
    void this.runOnce();
  }

  /** One run now (or the one already in progress). Never throws: a failed run is logged and retried next time. */
  runOnce(): Promise<LinkProposalRun> {
    this.running ??= this.run()
      .catch((e: unknown) => {
        this.o.log.warn({ err: coerceError(e).message }, 'link matcher run failed; retrying on the next run');
        return { skipped: false, candidates: 0, inserted: 0, refreshed: 0 };
      })
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  private async run(): Promise<LinkProposalRun> {
    const instruments = this.o.universe.instruments.filter((i) => i.active && i.side === 'yes');
    if (this.stopped) return { skipped: true, candidates: 0, inserted: 0, refreshed: 0 };
    const existing = await asManager(this.o.sql, (tx) => listSettledMarketLinks(tx));
    // What the matcher's answer depends on: the markets (id, title, close) and the links it must leave alone (a
    // rejection may let the next-best candidate of a market through).
    const key = createHash('sha256')
      .update(
        instruments
          .map((i) => `${i.venue}:${i.marketId}:${i.title}:${i.closeTime ?? ''}`)
          .sort()
          .join('\n'),
      )
      .update(existing.map((l) => `${l.id}:${l.approved}`).join(','))
      .digest('hex');
    if (key === this.matchedKey) return { skipped: true, candidates: 0, inserted: 0, refreshed: 0 };
    const byVenue = (v: Instrument['venue']) => instruments.filter((i) => i.venue === v);
    const candidates = proposeLinks(byVenue('polymarket'), byVenue('kalshi'), { ...this.o.matcher, existing });
    const titleOf = new Map(instruments.map((i) => [`${i.venue}:${i.marketId}`, i.title]));
    const proposals: MarketLinkProposal[] = candidates.map((c) => ({
      relation: c.relation,
      aVenue: c.aVenue,
      aMarketId: c.aMarketId,
      aTitle: titleOf.get(`${c.aVenue}:${c.aMarketId}`) ?? null,
      bVenue: c.bVenue,
      bMarketId: c.bMarketId,
      bTitle: titleOf.get(`${c.bVenue}:${c.bMarketId}`) ?? null,
      score: c.score,
      reasons: c.reasons,
    }));
    const written = await asManager(this.o.sql, (tx) => upsertMarketLinkProposals(tx, proposals));
    this.matchedKey = key;
    if (written.inserted > 0 || written.refreshed > 0)
      this.o.log.info(
        { candidates: candidates.length, ...written },
        'link matcher: proposals for admin review (approve or reject with admin_review_market_link)',
      );
    return { skipped: false, candidates: candidates.length, ...written };
  }

  /** No more runs; waits for one in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}

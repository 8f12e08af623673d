// Live reconciliation of settled Kalshi positions, in the runner because only it holds the user's key: the venue's
// settlements (GET /portfolio/settlements, the user's own signed read) are looked up for each settled market and what
// the venue paid is recorded beside our settlement rows (the manager's recordVenueSettlement, bound to this user).
// The venue pays when a market is finalized, which may come after the watcher saw it determined: a market without a
// venue settlement yet is asked again with backoff, a bounded number of times. Paper positions have nothing to reconcile.
import type { Logger } from 'pino';
import { coerceError } from '../shared/errors.ts';
import type { RunnerKey, VenueUrls } from '../shared/ipc.ts';
import type { DbRpc } from './db-rpc.ts';

/** About five hours of asking (Kalshi pays at finalization, which can be hours after the outcome is determined). */
const ATTEMPTS = 40;
const FIRST_DELAY_MS = 1000;
const MAX_DELAY_MS = 10 * 60_000;

export class KalshiReconciler {
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly key: RunnerKey | undefined,
    private readonly urls: VenueUrls,
    private readonly db: DbRpc,
    private readonly log: Logger,
  ) {}

  reconcile(tickers: readonly string[]): void {
    if (!this.key?.apiKey || !this.key.privateKey || !this.urls.kalshiApi) {
      this.log.warn(
        { tickers },
        'live Kalshi positions settled but this runner has no live Kalshi key to reconcile with',
      );
      return;
    }
    for (const t of tickers) this.attempt(t, 0);
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private attempt(ticker: string, n: number): void {
    void this.once(ticker).then(
      (done) => {
        if (!done) this.retry(ticker, n, 'the venue has not paid it yet');
      },
      (e: unknown) => this.retry(ticker, n, coerceError(e).message),
    );
  }

  private retry(ticker: string, n: number, why: string): void {
    if (this.stopped) return;
    if (n + 1 >= ATTEMPTS) {
      this.log.warn({ ticker, why }, 'Kalshi settlement not reconciled: gave up');
      return;
    }
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        this.attempt(ticker, n + 1);
      },
      Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** n),
    );
    this.timers.add(timer);
  }

  /** True once the venue's settlement of `ticker` is recorded. */
  private async once(ticker: string): Promise<boolean> {
    const key = this.key;
    if (!key?.apiKey || !key.privateKey || !this.urls.kalshiApi || this.stopped) return true;
    const { KalshiClient, kalshiSettlements } = await import('@polybot/venues');
    const client = new KalshiClient({
      basePath: this.urls.kalshiApi,
      credentials: { keyId: key.apiKey, privateKeyPem: key.privateKey },
    });
    const mine = (await kalshiSettlements(client, ticker)).filter((s) => s.ticker === ticker);
    if (mine.length === 0) return false;
    const venuePayoutUsd = Math.round(mine.reduce((sum, s) => sum + s.revenueUsd, 0) * 100) / 100;
    const venueReference = `${ticker}@${mine.map((s) => s.settledTime).sort()[0] ?? ''}`;
    await this.db.call({
      op: 'recordVenueSettlement',
      platform: 'kalshi',
      marketId: ticker,
      venuePayoutUsd,
      venueReference,
    });
    this.log.info({ ticker, venuePayoutUsd }, 'Kalshi settlement reconciled with the venue');
    return true;
  }
}

// Routes every leg to the Trading of its venue: paper accounts for both venues (fills against the hub's books), or
// the venue adapters with this user's own validated live keys. In live mode an opportunity with a leg on a venue the
// user holds no validated live key for is not executed at all: half live, half paper would be no arbitrage.
import type { FeeSchedule, Opportunity, OrderBook, VenueId } from '@polybot/schemas';
import type { Trading } from '@polybot/venues';
import type { RunnerKey, VenueUrls } from '../shared/ipc.ts';
import { createLiveKalshiTrading, createLiveTrading, createPaperTrading } from './execution.ts';
import { createDemoKalshiTrading, demoKalshiKey } from './kalshi-demo.ts';
import type { KeyRejectedReporter } from './key-rejected.ts';

export type Route = { ok: true; tradingFor: (venue: VenueId) => Trading } | { ok: false; reason: string };

const liveKey = (keys: readonly RunnerKey[], venue: VenueId): RunnerKey | undefined =>
  keys.find((k) => k.platform === venue && !k.isPaper && k.validationStatus === 'valid' && k.privateKey !== null);

export class TradingRouter {
  private readonly paper: Record<VenueId, Trading>;
  private readonly live = new Map<VenueId, Promise<Trading>>();
  /** Kalshi's demo exchange with the user's paper key (kalshi-demo.ts), created at the first paper Kalshi leg. */
  private demo: Promise<Trading> | null = null;

  constructor(
    books: ReadonlyMap<string, OrderBook>,
    fees: Readonly<Record<string, FeeSchedule>>,
    private readonly keys: readonly RunnerKey[],
    private readonly urls: VenueUrls,
    /** Auth failures of the user's own keys go to the manager (key-rejected.ts); absent in unit tests. */
    private readonly keyRejected?: KeyRejectedReporter,
  ) {
    this.paper = {
      polymarket: createPaperTrading('polymarket', books, fees),
      kalshi: createPaperTrading('kalshi', books, fees),
    };
  }

  /** Whether this opportunity can go out in this mode, without creating anything yet. */
  check(mode: 'paper' | 'live', opportunity: Opportunity): { ok: true } | { ok: false; reason: string } {
    if (mode === 'paper') return { ok: true };
    for (const venue of new Set(opportunity.legs.map((l) => l.venue))) {
      if (!liveKey(this.keys, venue))
        return { ok: false, reason: `live mode: no validated live ${venue} key for the ${venue} leg` };
    }
    return { ok: true };
  }

  async route(mode: 'paper' | 'live', opportunity: Opportunity): Promise<Route> {
    const c = this.check(mode, opportunity);
    if (!c.ok) return c;
    if (mode === 'paper') {
      const demo = opportunity.legs.some((l) => l.venue === 'kalshi') ? await this.demoKalshi() : null;
      return { ok: true, tradingFor: (v) => (v === 'kalshi' && demo ? demo : this.paper[v]) };
    }
    const clients = new Map<VenueId, Trading>();
    for (const venue of new Set(opportunity.legs.map((l) => l.venue))) clients.set(venue, await this.liveFor(venue));
    return {
      ok: true,
      tradingFor: (v) => {
        const t = clients.get(v);
        if (!t) throw new Error(`no live ${v} client`);
        return t;
      },
    };
  }

  /**
   * This user's live client for one venue (connected once, shared with the order path; rejects without a live key):
   * reconciliation asks the venue with it, and it is the dead-man switch's way in.
   */
  liveClient(venue: VenueId): Promise<Trading> {
    return this.liveFor(venue);
  }

  private liveFor(venue: VenueId): Promise<Trading> {
    let p = this.live.get(venue);
    if (!p) {
      const key = liveKey(this.keys, venue);
      if (!key) return Promise.reject(new Error(`no validated live ${venue} key`));
      p = this.watched(
        venue,
        venue === 'polymarket' ? createLiveTrading(key, this.urls) : createLiveKalshiTrading(key, this.urls),
      );
      // A failed connect is retried on the next opportunity rather than cached.
      p.catch(() => this.live.delete(venue));
      this.live.set(venue, p);
    }
    return p;
  }

  /** The demo-exchange Kalshi client, or null when Kalshi paper is local (no paper key or no demo URL). */
  private async demoKalshi(): Promise<Trading | null> {
    const key = demoKalshiKey(this.keys, this.urls);
    if (!key) return null;
    if (!this.demo) {
      const p = this.watched('kalshi', createDemoKalshiTrading(key, this.urls));
      p.catch(() => (this.demo = null));
      this.demo = p;
    }
    return this.demo;
  }

  /** A venue client whose auth failures are reported (connect and every call). */
  private watched(venue: VenueId, connect: Promise<Trading>): Promise<Trading> {
    const r = this.keyRejected;
    return r ? r.watch(venue, connect).then((t) => r.wrap(venue, t)) : connect;
  }
}

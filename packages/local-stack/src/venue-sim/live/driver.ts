// The live scenario's clock work: one step per LIVE.TICK_MS of scenario time, each drawing from one seeded generator
// in a fixed order, so the same seed gives the same sequence of events however the clock is advanced. A step runs
// the lifecycle (propose/resolve/list on Polymarket, close/determine/settle/list on Kalshi, replacing every resolved
// market), closes and opens opportunity windows, random-walks fair prices and redraws the books, and makes followed
// wallets trade. Every notable step is logged (`events`) for tests and `/_sim/stats`.
import type { KalshiSim } from '../kalshi/index.ts';
import type { PolymarketSim } from '../polymarket/index.ts';
import { seededRandom } from '../seeded-random.ts';
import { KalshiQuote, PolymarketQuote } from './books.ts';
import { LIVE, type LiveConfig } from './config.ts';
import {
  clamp,
  drawKalshi,
  drawLinked,
  drawPm,
  walk,
  type KalshiEvent,
  type Linked,
  type LiveStrategy,
  type PmMarket,
} from './markets.ts';
import { initialKalshiEnd, initialPolymarketEnd, pick, rotatingKalshi, rotatingPolymarket } from './generate.ts';

export type { LiveStrategy };

export type LiveEvent =
  | { t: number; type: 'list'; venue: 'polymarket' | 'kalshi'; id: string }
  | { t: number; type: 'halt'; venue: 'polymarket' | 'kalshi'; id: string }
  | { t: number; type: 'resolve'; venue: 'polymarket' | 'kalshi'; id: string; outcome: string }
  | { t: number; type: 'open'; strategy: LiveStrategy; venue: string; ids: string[]; edgeCents: number }
  | { t: number; type: 'close'; strategy: LiveStrategy; ids: string[] }
  | { t: number; type: 'wallet'; wallet: string; tokenId: string; price: number; size: number };

const MAX_EVENTS = 20_000;

export class LiveDriver {
  readonly events: LiveEvent[] = [];
  readonly counts: Record<string, number> = {};
  private readonly random: () => number;
  private readonly pm: PmMarket[] = [];
  private readonly kalshi: KalshiEvent[] = [];
  private readonly linked: Linked[] = [];
  private nextPmK = LIVE.PM_CONCURRENT;
  private nextKalshiK = LIVE.KALSHI_CONCURRENT;
  private nextTick = 0;
  bookChanges = 0;

  constructor(
    private readonly config: LiveConfig,
    private readonly startMs: number,
    private readonly poly: PolymarketSim,
    private readonly kalshiSim: KalshiSim,
  ) {
    this.random = seededRandom((config.seed ^ 0x11fe5eed) >>> 0);
    for (let i = 0; i < LIVE.PM_CONCURRENT; i++)
      this.trackPm(rotatingPolymarket(config, i, startMs + initialPolymarketEnd(i)), initialPolymarketEnd(i));
    for (let i = 0; i < LIVE.KALSHI_CONCURRENT; i++)
      this.trackKalshi(rotatingKalshi(config, i, startMs + initialKalshiEnd(i)), initialKalshiEnd(i));
    config.linked.forEach((pair, i) => {
      const l: Linked = {
        pair,
        fair: pair.fair,
        kalshiFair: pair.impliedFair ?? pair.fair,
        yes: new PolymarketQuote(poly, pair.polymarket.yesTokenId, 900 + i),
        no: new PolymarketQuote(poly, pair.polymarket.noTokenId, 950 + i),
        kalshi: new KalshiQuote(kalshiSim, pair.kalshi.ticker, 980 + i),
        window: null,
        resolved: false,
      };
      this.linked.push(l);
      this.bookChanges += drawLinked(l);
    });
    this.advanceTo(startMs);
  }

  /** Runs every step due by `nowMs` (scenario ms since epoch). */
  advanceTo(nowMs: number): void {
    const elapsed = nowMs - this.startMs;
    while (this.nextTick * LIVE.TICK_MS <= elapsed) this.step(this.nextTick++ * LIVE.TICK_MS);
  }

  stats(): Record<string, unknown> {
    return {
      seed: this.config.seed,
      polymarketOpen: this.pm.length,
      kalshiOpenEvents: this.kalshi.length,
      linkedOpen: this.linked.filter((l) => !l.resolved).length,
      bookChanges: this.bookChanges,
      counts: this.counts,
      recent: this.events.slice(-20),
    };
  }

  private log(e: LiveEvent): void {
    const key =
      e.type === 'open' || e.type === 'close'
        ? `${e.type}:${e.strategy}`
        : `${e.type}:${'venue' in e ? e.venue : 'data-api'}`;
    this.counts[key] = (this.counts[key] ?? 0) + 1;
    this.events.push(e);
    if (this.events.length > MAX_EVENTS) this.events.splice(0, MAX_EVENTS / 2);
  }

  private step(t: number): void {
    this.lifecycle(t);
    this.closeWindows(t);
    this.openWindows(t);
    this.bookChanges += walk(this.random, this.pm, this.kalshi, this.linked);
    if (this.chance(LIVE.WALLET_TRADE_EVERY_MS)) this.walletTrade(t);
  }

  private chance(everyMs: number): boolean {
    return this.random() < LIVE.TICK_MS / everyMs;
  }

  // ---- lifecycle -------------------------------------------------------------------------------------------------

  private trackPm(r: ReturnType<typeof rotatingPolymarket>, endMs: number): void {
    const m: PmMarket = {
      k: r.k,
      conditionId: r.conditionId,
      fair: r.fair,
      endMs,
      halted: false,
      yes: new PolymarketQuote(this.poly, r.yesTokenId, r.k * 2),
      no: new PolymarketQuote(this.poly, r.noTokenId, r.k * 2 + 1),
      window: null,
    };
    this.pm.push(m);
    this.bookChanges += drawPm(m);
  }

  private trackKalshi(r: ReturnType<typeof rotatingKalshi>, endMs: number): void {
    const e: KalshiEvent = {
      k: r.k,
      eventTicker: r.event.event_ticker,
      tickers: r.tickers,
      fairs: r.fairs,
      endMs,
      quotes: r.tickers.map((ticker, i) => new KalshiQuote(this.kalshiSim, ticker, 500 + r.k * 4 + i)),
      window: null,
    };
    this.kalshi.push(e);
    this.bookChanges += drawKalshi(e);
  }

  private lifecycle(t: number): void {
    for (const m of [...this.pm]) {
      if (!m.halted && t >= m.endMs - LIVE.PM_PROPOSE_BEFORE_MS) {
        if (m.window) this.closePmWindow(m, t);
        m.halted = true;
        m.yes.clear();
        m.no.clear();
        this.poly.lifecycle.propose(m.conditionId);
        this.log({ t, type: 'halt', venue: 'polymarket', id: m.conditionId });
      }
      if (t >= m.endMs) {
        const outcome = this.random() * 100 < m.fair ? 'Yes' : 'No';
        this.poly.lifecycle.resolve({ conditionId: m.conditionId, winningOutcome: outcome });
        this.log({ t, type: 'resolve', venue: 'polymarket', id: m.conditionId, outcome });
        this.pm.splice(this.pm.indexOf(m), 1);
        const endMs = t + LIVE.PM_LIFETIME_MS;
        const next = rotatingPolymarket(this.config, this.nextPmK++, this.startMs + endMs);
        this.poly.lifecycle.list({ event: next.eventSpec });
        this.log({ t, type: 'list', venue: 'polymarket', id: next.conditionId });
        this.trackPm(next, endMs);
      }
    }
    for (const e of [...this.kalshi]) {
      if (t < e.endMs) continue;
      if (e.window) this.closeKalshiWindow(e, t);
      let roll = this.random() * 100;
      const winner = e.fairs.findIndex((f) => (roll -= f) < 0);
      e.tickers.forEach((ticker, i) =>
        this.kalshiSim.lifecycle.resolve({
          ticker,
          result: i === (winner < 0 ? e.tickers.length - 1 : winner) ? 'yes' : 'no',
          determine_after_ms: LIVE.KALSHI_DETERMINE_AFTER_MS,
          settle_after_ms: LIVE.KALSHI_SETTLE_AFTER_MS,
        }),
      );
      this.log({ t, type: 'resolve', venue: 'kalshi', id: e.eventTicker, outcome: e.tickers[winner] ?? '' });
      this.kalshi.splice(this.kalshi.indexOf(e), 1);
      const endMs = t + LIVE.KALSHI_LIFETIME_MS;
      const next = rotatingKalshi(this.config, this.nextKalshiK++, this.startMs + endMs);
      this.kalshiSim.lifecycle.list({ event: next.event });
      this.log({ t, type: 'list', venue: 'kalshi', id: next.event.event_ticker });
      this.trackKalshi(next, endMs);
    }
    for (const l of this.linked) {
      if (l.resolved || t < this.config.linkedLifetimeMs) continue;
      l.resolved = true;
      l.window = null;
      const aYes = this.random() * 100 < l.fair;
      // Equivalent markets resolve alike; an implied market resolves YES whenever its antecedent does.
      const bYes = l.pair.relation === 'equivalent' ? aYes : aYes || this.random() * 100 < l.kalshiFair;
      l.yes.clear();
      l.no.clear();
      this.poly.lifecycle.resolve({ conditionId: l.pair.polymarket.conditionId, winningOutcome: aYes ? 'Yes' : 'No' });
      this.kalshiSim.lifecycle.resolve({
        ticker: l.pair.kalshi.ticker,
        result: bYes ? 'yes' : 'no',
        determine_after_ms: LIVE.KALSHI_DETERMINE_AFTER_MS,
        settle_after_ms: LIVE.KALSHI_SETTLE_AFTER_MS,
      });
      this.log({
        t,
        type: 'resolve',
        venue: 'polymarket',
        id: l.pair.polymarket.conditionId,
        outcome: aYes ? 'Yes' : 'No',
      });
      this.log({ t, type: 'resolve', venue: 'kalshi', id: l.pair.kalshi.ticker, outcome: bYes ? 'yes' : 'no' });
    }
  }

  // ---- opportunity windows -----------------------------------------------------------------------------------------

  private windowLength(): number {
    const [lo, hi] = LIVE.WINDOW_MS;
    return lo + Math.floor(this.random() * (hi - lo));
  }

  /** Markets whose remaining trading time suits a window (positions taken resolve within a few minutes). */
  private eligible(endMs: number, t: number): boolean {
    const left = endMs - t;
    return left >= LIVE.WINDOW_REMAINING_MS[0] && left <= LIVE.WINDOW_REMAINING_MS[1];
  }

  private openWindows(t: number): void {
    // The first window of each kind opens early, so a bot started with the stack trades within its first minute.
    const first = (atMs: number): boolean => t === atMs;
    if (first(2_000) || this.chance(LIVE.PM_SINGLE_EVERY_MS)) this.openPmWindow(t);
    if (first(5_000) || this.chance(LIVE.KALSHI_SINGLE_EVERY_MS)) this.openKalshiWindow(t);
    if (first(10_000) || this.chance(LIVE.CROSS_EVERY_MS)) this.openLinkedWindow(t, 'cross_platform');
    if (first(20_000) || this.chance(LIVE.OVERLAP_EVERY_MS)) this.openLinkedWindow(t, 'overlapping');
  }

  private openPmWindow(t: number): void {
    const candidates = this.pm.filter((m) => !m.halted && m.window === null && this.eligible(m.endMs, t));
    if (candidates.length === 0) return;
    const m = pick(this.random, candidates);
    // YES ask + NO ask = 102 − discount cents: 4..7 → a 2–5 % complete-set arbitrage (no fee on these markets).
    const discount = 4 + Math.floor(this.random() * 4);
    m.window = {
      side: this.random() < 0.5 ? 'yes' : 'no',
      discount,
      size: 40 + Math.floor(this.random() * 110),
      untilMs: t + this.windowLength(),
    };
    this.bookChanges += drawPm(m);
    this.log({
      t,
      type: 'open',
      strategy: 'single_platform',
      venue: 'polymarket',
      ids: [m.conditionId],
      edgeCents: discount - 2,
    });
  }

  private closePmWindow(m: PmMarket, t: number): void {
    m.window = null;
    this.bookChanges += drawPm(m);
    this.log({ t, type: 'close', strategy: 'single_platform', ids: [m.conditionId] });
  }

  private openKalshiWindow(t: number): void {
    const candidates = this.kalshi.filter((e) => e.window === null && this.eligible(e.endMs, t));
    if (candidates.length === 0) return;
    const e = pick(this.random, candidates);
    // YES asks sum to 103 − Σdiscounts: 10..13 → 90..93 cents for a set paying 100, before Kalshi's taker fees.
    const total = 10 + Math.floor(this.random() * 4);
    const discounts = e.fairs.map(() => Math.floor(total / e.fairs.length));
    discounts[0] = (discounts[0] ?? 0) + (total % e.fairs.length);
    e.window = { discounts, size: 50 + Math.floor(this.random() * 150), untilMs: t + this.windowLength() };
    this.bookChanges += drawKalshi(e);
    this.log({ t, type: 'open', strategy: 'single_platform', venue: 'kalshi', ids: e.tickers, edgeCents: total - 3 });
  }

  private closeKalshiWindow(e: KalshiEvent, t: number): void {
    e.window = null;
    this.bookChanges += drawKalshi(e);
    this.log({ t, type: 'close', strategy: 'single_platform', ids: e.tickers });
  }

  private openLinkedWindow(t: number, strategy: 'cross_platform' | 'overlapping'): void {
    const relation = strategy === 'cross_platform' ? 'equivalent' : 'implies';
    const candidates = this.linked.filter((l) => !l.resolved && l.window === null && l.pair.relation === relation);
    if (candidates.length === 0) return;
    const l = pick(this.random, candidates);
    let kalshiShown: number;
    if (strategy === 'cross_platform') {
      // The Kalshi twin drifts 7–9 cents away: buy YES on the cheap side and NO on the dear one.
      const shift = (7 + Math.floor(this.random() * 3)) * (this.random() < 0.5 ? 1 : -1);
      kalshiShown = clamp(l.kalshiFair + shift, 3, 97);
    } else {
      // The implied market trades below its antecedent: its YES plus the antecedent's NO costs < 1.
      kalshiShown = clamp(l.fair - 6, 2, 97);
    }
    l.window = { kalshiShown, strategy, untilMs: t + this.windowLength() };
    this.bookChanges += drawLinked(l);
    const edge = strategy === 'cross_platform' ? Math.abs(kalshiShown - l.fair) - 2 : l.fair - kalshiShown - 2;
    this.log({
      t,
      type: 'open',
      strategy,
      venue: 'polymarket+kalshi',
      ids: [l.pair.polymarket.conditionId, l.pair.kalshi.ticker],
      edgeCents: edge,
    });
  }

  private closeWindows(t: number): void {
    for (const m of this.pm) if (m.window && t >= m.window.untilMs) this.closePmWindow(m, t);
    for (const e of this.kalshi) if (e.window && t >= e.window.untilMs) this.closeKalshiWindow(e, t);
    for (const l of this.linked) {
      if (!l.window || t < l.window.untilMs) continue;
      const strategy = l.window.strategy;
      l.window = null;
      this.bookChanges += drawLinked(l);
      this.log({ t, type: 'close', strategy, ids: [l.pair.polymarket.conditionId, l.pair.kalshi.ticker] });
    }
  }

  // ---- prices ------------------------------------------------------------------------------------------------------

  // ---- followed wallets --------------------------------------------------------------------------------------------

  private walletTrade(t: number): void {
    const open = this.pm.filter((m) => !m.halted);
    if (open.length === 0 || this.config.wallets.length === 0) return;
    const wallet = pick(this.random, this.config.wallets);
    const m = pick(this.random, open);
    const quote = this.random() < 0.5 ? m.yes : m.no;
    const ask = quote.bestAsk();
    if (ask === null) return;
    const size = 10 + Math.floor(this.random() * 50);
    this.poly.addWalletTrade({
      atMs: t,
      proxyWallet: wallet.address,
      name: wallet.name,
      side: 'BUY',
      tokenId: quote.tokenId,
      size,
      price: ask / 100,
    });
    this.log({ t, type: 'wallet', wallet: wallet.address, tokenId: quote.tokenId, price: ask / 100, size });
  }
}

// News: user rules turn matching news items into directional buy signals.
//
// The rule, as users configure it and as this code applies it:
// - An item matches a rule when it comes from the rule's `feed`, was published inside the rule's window
//   (`windowStartMs ≤ publishedAtMs ≤ windowEndMs` when given; with `windowMs`, within the last `windowMs` before
//   nowMs; never in the future), and its headline or body contains the keywords as whole words/phrases,
//   case-insensitively: any one of them (`match: 'any'`, the default) or every one (`match: 'all'`).
// - The signal buys the rule's side. The user states `confidence`: the probability they believe that side pays
//   after such news. Expected value per contract = confidence − price − fee, so the size walks the asks (never above
//   `maxPrice`) while that marginal value stays positive, within the budget; the opportunity's
//   expectedProfit = size × confidence − (cost incl. fees). This is an expectation, not a guarantee.
// - One signal per (rule, item); a key already in `seenKeys` (`${ruleId}:${itemId}`) is skipped, so a runner that
//   acted on an item is not told again. When several unseen items match one rule, the newest wins.
//   Items are prepared and matched once (news-match.ts, NewsIndex): a runner keeps an index and prices from it
//   (`newsSignalsFrom`); `newsSignals` is the same over a one-off list.
import type { Instrument, Opportunity } from '@polybot/schemas';
import { evaluateBasket } from './basket.ts';
import { NewsIndex, type NewsItem, type NewsRule } from './news-match.ts';
import type { ArbParams, MarketSnapshot } from './types.ts';

export * from './news-match.ts';

export interface NewsInput {
  snapshot: MarketSnapshot;
  rules: readonly NewsRule[];
  items: readonly NewsItem[];
  seenKeys?: ReadonlySet<string>;
}

function target(rule: NewsRule, instruments: ReadonlyMap<string, Instrument>): Instrument | undefined {
  if (rule.instrumentId) return instruments.get(rule.instrumentId);
  for (const i of instruments.values()) if (i.marketId === rule.marketId && i.side === rule.side) return i;
  return undefined;
}

export function newsSignals(input: NewsInput, params: ArbParams, nowMs: number): Opportunity[] {
  const index = new NewsIndex();
  index.setRules(input.rules);
  input.items.forEach((item, k) => index.add(String(k), item));
  return newsSignalsFrom(
    { snapshot: input.snapshot, rules: input.rules, index, ...(input.seenKeys ? { seenKeys: input.seenKeys } : {}) },
    params,
    nowMs,
  );
}

export interface IndexedNewsInput {
  snapshot: MarketSnapshot;
  /** The rules last set on the index. */
  rules: readonly NewsRule[];
  index: NewsIndex;
  seenKeys?: ReadonlySet<string>;
}

/** One signal per rule whose newest unseen matching item can be bought below its confidence. */
export function newsSignalsFrom(input: IndexedNewsInput, params: ArbParams, nowMs: number): Opportunity[] {
  const out: Opportunity[] = [];
  for (const rule of input.rules) {
    const ins = target(rule, input.snapshot.instruments);
    const book = ins && input.snapshot.books.get(ins.instrumentId);
    if (!ins || !book) continue;
    const newest = input.index.newest(rule, nowMs, input.seenKeys);
    if (!newest) continue;
    // The cap is applied by hiding the levels above maxPrice; the basket pricer then handles depth, fees, budget.
    const capped = { ...book, asks: book.asks.filter((l) => l.price <= rule.maxPrice + 1e-12) };
    const snapshot: MarketSnapshot = { ...input.snapshot, books: new Map([[ins.instrumentId, capped]]) };
    const budget = Math.min(params.maxTradeSizeUsd, rule.maxSizeUsd ?? Infinity);
    const r = evaluateBasket(
      {
        id: `news:${rule.id}:${newest.id}`,
        strategy: 'news',
        instrumentIds: [ins.instrumentId],
        minPayout: rule.confidence,
        description: `News "${newest.headline}" → buy ${ins.side.toUpperCase()} ${ins.title} (rule ${rule.id}, confidence ${rule.confidence})`,
      },
      snapshot,
      { ...params, maxTradeSizeUsd: budget },
      nowMs,
    );
    if (r.ok) out.push({ ...r.opportunity, id: `news:${rule.id}:${newest.id}` });
  }
  return out;
}

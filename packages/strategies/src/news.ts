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
import type { Instrument, Opportunity, OutcomeSide } from '@polybot/schemas';
import { evaluateBasket } from './basket.ts';
import type { ArbParams, MarketSnapshot } from './types.ts';

export interface NewsRule {
  id: string;
  feed: string;
  keywords: readonly string[];
  match?: 'any' | 'all';
  /** Either an instrument id, or a market id plus a side. */
  instrumentId?: string;
  marketId?: string;
  side?: OutcomeSide;
  maxPrice: number;
  /** Believed probability (0..1) that the chosen side pays out. */
  confidence: number;
  /** Optional budget of this rule, dollars (the global maxTradeSizeUsd applies too). */
  maxSizeUsd?: number;
  windowStartMs?: number;
  windowEndMs?: number;
  windowMs?: number;
}

export interface NewsItem {
  id: string;
  feed: string;
  headline: string;
  body: string;
  publishedAtMs: number;
}

export interface NewsInput {
  snapshot: MarketSnapshot;
  rules: readonly NewsRule[];
  items: readonly NewsItem[];
  seenKeys?: ReadonlySet<string>;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// Compiled once per keyword: a scan tests every rule against every item, and compiling dominated its cost.
const compiled = new Map<string, RegExp | null>();
function keywordPattern(keyword: string): RegExp | null {
  let re = compiled.get(keyword);
  if (re === undefined) {
    const words = keyword.trim().split(/\s+/).filter(Boolean).map(escape);
    re = words.length === 0 ? null : new RegExp(`(?<![\\p{L}\\p{N}])${words.join('\\s+')}(?![\\p{L}\\p{N}])`, 'iu');
    if (compiled.size > 10_000) compiled.clear();
    compiled.set(keyword, re);
  }
  return re;
}

/** Whole-word, case-insensitive match of a keyword or phrase (internal whitespace matches any whitespace). */
export function containsKeyword(text: string, keyword: string): boolean {
  return keywordPattern(keyword)?.test(text) ?? false;
}

/** An item's text with its word set, so single-word keywords are a set lookup instead of a regex scan. */
export interface PreparedText {
  text: string;
  words: ReadonlySet<string>;
}

export function prepareText(item: NewsItem): PreparedText {
  const text = `${item.headline}\n${item.body}`;
  return { text, words: new Set(text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) };
}

const SINGLE_WORD = /^[\p{L}\p{N}]+$/u;

type KeywordMatcher = (p: PreparedText) => boolean;

function keywordMatcher(keyword: string): KeywordMatcher {
  const k = keyword.trim().toLowerCase();
  if (SINGLE_WORD.test(k)) return (p) => p.words.has(k);
  return (p) => containsKeyword(p.text, k);
}

export function ruleMatches(
  rule: NewsRule,
  item: NewsItem,
  nowMs: number,
  prepared: PreparedText = prepareText(item),
  matchers: readonly KeywordMatcher[] = rule.keywords.map(keywordMatcher),
): boolean {
  if (item.feed !== rule.feed || item.publishedAtMs > nowMs) return false;
  if (rule.windowStartMs !== undefined && item.publishedAtMs < rule.windowStartMs) return false;
  if (rule.windowEndMs !== undefined && item.publishedAtMs > rule.windowEndMs) return false;
  if (rule.windowMs !== undefined && item.publishedAtMs < nowMs - rule.windowMs) return false;
  if (matchers.length === 0) return false;
  return rule.match === 'all' ? matchers.every((m) => m(prepared)) : matchers.some((m) => m(prepared));
}

function target(rule: NewsRule, instruments: ReadonlyMap<string, Instrument>): Instrument | undefined {
  if (rule.instrumentId) return instruments.get(rule.instrumentId);
  for (const i of instruments.values()) if (i.marketId === rule.marketId && i.side === rule.side) return i;
  return undefined;
}

export function newsSignals(input: NewsInput, params: ArbParams, nowMs: number): Opportunity[] {
  const out: Opportunity[] = [];
  const texts = input.items.map(prepareText);
  for (const rule of input.rules) {
    const ins = target(rule, input.snapshot.instruments);
    const book = ins && input.snapshot.books.get(ins.instrumentId);
    if (!ins || !book) continue;
    const matchers = rule.keywords.map(keywordMatcher);
    let newest: NewsItem | undefined;
    for (let k = 0; k < input.items.length; k++) {
      const item = input.items[k];
      if (
        !item ||
        item.feed !== rule.feed ||
        input.seenKeys?.has(`${rule.id}:${item.id}`) ||
        !ruleMatches(rule, item, nowMs, texts[k], matchers)
      )
        continue;
      if (!newest || item.publishedAtMs > newest.publishedAtMs) newest = item;
    }
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

// Which news items a rule matches, prepared once per item (issue 14 item 7). An item's text is normalized when it
// arrives, and matched against every rule's keywords then; a rule matched against every kept item only when it is new
// or its feed/keywords changed. What is left for a book update or a pricing is the cheap part: the rule's window, the
// seen set, and the newest of the items it already matched. So 50 rules that never match cost nothing per book update,
// where re-preparing and re-matching every item per rule cost a runner about half a second of CPU each time.
//
// The matching rule itself (whole words/phrases, case-insensitive, any/all; the window) is described in news.ts.
import type { OutcomeSide } from '@polybot/schemas';

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

export type KeywordMatcher = (p: PreparedText) => boolean;

function keywordMatcher(keyword: string): KeywordMatcher {
  const k = keyword.trim().toLowerCase();
  if (SINGLE_WORD.test(k)) return (p) => p.words.has(k);
  return (p) => containsKeyword(p.text, k);
}

/** The rule's keywords (any/all) against a prepared text; no keywords match nothing. */
function textMatcher(rule: Pick<NewsRule, 'keywords' | 'match'>): KeywordMatcher {
  const matchers = rule.keywords.map(keywordMatcher);
  if (matchers.length === 0) return () => false;
  return rule.match === 'all' ? (p) => matchers.every((m) => m(p)) : (p) => matchers.some((m) => m(p));
}

/** Published inside the rule's window as seen at nowMs (never in the future). */
export function inWindow(rule: NewsRule, item: NewsItem, nowMs: number): boolean {
  if (item.publishedAtMs > nowMs) return false;
  if (rule.windowStartMs !== undefined && item.publishedAtMs < rule.windowStartMs) return false;
  if (rule.windowEndMs !== undefined && item.publishedAtMs > rule.windowEndMs) return false;
  if (rule.windowMs !== undefined && item.publishedAtMs < nowMs - rule.windowMs) return false;
  return true;
}

/** One item against one rule, all of it (feed, window, keywords). For one-off checks; NewsIndex is the hot path. */
export function ruleMatches(
  rule: NewsRule,
  item: NewsItem,
  nowMs: number,
  prepared: PreparedText = prepareText(item),
): boolean {
  return item.feed === rule.feed && inWindow(rule, item, nowMs) && textMatcher(rule)(prepared);
}

/** What decides which items a rule matches, whatever else the rule says: rules alike in this share one match set. */
const matchKeyOf = (rule: NewsRule): string => `${rule.feed}\n${rule.match ?? 'any'}\n${JSON.stringify(rule.keywords)}`;

interface MatchSet {
  feed: string;
  test: KeywordMatcher;
  /** Keys of the kept items this feed + keywords match. */
  keys: Set<string>;
}

interface Entry {
  item: NewsItem;
  text: PreparedText;
  /** Order of first arrival: ties on publishedAtMs go to the earlier one, as a scan in arrival order would. */
  seq: number;
}

export interface NewsIndexOptions {
  /** How an item's text is prepared (a test counts the calls). */
  prepare?: (item: NewsItem) => PreparedText;
}

/**
 * Kept news items, each prepared once, and for each rule the items its feed + keywords match. Items are added,
 * replaced and deleted by key (the caller's identity of an item); rules are set as a whole, and only a rule whose
 * feed/keywords are new is matched against the kept items.
 */
export class NewsIndex {
  private readonly entries = new Map<string, Entry>();
  private matchSets = new Map<string, MatchSet>();
  private nextSeq = 0;
  private readonly prepare: (item: NewsItem) => PreparedText;

  constructor(opts: NewsIndexOptions = {}) {
    this.prepare = opts.prepare ?? prepareText;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Keys and items, in order of first arrival. */
  *items(): IterableIterator<[string, NewsItem]> {
    for (const [key, e] of this.entries) yield [key, e.item];
  }

  setRules(rules: readonly NewsRule[]): void {
    const next = new Map<string, MatchSet>();
    for (const rule of rules) {
      const mk = matchKeyOf(rule);
      if (next.has(mk)) continue;
      let set = this.matchSets.get(mk);
      if (!set) {
        set = { feed: rule.feed, test: textMatcher(rule), keys: new Set() };
        for (const [key, e] of this.entries) if (e.item.feed === set.feed && set.test(e.text)) set.keys.add(key);
      }
      next.set(mk, set);
    }
    this.matchSets = next;
  }

  /** Adds an item, or replaces the one under the same key (prepared and matched again: its text may differ). */
  add(key: string, item: NewsItem): void {
    const before = this.entries.get(key);
    if (before) for (const set of this.matchSets.values()) set.keys.delete(key);
    const entry: Entry = { item, text: this.prepare(item), seq: before?.seq ?? this.nextSeq++ };
    this.entries.set(key, entry);
    for (const set of this.matchSets.values()) if (set.feed === item.feed && set.test(entry.text)) set.keys.add(key);
  }

  delete(key: string): void {
    if (!this.entries.delete(key)) return;
    for (const set of this.matchSets.values()) set.keys.delete(key);
  }

  /**
   * The newest item the rule matches inside its window at nowMs and not in `seenKeys` (`${ruleId}:${itemId}`);
   * the rule must be one of those last set.
   */
  newest(rule: NewsRule, nowMs: number, seenKeys?: ReadonlySet<string>): NewsItem | undefined {
    const set = this.matchSets.get(matchKeyOf(rule));
    if (!set) return undefined;
    let best: Entry | undefined;
    for (const key of set.keys) {
      const e = this.entries.get(key);
      if (!e || seenKeys?.has(`${rule.id}:${e.item.id}`) || !inWindow(rule, e.item, nowMs)) continue;
      const t = e.item.publishedAtMs;
      if (!best || t > best.item.publishedAtMs || (t === best.item.publishedAtMs && e.seq < best.seq)) best = e;
    }
    return best?.item;
  }
}

// News rules in the runner: items from the manager's news feed are kept while some rule's window may still want them,
// and priced with the user's rules (packages/strategies news.ts) when an item arrives and when a book of a rule's
// instrument changes while an unseen matching item is inside the window — a book that arrives after the item still
// triggers. One signal per (rule, item), also across restarts: the seen set starts from the keys of this user's
// booked news trades (sent in init), and the leg group id `news:<ruleId>:<itemId>` makes a replay that got through
// anyway book nothing new (the reservation answers 'booked', recordTrade is idempotent per client order id).
// Each item is prepared and matched against the rules once, when it arrives (NewsIndex, packages/strategies
// news-match.ts): a book update only looks at the items a rule on its instrument already matched.
import { NEWS_LIMITS, type Instrument, type Opportunity, type VenueId } from '@polybot/schemas';
import {
  NewsIndex,
  newsSignalsFrom,
  type ArbParams,
  type MarketSnapshot,
  type NewsIndexOptions,
  type NewsRule,
} from '@polybot/strategies';
import type { Logger } from 'pino';
import type { IgnoredNewsRule, NewsItemMessage, RunnerConfig } from '../shared/ipc.ts';

const MAX_ITEMS = NEWS_LIMITS.itemsKeptPerRunner;

export { newsEnabled } from '../shared/signal-gates.ts';

/** The `<ruleId>:<itemId>` key of a news opportunity id `news:<ruleId>:<itemId>`. */
export const seenKeyOf = (opportunityId: string): string | null =>
  opportunityId.startsWith('news:') ? opportunityId.slice(5) : null;

/** The rules the strategy acts on, and those it cannot act on with the reason in the user's words. */
export interface NewsRuleSet {
  rules: NewsRule[];
  ignored: IgnoredNewsRule[];
}

const VENUE_NAMES: Record<VenueId, string> = { polymarket: 'Polymarket', kalshi: 'Kalshi' };

/** Token ids run to 77 digits: enough of one for the user to recognise it. */
const shortId = (id: string): string => (id.length > 14 ? `${id.slice(0, 12)}…` : id);

/** Why a rule cannot be acted on, or null when it can. */
function ignoreReason(
  r: RunnerConfig['news_rules'][number],
  config: RunnerConfig,
  ins: Instrument | undefined,
): string | null {
  const venue = VENUE_NAMES[r.venue];
  if (r.venue === 'polymarket' ? !config.enable_polymarket : !config.enable_kalshi)
    return `${venue} is switched off in your config`;
  if (!ins) return `instrument ${shortId(r.instrumentId)} is not a listed ${venue} market`;
  if (ins.venue !== r.venue)
    return `instrument ${shortId(r.instrumentId)} is a ${VENUE_NAMES[ins.venue]} market, not a ${venue} one`;
  if (ins.side !== r.side) {
    const what = ins.venue === 'polymarket' ? 'token' : 'side';
    return `its instrument is the ${ins.side.toUpperCase()} ${what} but the rule buys ${r.side.toUpperCase()}`;
  }
  return null;
}

/**
 * The user's rules as the strategy reads them: only rules on an enabled venue whose instrument this runner knows, on
 * that venue and side (a rule naming a NO token as 'yes' is a mistake to report, not a trade to guess at). The rest
 * are reported in the bot status, so the user sees why a rule never fires.
 */
export function strategyRules(
  config: RunnerConfig,
  instruments: ReadonlyMap<string, Instrument>,
  log: Logger,
): NewsRuleSet {
  const out: NewsRuleSet = { rules: [], ignored: [] };
  for (const r of config.news_rules) {
    const ins = instruments.get(r.instrumentId);
    const reason = ignoreReason(r, config, ins);
    if (reason !== null) {
      log.warn(
        {
          ruleId: r.id,
          instrumentId: r.instrumentId,
          venue: r.venue,
          side: r.side,
          known: ins ? `${ins.venue}/${ins.side}` : null,
          reason,
        },
        'news rule ignored',
      );
      out.ignored.push({ ruleId: r.id, reason });
      continue;
    }
    out.rules.push({
      id: r.id,
      feed: r.feed,
      keywords: r.keywords,
      instrumentId: r.instrumentId,
      side: r.side,
      maxPrice: r.maxPrice,
      confidence: r.confidence,
      ...(r.maxSizeUsd !== undefined ? { maxSizeUsd: r.maxSizeUsd } : {}),
      windowMs: r.windowMinutes * 60_000,
    });
  }
  return out;
}

export class NewsTrader {
  private readonly seen: Set<string>;
  /** Kept per feed and id (`${feed}\n${id}`): the same guid on two feeds is two items. */
  private readonly items: NewsIndex;
  private rules: NewsRule[] = [];
  private ignoredRules: IgnoredNewsRule[] = [];
  /** Instrument id → the rules on it. */
  private watched = new Map<string, NewsRule[]>();
  /** Something changed (an item came, a watched book moved, the rules changed) since the last pricing. */
  private dirty = false;

  constructor(seenKeys: readonly string[], opts: NewsIndexOptions = {}) {
    this.seen = new Set(seenKeys);
    this.items = new NewsIndex(opts);
  }

  setRules({ rules, ignored }: NewsRuleSet): void {
    this.rules = rules;
    this.ignoredRules = ignored;
    this.items.setRules(rules);
    this.watched = new Map();
    for (const r of rules)
      if (r.instrumentId) this.watched.set(r.instrumentId, [...(this.watched.get(r.instrumentId) ?? []), r]);
    this.dirty = true;
  }

  push(item: NewsItemMessage): void {
    this.items.add(`${item.feed}\n${item.id}`, item);
    if (this.items.size > MAX_ITEMS) this.prune(Date.now());
    this.dirty = true;
  }

  /** The user's rules these rules leave out, and why (reported in every heartbeat). */
  get ignored(): IgnoredNewsRule[] {
    return this.ignoredRules;
  }

  get pending(): boolean {
    return this.dirty;
  }

  /** A book changed: worth pricing again only if a rule on it still has an unseen item inside its window. */
  onBook(instrumentId: string, nowMs: number): void {
    if (this.dirty) return;
    for (const rule of this.watched.get(instrumentId) ?? [])
      if (this.items.newest(rule, nowMs, this.seen)) {
        this.dirty = true;
        return;
      }
  }

  /** The signals of every rule over the kept items (one per rule: its newest unseen matching item). */
  signals(snapshot: MarketSnapshot, params: ArbParams, nowMs: number): Opportunity[] {
    this.dirty = false;
    this.prune(nowMs);
    if (this.rules.length === 0 || this.items.size === 0) return [];
    return newsSignalsFrom({ snapshot, rules: this.rules, index: this.items, seenKeys: this.seen }, params, nowMs);
  }

  /** Called when an order for this opportunity is about to be reserved: from now on the (rule, item) counts as acted on. */
  acted(opportunityId: string): void {
    const key = seenKeyOf(opportunityId);
    if (key) this.seen.add(key);
  }

  /** Items no rule's window reaches any more go (and the oldest, past the cap). */
  private prune(nowMs: number): void {
    const longest = Math.max(0, ...this.rules.map((r) => r.windowMs ?? 0));
    const gone: string[] = [];
    for (const [k, item] of this.items.items()) if (nowMs - item.publishedAtMs > longest) gone.push(k);
    for (const k of gone) this.items.delete(k);
    const oldest: string[] = [];
    let extra = this.items.size - MAX_ITEMS;
    for (const [k] of this.items.items()) {
      if (extra-- <= 0) break;
      oldest.push(k);
    }
    for (const k of oldest) this.items.delete(k);
  }
}

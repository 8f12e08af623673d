// News for the news strategy: the manager polls each configured RSS feed once per interval, however many runners have
// rules on it (the union of the subscriptions), and only while some runner has an enabled rule on it. An item is new
// by its guid; new items go to the runners with a rule on that feed. Items inside the longest window any subscriber
// asked for are kept and replayed to a runner that subscribes later (a restart included): the runner's own seen set
// decides what it already acted on. A feed that fails is retried with backoff; the other feeds do not notice. A feed is
// read with caps (feed-fetch.ts): one too large or too slow to parse fails its poll with the reason (stats.lastError).
import { createHash } from 'node:crypto';
import { NEWS_LIMITS } from '@polybot/schemas';
import type { Counter } from 'prom-client';
import type { Logger } from 'pino';
import { coerceError } from '../shared/errors.ts';
import { NewsItemMessageSchema, type NewsItemMessage } from '../shared/ipc.ts';
import { fetchFeed, type FeedFetchOptions } from './feed-fetch.ts';
import type { RssItem } from './rss.ts';

export interface NewsFeedOptions {
  /** Feed name → RSS URL. */
  feeds: Readonly<Record<string, string>>;
  intervalMs: number;
  log: Logger;
  metrics?: { newsPolls: Counter<'feed'>; newsPollErrors: Counter<'feed'>; newsItems: Counter<'feed'> };
  /** Longest wait between attempts on a failing feed. */
  maxBackoffMs?: number;
  timeoutMs?: number;
  /** Caps on one document (bytes, parse budget; feed-fetch.ts FEED_FETCH_DEFAULTS): past one the poll fails with why. */
  limits?: Omit<FeedFetchOptions, 'timeoutMs'>;
}

export interface NewsSubscription {
  /** Feed name → the longest window (ms) of this runner's rules on it. */
  update(windows: ReadonlyMap<string, number>): void;
  close(): void;
}

interface Subscriber {
  windows: Map<string, number>;
  onItem: (item: NewsItemMessage) => void;
}

interface FeedState {
  timer: NodeJS.Timeout | null;
  polling: Promise<void> | null;
  /** Consecutive failures: the backoff exponent. */
  failures: number;
  /** Guids already read, oldest first (a feed lists its last few dozen items; this remembers more). */
  seen: Set<string>;
  recent: NewsItemMessage[];
  polls: number;
  errors: number;
  items: number;
  lastError: string | null;
}

const MAX_SEEN = 5000;
const MAX_RECENT = NEWS_LIMITS.itemsKeptPerFeed;

/** The id a runner books with: the guid itself when short and plain (readable trade ids), else a hash of it. */
export function itemIdOf(feed: string, guid: string): string {
  return /^[\w.~-]{1,64}$/.test(guid)
    ? guid
    : `h${createHash('sha256').update(`${feed}\n${guid}`).digest('hex').slice(0, 40)}`;
}

export function toNewsItem(feed: string, item: RssItem, nowMs: number): NewsItemMessage {
  return NewsItemMessageSchema.parse({
    id: itemIdOf(feed, item.guid),
    feed,
    headline: item.title,
    body: item.description,
    publishedAtMs: Math.min(item.publishedAtMs ?? nowMs, nowMs),
  });
}

export class NewsFeed {
  private readonly subscribers = new Set<Subscriber>();
  private readonly state = new Map<string, FeedState>();
  private readonly unknown = new Set<string>();
  private closed = false;
  private delivered = 0;

  constructor(private readonly opts: NewsFeedOptions) {}

  subscribe(windows: ReadonlyMap<string, number>, onItem: (item: NewsItemMessage) => void): NewsSubscription {
    const sub: Subscriber = { windows: new Map(), onItem };
    this.subscribers.add(sub);
    const update = (next: ReadonlyMap<string, number>): void => {
      const before = sub.windows;
      sub.windows = new Map(next);
      for (const [feed, windowMs] of next) {
        // A feed newly read, or read further back: what was kept for it may now concern this runner.
        if ((before.get(feed) ?? -1) < windowMs)
          for (const item of this.state.get(feed)?.recent ?? []) this.deliver(sub, item, windowMs, before.get(feed));
        this.ensurePolling(feed);
      }
    };
    update(windows);
    return {
      update,
      close: () => {
        this.subscribers.delete(sub);
      },
    };
  }

  /** Feed name → the longest window any subscriber reads it with. */
  private wanted(): Map<string, number> {
    const out = new Map<string, number>();
    for (const s of this.subscribers) for (const [f, w] of s.windows) out.set(f, Math.max(out.get(f) ?? 0, w));
    return out;
  }

  stats(): {
    feeds: Record<
      string,
      { subscribers: number; polls: number; errors: number; items: number; failing: boolean; lastError: string | null }
    >;
    unknownFeeds: string[];
    delivered: number;
  } {
    const feeds: Record<
      string,
      { subscribers: number; polls: number; errors: number; items: number; failing: boolean; lastError: string | null }
    > = {};
    for (const name of Object.keys(this.opts.feeds)) {
      const st = this.state.get(name);
      feeds[name] = {
        subscribers: [...this.subscribers].filter((s) => s.windows.has(name)).length,
        polls: st?.polls ?? 0,
        errors: st?.errors ?? 0,
        items: st?.items ?? 0,
        failing: (st?.failures ?? 0) > 0,
        lastError: st?.lastError ?? null,
      };
    }
    return { feeds, unknownFeeds: [...this.unknown].sort(), delivered: this.delivered };
  }

  /** `previousWindowMs`: what the subscriber already got this item under (a replay after a window grew skips those). */
  private deliver(sub: Subscriber, item: NewsItemMessage, windowMs: number, previousWindowMs?: number): void {
    const age = Date.now() - item.publishedAtMs;
    if (age > windowMs || (previousWindowMs !== undefined && age <= previousWindowMs)) return;
    this.delivered++;
    try {
      sub.onItem(item);
    } catch (e) {
      this.opts.log.warn({ feed: item.feed, err: coerceError(e).message }, 'news item delivery failed');
    }
  }

  private feedState(feed: string): FeedState {
    let st = this.state.get(feed);
    if (!st)
      this.state.set(
        feed,
        (st = {
          timer: null,
          polling: null,
          failures: 0,
          seen: new Set(),
          recent: [],
          polls: 0,
          errors: 0,
          items: 0,
          lastError: null,
        }),
      );
    return st;
  }

  /** Starts a feed's poll loop if someone reads it and it is not already running. */
  private ensurePolling(feed: string): void {
    if (this.closed) return;
    if (this.opts.feeds[feed] === undefined) {
      if (!this.unknown.has(feed))
        this.opts.log.warn({ feed }, 'a news rule reads a feed that is not configured (NEWS_FEEDS): it gets no items');
      this.unknown.add(feed);
      return;
    }
    const st = this.feedState(feed);
    if (st.timer || st.polling) return;
    st.timer = setTimeout(() => this.runPoll(feed), 0);
  }

  private runPoll(feed: string): void {
    const st = this.feedState(feed);
    st.timer = null;
    if (this.closed || !this.wanted().has(feed)) return; // nobody reads it any more: the loop ends here
    st.polling = this.poll(feed, st)
      .then(
        () => {
          st.failures = 0;
          st.lastError = null;
        },
        (e: unknown) => {
          st.failures++;
          st.errors++;
          st.lastError = coerceError(e).message;
          this.opts.metrics?.newsPollErrors.inc({ feed });
          this.opts.log.warn({ feed, err: st.lastError, failures: st.failures }, 'news feed poll failed');
        },
      )
      .finally(() => {
        st.polling = null;
        if (this.closed) return;
        const backoff = Math.min(this.opts.maxBackoffMs ?? 60_000, this.opts.intervalMs * 2 ** st.failures);
        st.timer = setTimeout(() => this.runPoll(feed), st.failures > 0 ? backoff : this.opts.intervalMs);
      });
  }

  private async poll(feed: string, st: FeedState): Promise<void> {
    const url = this.opts.feeds[feed] ?? '';
    st.polls++;
    this.opts.metrics?.newsPolls.inc({ feed });
    // A feed is hostile input: read with caps on bytes, time and parsing (a refusal is this poll's error).
    const rows = await fetchFeed(url, { ...this.opts.limits, timeoutMs: this.opts.timeoutMs ?? 10_000 });
    const now = Date.now();
    const fresh: NewsItemMessage[] = [];
    for (const row of rows) {
      if (st.seen.has(row.guid)) continue;
      st.seen.add(row.guid);
      fresh.push(toNewsItem(feed, row, now));
    }
    for (const g of st.seen) {
      if (st.seen.size <= MAX_SEEN) break;
      st.seen.delete(g);
    }
    // Oldest first, so runners meet a feed's items in the order they were published.
    fresh.sort((a, b) => a.publishedAtMs - b.publishedAtMs);
    const keepMs = this.wanted().get(feed) ?? 0;
    st.recent = [...st.recent, ...fresh].filter((i) => now - i.publishedAtMs <= keepMs).slice(-MAX_RECENT);
    st.items += fresh.length;
    if (fresh.length === 0) return;
    this.opts.metrics?.newsItems.inc({ feed }, fresh.length);
    this.opts.log.info({ feed, items: fresh.length }, 'news items read');
    for (const item of fresh)
      for (const s of this.subscribers) {
        const w = s.windows.get(feed);
        if (w !== undefined) this.deliver(s, item, w);
      }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const st of this.state.values()) if (st.timer) clearTimeout(st.timer);
    await Promise.allSettled([...this.state.values()].flatMap((st) => (st.polling ? [st.polling] : [])));
  }
}

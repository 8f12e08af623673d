// News feeds of the simulator: a scenario's news.json lists items (feed, headline, body, published `atMs` after the
// scenario start) and each feed is served as RSS 2.0, the format real newswires and central banks publish
// (GET /news/<feed>/rss.xml): only items already published at scenario time, newest first, pubDate in RFC 822.
// Scenario time moves like the venues' (advanceTo), so a test that stops the clock decides when an item appears.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';

export const NewsItemSchema = z.strictObject({
  id: z.string().min(1).max(100),
  feed: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, { error: 'feed names are lowercase letters, digits and dashes' }),
  headline: z.string().min(1).max(300),
  body: z.string().max(5000),
  /** Milliseconds after the scenario start at which the item is published. */
  atMs: z.number().int().nonnegative(),
});
export type NewsScenarioItem = z.infer<typeof NewsItemSchema>;

export const NewsScenarioSchema = z
  .strictObject({
    note: z.string().optional(),
    items: z.array(NewsItemSchema),
  })
  .refine((s) => new Set(s.items.map((i) => i.id)).size === s.items.length, { error: 'news item ids must be unique' });

const FailSchema = z.object({ feed: z.string(), status: z.number().int().min(200).max(599).nullable() });

export interface NewsSim {
  feeds(): string[];
  handleHttp(req: IncomingMessage, res: ServerResponse, url: URL): boolean;
  control(action: string, body: unknown): { status: number; body: unknown } | null;
  advanceTo(nowMs: number): void;
  baseUrls(origin: string): Record<string, string>;
  stats(): Record<string, unknown>;
}

const xmlEscape = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

/** The RSS 2.0 document of one feed: `items` newest first, each dated startMs + atMs. */
export function renderRss(feed: string, items: readonly NewsScenarioItem[], startMs: number, origin: string): string {
  const entries = items.map((i) =>
    [
      '    <item>',
      `      <title>${xmlEscape(i.headline)}</title>`,
      `      <link>${xmlEscape(`${origin}/news/${feed}/${encodeURIComponent(i.id)}`)}</link>`,
      `      <description>${xmlEscape(i.body)}</description>`,
      `      <guid isPermaLink="false">${xmlEscape(i.id)}</guid>`,
      // Date.toUTCString is RFC 822/1123 ("Tue, 10 Jun 2003 04:00:00 GMT"), what RSS 2.0 asks for.
      `      <pubDate>${new Date(startMs + i.atMs).toUTCString()}</pubDate>`,
      '    </item>',
    ].join('\n'),
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0">',
    '  <channel>',
    `    <title>${xmlEscape(`venue-sim ${feed}`)}</title>`,
    `    <link>${xmlEscape(`${origin}/news/${feed}/rss.xml`)}</link>`,
    `    <description>${xmlEscape(`Simulated ${feed} news feed`)}</description>`,
    ...entries,
    '  </channel>',
    '</rss>',
    '',
  ].join('\n');
}

export function createNewsSim(raw: unknown, opts: { clock: () => number }): NewsSim {
  const scenario = NewsScenarioSchema.parse(raw);
  const startMs = opts.clock();
  let elapsedMs = 0;
  const feeds = [...new Set(scenario.items.map((i) => i.feed))].sort();
  const requests = new Map<string, number>();
  /** Test control: a feed forced to answer this HTTP status (an outage), until cleared with null. */
  const failing = new Map<string, number>();

  return {
    feeds: () => feeds,
    handleHttp(req, res, url) {
      const m = /^\/news\/([^/]+)\/rss\.xml$/.exec(url.pathname);
      if (!m || (req.method ?? 'GET') !== 'GET') return false;
      const feed = m[1] ?? '';
      if (!feeds.includes(feed)) return false;
      requests.set(feed, (requests.get(feed) ?? 0) + 1);
      const status = failing.get(feed);
      if (status !== undefined) {
        res.writeHead(status, { 'content-type': 'text/plain' }).end(`venue-sim: feed ${feed} is failing (${status})`);
        return true;
      }
      const published = scenario.items
        .filter((i) => i.feed === feed && i.atMs <= elapsedMs)
        .sort((a, b) => b.atMs - a.atMs);
      const origin = `http://${req.headers.host ?? '127.0.0.1'}`;
      const text = renderRss(feed, published, startMs, origin);
      res
        .writeHead(200, {
          'content-type': 'application/rss+xml; charset=utf-8',
          'content-length': Buffer.byteLength(text),
        })
        .end(text);
      return true;
    },
    control(action, body) {
      if (action !== 'fail') return null;
      const { feed, status } = FailSchema.parse(body);
      if (!feeds.includes(feed)) return { status: 404, body: { error: `venue-sim: no news feed ${feed}` } };
      if (status === null) failing.delete(feed);
      else failing.set(feed, status);
      return { status: 200, body: { feed, status } };
    },
    advanceTo(nowMs) {
      elapsedMs = Math.max(elapsedMs, nowMs - startMs);
    },
    baseUrls: (origin) => ({
      news: `${origin}/news`,
      ...Object.fromEntries(feeds.map((f) => [`news:${f}`, `${origin}/news/${f}/rss.xml`])),
    }),
    stats: () => ({
      feeds,
      published: scenario.items.filter((i) => i.atMs <= elapsedMs).length,
      requests: Object.fromEntries(requests),
    }),
  };
}

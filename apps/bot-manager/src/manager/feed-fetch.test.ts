// Fetching a feed over real HTTP with its caps (issue 14 item 6): a 10 MB response is refused once the byte cap is
// passed and the connection is dropped (the server sees it go before it finished), a declared Content-Length over the
// cap is refused before reading, enough items stop the reading, parsing over its budget is refused, a response that
// never ends is dropped at the timeout; a 1 MB hostile document is parsed with the event loop turning between slices;
// and the news feed reports a refused feed with the reason.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FEED_FETCH_DEFAULTS, fetchFeed } from './feed-fetch.ts';
import { NewsFeed } from './news-feed.ts';
import { FEED_LIMITS, FeedRefusedError } from './rss.ts';

const MB = 1 << 20;
const HEAD = '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>';
const itemXml = (k: number): string =>
  `<item><title>Story ${k}</title><guid>g${k}</guid><description>${'word '.repeat(40)}</description></item>`;

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
const routes = new Map<string, Handler>();
/** How each response ended: 'finished' (all written) or 'dropped' (the client went first). */
const endings = new Map<string, Promise<'finished' | 'dropped'>>();
let server: Server;
let origin = '';

/**
 * Writes `total` bytes of RSS (items, or one item's endless description) in 64 KB pieces, each once the client took the
 * last, and then holds the response open: it ends only when the client drops it, so a client that read everything,
 * or waited for the end, would be caught by its timeout instead of passing.
 */
async function stream(res: ServerResponse, total: number, what: 'items' | 'text'): Promise<void> {
  let sent = 0;
  let k = 0;
  const write = async (s: string): Promise<void> => {
    sent += s.length;
    if (!res.write(s)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
  };
  await write(what === 'items' ? HEAD : `${HEAD}<item><guid>big</guid><description>`);
  while (sent < total && !res.destroyed) {
    let piece = '';
    while (piece.length < 64 * 1024) piece += what === 'items' ? itemXml(k++) : 'word '.repeat(100);
    await write(piece);
  }
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '';
    endings.set(
      path,
      new Promise((resolve) => res.on('close', () => resolve(res.writableFinished ? 'finished' : 'dropped'))),
    );
    const h = routes.get(path);
    if (h) h(req, res);
    else res.writeHead(404).end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  routes.set('/ten-mb', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' });
    void stream(res, 10 * MB, 'text');
  });
  routes.set('/declared-ten-mb', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-length': String(10 * MB) });
    res.write(HEAD); // and nothing more: the client must not wait for the rest
  });
  routes.set('/one-mb-of-items', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' });
    void stream(res, MB, 'items');
  });
  routes.set('/one-mb-description', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' });
    res.end(
      `${HEAD}<item><guid>big</guid><description><![CDATA[${'<'.repeat(MB)}]]></description></item></channel></rss>`,
    );
  });
  routes.set('/one-mb-held-open', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' });
    void stream(res, MB, 'text');
  });
  routes.set('/small', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' });
    res.end(`${HEAD}${itemXml(1)}${itemXml(2)}</channel></rss>`);
  });
  routes.set('/never-ends', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' });
    res.write(HEAD);
  });
});
afterAll(async () => {
  server.closeAllConnections();
  server.close();
  await once(server, 'close');
});

describe('fetchFeed', () => {
  it('reads a small feed', async () => {
    expect((await fetchFeed(`${origin}/small`)).map((i) => i.guid)).toEqual(['g1', 'g2']);
    expect(await endings.get('/small')).toBe('finished');
  });

  it('refuses a 10 MB response past the byte cap and drops the connection before the server is done', async () => {
    await expect(fetchFeed(`${origin}/ten-mb`)).rejects.toThrow(
      new FeedRefusedError(`feed too large: more than ${FEED_FETCH_DEFAULTS.maxBytes} bytes, refused`),
    );
    expect(await endings.get('/ten-mb')).toBe('dropped');
  });

  it('refuses a declared Content-Length over the cap without reading the body', async () => {
    await expect(fetchFeed(`${origin}/declared-ten-mb`)).rejects.toThrow(/feed too large/);
    expect(await endings.get('/declared-ten-mb')).toBe('dropped');
  });

  it('stops reading once it has maxItems items', async () => {
    const items = await fetchFeed(`${origin}/one-mb-of-items`);
    expect(items).toHaveLength(FEED_LIMITS.maxItems);
    expect(await endings.get('/one-mb-of-items')).toBe('dropped');
  });

  it('parses a 1 MB hostile document in slices, the event loop turning between them', async () => {
    let turns = 0;
    let ticking = true;
    const tick = (): void => {
      turns++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const items = await fetchFeed(`${origin}/one-mb-description`);
    ticking = false;
    expect(items.map((i) => i.guid)).toEqual(['big']);
    expect(turns).toBeGreaterThanOrEqual(MB / FEED_FETCH_DEFAULTS.sliceChars);
  });

  it('refuses a document whose parsing goes over its budget', async () => {
    let t = 0;
    const clock = (): number => (t += 400); // each slice "takes" 400 ms: the second passes a 500 ms budget
    await expect(fetchFeed(`${origin}/one-mb-held-open`, { clock })).rejects.toThrow(
      /parsing took over its budget of 500 ms/,
    );
    expect(await endings.get('/one-mb-held-open')).toBe('dropped');
  });

  it('drops a response that never ends at the timeout', async () => {
    await expect(fetchFeed(`${origin}/never-ends`, { timeoutMs: 300 })).rejects.toThrow(/timeout|aborted/i);
    expect(await endings.get('/never-ends')).toBe('dropped');
  });
});

it('the news feed reports a feed refused as too large, and keeps reading the others', async () => {
  const feed = new NewsFeed({
    feeds: { big: `${origin}/ten-mb`, small: `${origin}/small` },
    intervalMs: 60_000,
    log: pino({ level: 'silent' }),
  });
  const got: string[] = [];
  const sub = feed.subscribe(
    new Map([
      ['big', 3_600_000],
      ['small', 3_600_000],
    ]),
    (item) => got.push(item.id),
  );
  try {
    await vi.waitFor(() => expect(feed.stats().feeds.big?.errors).toBe(1), { timeout: 30_000, interval: 20 });
    expect(feed.stats().feeds.big).toMatchObject({
      failing: true,
      items: 0,
      lastError: expect.stringMatching(/too large/),
    });
    await vi.waitFor(() => expect(got).toEqual(['g1', 'g2']), { timeout: 30_000, interval: 20 });
  } finally {
    sub.close();
    await feed.close();
  }
});

// Fetching a news feed without trusting it (issue 14 item 6): the response is read as it arrives and parsed in small
// slices with a turn of the event loop between them, so a large or slow document cannot freeze the manager; and it is
// refused — the request aborted, nothing of it used — past a byte cap (a declared Content-Length over the cap is
// refused before reading), past a CPU budget for parsing, or when the whole request outlives its timeout.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { FeedParser, FeedRefusedError, type RssItem } from './rss.ts';

export const FEED_FETCH_DEFAULTS = {
  /** Largest document read: feeds are tens to hundreds of kilobytes. */
  maxBytes: 2 * 1024 * 1024,
  /** Whole request, headers to last byte. */
  timeoutMs: 10_000,
  /** CPU time spent parsing one document (summed over its slices); a 1 MB hostile one takes well under 100 ms. */
  parseBudgetMs: 500,
  /** Characters parsed between two turns of the event loop (a few milliseconds of CPU at most). */
  sliceChars: 8 * 1024,
} as const;

export interface FeedFetchOptions {
  maxBytes?: number;
  timeoutMs?: number;
  parseBudgetMs?: number;
  sliceChars?: number;
  /** Milliseconds of CPU, for the parse budget (process.cpuUsage: another process's load does not count; a test
   * passes its own). */
  clock?: () => number;
}

/** The items of the feed at `url`; throws FeedRefusedError (too large, over budget, not a feed) or the fetch error. */
export async function fetchFeed(url: string, opts: FeedFetchOptions = {}): Promise<RssItem[]> {
  const o = { ...FEED_FETCH_DEFAULTS, ...opts };
  const clock = opts.clock ?? cpuMs;
  const abort = new AbortController();
  const res = await fetch(url, {
    headers: { accept: 'application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8' },
    signal: AbortSignal.any([abort.signal, AbortSignal.timeout(o.timeoutMs)]),
  });
  try {
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (declared > o.maxBytes) throw tooLarge(o.maxBytes);
    if (!res.body) throw new Error('no response body');
    const parser = new FeedParser();
    const decoder = new TextDecoder();
    let bytes = 0;
    let parseMs = 0;
    const parse = async (text: string): Promise<void> => {
      for (let i = 0; i < text.length && !parser.full; i += o.sliceChars) {
        const t0 = clock();
        parser.write(text.slice(i, i + o.sliceChars));
        parseMs += clock() - t0;
        if (parseMs > o.parseBudgetMs)
          throw new FeedRefusedError(`parsing took over its budget of ${o.parseBudgetMs} ms: refused`);
        await nextTurn();
      }
    };
    const reader = res.body.getReader();
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      const chunk = r.value;
      bytes += chunk.byteLength;
      if (bytes > o.maxBytes) throw tooLarge(o.maxBytes);
      await parse(decoder.decode(chunk, { stream: true }));
      // Enough items read: the rest of the document is not wanted.
      if (parser.full) break;
    }
    if (!parser.full) await parse(decoder.decode());
    return parser.end();
  } finally {
    // Whatever stopped the reading (a cap, a budget, an error, or enough items), the connection goes now.
    abort.abort();
  }
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

const tooLarge = (maxBytes: number): FeedRefusedError =>
  new FeedRefusedError(`feed too large: more than ${maxBytes} bytes, refused`);

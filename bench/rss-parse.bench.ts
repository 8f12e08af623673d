// What a hostile news feed does to the manager's event loop (issue 14 item 6). Run from the repo root:
//   npm run bench:rss-parse -- [mb=1]
// A local HTTP server serves documents of `mb` MB shaped against a regex reader (and a normal feed, and 10 MB ones).
// Each is read the old way — `res.text()` then the regex reader of b84b4a6, taken from git history — and the new way,
// `fetchFeed` (apps/bot-manager/src/manager/feed-fetch.ts). While each runs, `perf_hooks.monitorEventLoopDelay`
// records how late the event loop runs; printed: p99 and max lag, wall time, and what came of it. The old reader is
// run at 64 KB first: when that already takes over 250 ms it is not run on more (it is quadratic: 4× the size was
// ~16× the time) and the 1 MB figure is extrapolated. Numbers: docs/PERFORMANCE.md, "News feeds".
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { fetchFeed } from '@polybot/bot-manager/feed-fetch';
import { runMain } from './run-main.ts';

const [mb = 1] = process.argv.slice(2).map(Number);
const KB = 1024;
const OLD_COMMIT = 'b84b4a6';

const head = '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><link>https://x.test/</link>';
const item = (k: number): string =>
  `<item><title>Story ${k} about rates</title><guid>g${k}</guid><pubDate>Wed, 17 Jun 2026 18:00:00 GMT</pubDate><description><![CDATA[<p>${'Markets moved on the news. '.repeat(8)}</p>]]></description></item>`;
const repeat = (unit: string, bytes: number): string => unit.repeat(Math.max(1, Math.floor(bytes / unit.length)));

/** Document shapes by name, each `bytes` long (about). */
const SHAPES: Record<string, (bytes: number) => string> = {
  'normal feed (items)': (b) =>
    `${head}${Array.from({ length: Math.floor(b / 400) }, (_, k) => item(k)).join('')}</channel></rss>`,
  'items never closed': (b) => head + repeat('<item>', b),
  'item of unclosed children': (b) => `${head}<item>${repeat('<title>x', b)}`,
  'closing tags only': (b) => head + repeat('</item>', b),
  "'<' run in CDATA": (b) =>
    `${head}<item><guid>g</guid><description><![CDATA[${repeat('<', b)}]]></description></item></channel></rss>`,
  'unclosed comment': (b) => `${head}<!--${repeat('<item>', b)}`,
  "'&' runs": (b) => `${head}<item><guid>g</guid><title>${repeat('&aaaaaaaa', b)}</title></item></channel></rss>`,
  'tag of many attributes': (b) => `${head}<item ${repeat('a=b ', b)}><guid>g</guid></item></channel></rss>`,
  'tiny tags in a description': (b) =>
    `${head}<item><guid>g</guid><description>${repeat('<b>x</b>', b)}</description></item></channel></rss>`,
};

interface Run {
  p99: number;
  max: number;
  wall: number;
  outcome: string;
}

async function measure(f: () => Promise<string>): Promise<Run> {
  const h = monitorEventLoopDelay({ resolution: 5 });
  // The histogram caps what it records; the longest gap between two 5 ms ticks is measured here too.
  let last = performance.now();
  let maxGap = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last - 5);
    last = now;
  }, 5);
  // A first turn so the timers are armed before any synchronous work.
  await new Promise((r) => setTimeout(r, 10));
  h.enable();
  const t0 = performance.now();
  let outcome: string;
  try {
    outcome = await f();
  } catch (e) {
    outcome = `refused: ${(e as Error).message.slice(0, 70)}`;
  }
  const wall = performance.now() - t0;
  // One more turn so a block that just ended is recorded.
  await new Promise((r) => setTimeout(r, 10));
  h.disable();
  clearInterval(ticker);
  return { p99: h.percentile(99) / 1e6, max: Math.max(h.max / 1e6, maxGap), wall, outcome };
}

/** The old reader, taken from git history into a file beside this one (removed at the end). */
async function loadOldReader(): Promise<{ parse: (xml: string) => unknown[]; cleanup: () => void } | null> {
  const file = fileURLToPath(new URL('./.rss-regex-old.tmp.ts', import.meta.url));
  try {
    const source = execFileSync('git', ['show', `${OLD_COMMIT}:apps/bot-manager/src/manager/rss.ts`], {
      encoding: 'utf8',
    });
    writeFileSync(file, source);
    const mod = (await import(file)) as { parseRss: (xml: string) => unknown[] };
    return { parse: mod.parseRss, cleanup: () => rmSync(file, { force: true }) };
  } catch (e) {
    console.log(`old reader unavailable (needs the git history of ${OLD_COMMIT}): ${(e as Error).message}`);
    rmSync(file, { force: true });
    return null;
  }
}

const fmt = (r: Run): string =>
  `lag p99 ${r.p99.toFixed(0).padStart(6)} ms, max ${r.max.toFixed(0).padStart(6)} ms, wall ${r.wall.toFixed(0).padStart(6)} ms  ${r.outcome}`;

runMain(async () => {
  let body = '';
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' });
    res.end(body);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/feed.xml`;
  const old = await loadOldReader();
  const oldWay = async (): Promise<string> => {
    const res = await fetch(url);
    return `${old?.parse(await res.text()).length ?? '?'} items`;
  };
  const newWay = async (): Promise<string> => `${(await fetchFeed(url)).length} items`;
  try {
    const bytes = mb * KB * KB;
    for (const [name, make] of Object.entries(SHAPES)) {
      console.log(`${name}, ${mb} MB`);
      if (old) {
        body = make(64 * KB);
        const small = await measure(oldWay);
        if (small.wall > 250) {
          const est = (small.wall * (bytes / (64 * KB)) ** 2) / 1000;
          console.log(`  old, 64 KB: ${fmt(small)}`);
          console.log(`  old, ${mb} MB: not run (≈ ${est.toFixed(0)} s of a frozen loop, by the square of the size)`);
        } else {
          body = make(bytes);
          console.log(`  old:  ${fmt(await measure(oldWay))}`);
        }
      }
      body = make(bytes);
      console.log(`  new:  ${fmt(await measure(newWay))}`);
    }
    // 10 MB: the old way reads it all (only the normal feed is run: the others would freeze it for hours).
    for (const name of ['normal feed (items)', "'<' run in CDATA"] as const) {
      body = SHAPES[name]?.(10 * KB * KB) ?? '';
      console.log(`${name}, 10 MB`);
      if (old && name === 'normal feed (items)') console.log(`  old:  ${fmt(await measure(oldWay))}`);
      console.log(`  new:  ${fmt(await measure(newWay))}`);
    }
  } finally {
    old?.cleanup();
    server.close();
  }
});

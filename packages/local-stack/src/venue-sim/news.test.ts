// The simulator's news feeds: arb-rich's items served as RSS 2.0 per feed over real HTTP, only once published at
// scenario time and newest first; the outage control; scenario validation; a scenario without news serves none.
import { mkdtempSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNewsSim } from './news.ts';
import { loadScenario, SCENARIOS_DIR } from './scenario.ts';
import { startVenueSim, type VenueSim } from './server.ts';
import { venueSimForSuite } from '../../testing/venue-sim-suite.ts';

const items = (xml: string): Array<{ guid: string; title: string; pubDate: string }> =>
  [...xml.matchAll(/<item>([\s\S]*?)<\/item>/g)].map(([, body = '']) => ({
    guid: /<guid[^>]*>([^<]*)<\/guid>/.exec(body)?.[1] ?? '',
    title: /<title>([^<]*)<\/title>/.exec(body)?.[1] ?? '',
    pubDate: /<pubDate>([^<]*)<\/pubDate>/.exec(body)?.[1] ?? '',
  }));

describe('news feeds (arb-rich, scenario time standing still)', () => {
  let sim: VenueSim;
  venueSimForSuite('arb-rich', (s) => (sim = s));

  it('lists the news base and one RSS URL per feed', () => {
    expect(sim.urls.news).toBe(`${sim.origin}/news`);
    expect(sim.urls['news:fed']).toBe(`${sim.origin}/news/fed/rss.xml`);
    expect(sim.urls['news:ap']).toBe(`${sim.origin}/news/ap/rss.xml`);
  });

  it('serves only published items, newest first, as RSS 2.0 with RFC 822 dates', async () => {
    const res = await fetch(`${sim.origin}/news/fed/rss.xml`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/rss\+xml/);
    const xml = await res.text();
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<rss version="2.0">/);
    const before = items(xml);
    expect(before.map((i) => i.guid)).toEqual(['fed-june-cut-signal']);
    expect(before[0]?.pubDate).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);

    sim.advance(19_000);
    expect(items(await (await fetch(`${sim.origin}/news/fed/rss.xml`)).text())).toHaveLength(1);
    sim.advance(1_000);
    const after = items(await (await fetch(`${sim.origin}/news/fed/rss.xml`)).text());
    expect(after.map((i) => i.guid)).toEqual(['fed-unscheduled-meeting', 'fed-june-cut-signal']);
    // Dated at scenario start + atMs: 20 s apart.
    expect(Date.parse(after[0]?.pubDate ?? '') - Date.parse(after[1]?.pubDate ?? '')).toBe(20_000);
    // Feeds are separate.
    expect(items(await (await fetch(`${sim.origin}/news/ap/rss.xml`)).text()).map((i) => i.guid)).toEqual([
      'ap-bike-lanes',
    ]);
  });

  it('answers an unknown feed with 404, and a failing feed with the status asked for until cleared', async () => {
    expect((await fetch(`${sim.origin}/news/nope/rss.xml`)).status).toBe(404);
    const fail = await fetch(`${sim.origin}/_sim/news/fail`, {
      method: 'POST',
      body: JSON.stringify({ feed: 'ap', status: 500 }),
    });
    expect(fail.status).toBe(200);
    expect((await fetch(`${sim.origin}/news/ap/rss.xml`)).status).toBe(500);
    expect((await fetch(`${sim.origin}/news/fed/rss.xml`)).status).toBe(200);
    await fetch(`${sim.origin}/_sim/news/fail`, { method: 'POST', body: JSON.stringify({ feed: 'ap', status: null }) });
    expect((await fetch(`${sim.origin}/news/ap/rss.xml`)).status).toBe(200);
    expect(
      (
        await fetch(`${sim.origin}/_sim/news/fail`, {
          method: 'POST',
          body: JSON.stringify({ feed: 'nope', status: 500 }),
        })
      ).status,
    ).toBe(404);
    const stats = (await (await fetch(`${sim.origin}/_sim/stats`)).json()) as {
      news: { feeds: string[]; requests: Record<string, number> };
    };
    expect(stats.news.feeds).toEqual(['ap', 'fed']);
    expect(stats.news.requests.ap).toBeGreaterThanOrEqual(3);
  });
});

describe('news scenario files', () => {
  it('escapes text so a headline cannot break the XML', async () => {
    let t = 1_000_000;
    const news = createNewsSim(
      { items: [{ id: 'a&b', feed: 'x', headline: '<b>Rates & "more"</b>', body: "it's", atMs: 0 }] },
      { clock: () => t },
    );
    t += 1;
    news.advanceTo(t);
    expect(news.baseUrls('http://h')['news:x']).toBe('http://h/news/x/rss.xml');
    const dir = mkdtempSync(join(tmpdir(), 'news-'));
    copyFileSync(join(SCENARIOS_DIR, 'quiet', 'polymarket.json'), join(dir, 'polymarket.json'));
    writeFileSync(
      join(dir, 'news.json'),
      JSON.stringify({ items: [{ id: 'a&b', feed: 'x', headline: '<b>Rates & "more"</b>', body: "it's", atMs: 0 }] }),
    );
    const sim = await startVenueSim({ scenario: loadScenario(dir), autoAdvance: false });
    try {
      const xml = await (await fetch(`${sim.origin}/news/x/rss.xml`)).text();
      expect(xml).toContain('<title>&lt;b&gt;Rates &amp; &quot;more&quot;&lt;/b&gt;</title>');
      expect(xml).toContain('<guid isPermaLink="false">a&amp;b</guid>');
      expect(xml).toContain('<description>it&apos;s</description>');
    } finally {
      await sim.close();
    }
  });

  it('rejects malformed items (bad feed name, duplicate id, missing publish time)', () => {
    const ok = { id: 'a', feed: 'fed', headline: 'h', body: 'b', atMs: 0 };
    expect(() => createNewsSim({ items: [{ ...ok, feed: 'Bad Feed' }] }, { clock: Date.now })).toThrow(/feed names/);
    expect(() => createNewsSim({ items: [ok, ok] }, { clock: Date.now })).toThrow(/unique/);
    const { atMs: _, ...noTime } = ok;
    expect(() => createNewsSim({ items: [noTime] }, { clock: Date.now })).toThrow();
  });

  it('a scenario without news.json serves no feeds', async () => {
    const sim = await startVenueSim({ scenario: 'quiet', autoAdvance: false });
    try {
      expect(sim.news).toBeNull();
      expect(sim.urls.news).toBeUndefined();
      expect((await fetch(`${sim.origin}/news/fed/rss.xml`)).status).toBe(404);
    } finally {
      await sim.close();
    }
  });
});

// The feed reader against the shapes real feeds use: attributes, CDATA, entities, HTML descriptions, missing guid or
// date, comments, Atom; a document that is not RSS or Atom is an error, not an empty feed. And against hostile ones
// (issue 14 item 6): markup inside CDATA cannot forge an item, a DOCTYPE's entities are never expanded or fetched,
// depth and item count are capped, and 1 MB documents shaped to make a regex reader quadratic are read in one pass.
import { describe, expect, it } from 'vitest';
import { FEED_LIMITS, FeedParser, FeedRefusedError, parseFeed } from './rss.ts';

const doc = (items: string): string => `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>Feed &amp; co</title><link>https://x.test/</link>
${items}
</channel></rss>`;

describe('parseFeed', () => {
  it('reads guid, title, description and an RFC 822 pubDate, in document order', () => {
    const items = parseFeed(
      doc(`
      <item><title>Fed cuts rates</title><description>Quarter point.</description><guid isPermaLink="false">a1</guid>
        <pubDate>Wed, 17 Jun 2026 18:00:00 GMT</pubDate></item>
      <item>
        <title><![CDATA[Jobs <report> & more]]></title>
        <link>https://x.test/2</link>
        <description>&lt;p&gt;Payrolls rose &amp;amp; wages&#160;too &#x2014; a lot&lt;/p&gt;</description>
        <guid>https://x.test/2</guid>
        <pubDate>Wed, 17 Jun 2026 14:00:00 -0400</pubDate>
      </item>`),
    );
    expect(items).toEqual([
      { guid: 'a1', title: 'Fed cuts rates', description: 'Quarter point.', publishedAtMs: Date.UTC(2026, 5, 17, 18) },
      {
        guid: 'https://x.test/2',
        title: 'Jobs <report> & more',
        description: 'Payrolls rose &amp; wages too — a lot',
        publishedAtMs: Date.UTC(2026, 5, 17, 18),
      },
    ]);
  });

  it('falls back to the link, then title + date, for identity; a missing or bad date is null; empty items are skipped', () => {
    const items = parseFeed(
      doc(`
      <item><title>No guid</title><link>https://x.test/n</link><pubDate>not a date</pubDate></item>
      <item><title>Only a title</title></item>
      <item><description>nothing to call it</description></item>
      <!-- <item><title>commented out</title><guid>c</guid></item> -->
      <item><guid/><title>Empty guid</title><link>https://x.test/e</link></item>`),
    );
    expect(items.map((i) => [i.guid, i.publishedAtMs])).toEqual([
      ['https://x.test/n', null],
      ['Only a title|', null],
      ['https://x.test/e', null],
    ]);
  });

  it('an empty channel is an empty feed; a document that is not RSS throws', () => {
    expect(parseFeed(doc(''))).toEqual([]);
    expect(() => parseFeed('<html><body>502 Bad Gateway</body></html>')).toThrow(/not an RSS 2.0 or Atom document/);
    expect(() => parseFeed('{"items":[]}')).toThrow(/not an RSS/);
  });

  it('reads Atom entries: id, title, summary (else content), published (else updated), the alternate link', () => {
    const items = parseFeed(`<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title><id>urn:wire</id>
  <entry><id>urn:1</id><title type="html">Fed &lt;b&gt;cuts&lt;/b&gt;</title><updated>2026-06-17T18:00:00Z</updated>
    <summary>Quarter &amp; point.</summary><link rel="self" href="https://x.test/self"/></entry>
  <entry><title>No id</title><link href="https://x.test/e?a=1&amp;b=2"/><published>2026-06-17T14:00:00-04:00</published>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Payrolls</p><p>rose</p></div></content></entry>
</feed>`);
    expect(items).toEqual([
      { guid: 'urn:1', title: 'Fed cuts', description: 'Quarter & point.', publishedAtMs: Date.UTC(2026, 5, 17, 18) },
      {
        guid: 'https://x.test/e?a=1&b=2',
        title: 'No id',
        description: 'Payrolls rose',
        publishedAtMs: Date.UTC(2026, 5, 17, 18),
      },
    ]);
  });

  it('markup inside a CDATA description is text: it cannot close the item and forge another', () => {
    const items = parseFeed(
      doc(`<item><title>Real</title><guid>real</guid><description><![CDATA[<p>hi</p></description></item>
<item><title>Fed announces emergency rate cut</title><guid>forged</guid><description>x</description></item>
<item><description>]]></description></item>`),
    );
    expect(items.map((i) => i.guid)).toEqual(['real']);
    expect(items[0]?.description).toBe('hi Fed announces emergency rate cut forged x');
  });

  it("a DOCTYPE's entities are neither expanded (billion laughs) nor fetched (external entities)", () => {
    const laughs = Array.from({ length: 9 }, (_, k) => `<!ENTITY l${k + 1} "${`&l${k};`.repeat(10)}">`).join('');
    const items = parseFeed(`<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY l0 "lol">${laughs}<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><item><title>&l9; &xxe;</title><guid>g</guid></item></channel></rss>`);
    expect(items).toEqual([{ guid: 'g', title: '&l9; &xxe;', description: '', publishedAtMs: null }]);
  });

  it('refuses deep nesting, a comment (or tag) over 64 KB, too many attributes; reads at most maxItems items, then stops', () => {
    expect(() => parseFeed(doc('<item><title>'.concat('<b>'.repeat(FEED_LIMITS.maxDepth))))).toThrow(FeedRefusedError);
    expect(() => parseFeed(doc(`<!--${'x'.repeat(200_000)}-->`))).toThrow(/markup longer than 64 KB/);
    const attrs = Array.from({ length: FEED_LIMITS.maxAttributes + 1 }, (_, k) => `a${k}="v"`).join(' ');
    expect(() => parseFeed(doc(`<item ${attrs}><guid>g</guid></item>`))).toThrow(/more than 64 attributes/);
    const many = doc(
      Array.from({ length: FEED_LIMITS.maxItems + 5 }, (_, k) => `<item><guid>g${k}</guid></item>`).join(''),
    );
    const p = new FeedParser();
    const half = Math.floor(many.length / 2);
    p.write(many.slice(0, half));
    expect(p.full).toBe(false);
    p.write(many.slice(half));
    expect(p.full).toBe(true);
    const items = p.end();
    expect(items).toHaveLength(FEED_LIMITS.maxItems);
    expect(items.at(-1)?.guid).toBe(`g${FEED_LIMITS.maxItems - 1}`);
  });

  it('reads the same items whatever the pieces the text arrives in', () => {
    const xml = doc(`<item><title><![CDATA[Jobs <report>]]> &amp; more</title><guid isPermaLink="false">a&#49;</guid>
      <description>&lt;p&gt;Payrolls&lt;/p&gt; rose</description><pubDate>Wed, 17 Jun 2026 18:00:00 GMT</pubDate></item>`);
    const whole = parseFeed(xml);
    expect(whole).toEqual([
      {
        guid: 'a1',
        title: 'Jobs <report> & more',
        description: 'Payrolls rose',
        publishedAtMs: Date.UTC(2026, 5, 17, 18),
      },
    ]);
    for (let cut = 1; cut < xml.length; cut++) {
      const p = new FeedParser();
      p.write(xml.slice(0, cut));
      p.write(xml.slice(cut));
      expect(p.end()).toEqual(whole);
    }
  });

  // Shapes that made the regex reader scan to the end of the document from each of many starting points.
  const MB = 1 << 20;
  const head = doc('').replace('</channel></rss>', '');
  const hostile: Record<string, string> = {
    'items never closed': head + '<item>'.repeat(MB / 6),
    'closing tags only': head + '</item>'.repeat(MB / 7),
    'an item of unclosed children': `${head}<item>${'<title>x'.repeat(MB / 8)}`,
    "'<' without '>' in a description": `${head}<item><guid>g</guid><description><![CDATA[${'<'.repeat(MB)}]]></description></item></channel></rss>`,
    'an unclosed comment': `${head}<!--${'<item>'.repeat(MB / 6)}`,
    'an unclosed CDATA': `${head}<item><description><![CDATA[${'</item><item>'.repeat(MB / 13)}`,
    "'&' runs": `${head}<item><guid>g</guid><title>${'&aaaaaaaa'.repeat(MB / 9)}</title></item></channel></rss>`,
    'one tag of many attributes': `${head}<item ${'a=b '.repeat(MB / 4)}><guid>g</guid></item></channel></rss>`,
    'tiny tags in a description': `${head}<item><guid>g</guid><description>${'<b>x</b>'.repeat(MB / 8)}</description></item></channel></rss>`,
  };
  it.each(Object.entries(hostile))('a 1 MB document of %s is read in one pass (items, or refused)', (_, xml) => {
    expect(xml.length).toBeGreaterThanOrEqual(MB - 16);
    let out: unknown;
    try {
      out = parseFeed(xml);
    } catch (e) {
      out = e;
    }
    if (out instanceof Error) expect(out).toBeInstanceOf(FeedRefusedError);
    else
      expect(Array.isArray(out) && out.every((i: { description: string }) => i.description.length <= 20_000)).toBe(
        true,
      );
  });
});

// The RSS reader against the shapes real feeds use: attributes, CDATA, entities, HTML descriptions, missing guid or
// date, comments; and a document that is not RSS is an error, not an empty feed.
import { describe, expect, it } from 'vitest';
import { parseRss } from './rss.ts';

const doc = (items: string): string => `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>Feed &amp; co</title><link>https://x.test/</link>
${items}
</channel></rss>`;

describe('parseRss', () => {
  it('reads guid, title, description and an RFC 822 pubDate, in document order', () => {
    const items = parseRss(
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
    const items = parseRss(
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
    expect(parseRss(doc(''))).toEqual([]);
    expect(() => parseRss('<html><body>502 Bad Gateway</body></html>')).toThrow(/not an RSS 2.0 document/);
    expect(() => parseRss('{"items":[]}')).toThrow(/not an RSS/);
  });
});

// A small RSS 2.0 reader: the <item>s of a feed with guid, title, description and pubDate. Newswires and central
// banks publish RSS with a flat, fixed item shape, so a full XML parser (and a dependency) buys nothing here; what a
// real feed does throw at a reader is handled: CDATA sections, entities (named and numeric), attributes on tags,
// HTML inside descriptions, and items without a guid or date. The result is validated like every other boundary.
import { z } from 'zod';

export const RssItemSchema = z.object({
  /** The guid, else the link, else title + date: what identifies the item across polls. */
  guid: z.string().min(1).max(2000),
  title: z.string().max(1000),
  description: z.string().max(20_000),
  /** pubDate parsed (RFC 822); null when absent or unreadable. */
  publishedAtMs: z.number().int().nullable(),
});
export type RssItem = z.infer<typeof RssItemSchema>;

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);/g, (whole, e: string) => {
    if (e.startsWith('#x') || e.startsWith('#X')) return safeCodePoint(parseInt(e.slice(2), 16)) ?? whole;
    if (e.startsWith('#')) return safeCodePoint(parseInt(e.slice(1), 10)) ?? whole;
    return NAMED[e] ?? whole;
  });
}

function safeCodePoint(n: number): string | null {
  return Number.isInteger(n) && n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : null;
}

/** Element text: CDATA kept verbatim, everything else entity-decoded. */
function textOf(raw: string): string {
  let out = '';
  const re = /<!\[CDATA\[([\s\S]*?)\]\]>/g;
  let last = 0;
  for (let m = re.exec(raw); m !== null; m = re.exec(raw)) {
    out += decodeEntities(raw.slice(last, m.index)) + (m[1] ?? '');
    last = m.index + m[0].length;
  }
  return out + decodeEntities(raw.slice(last));
}

/** Descriptions often carry HTML: keywords are matched against its words, not its markup. */
const plain = (html: string): string =>
  html
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

function child(item: string, tag: string): string | null {
  const m = new RegExp(`<${tag}(?:\\s[^>]*)?(?:/>|>([\\s\\S]*?)</${tag}\\s*>)`, 'i').exec(item);
  if (!m) return null;
  return textOf(m[1] ?? '').trim();
}

/** Every item of an RSS 2.0 document, in document order. Throws on a document that is not RSS. */
export function parseRss(xml: string): RssItem[] {
  // Comments could hide or fake items.
  const doc = xml.replace(/<!--[\s\S]*?-->/g, '');
  if (!/<rss[\s>]/i.test(doc) || !/<channel[\s>]/i.test(doc))
    throw new Error('not an RSS 2.0 document (no <rss> with a <channel>)');
  const items: RssItem[] = [];
  for (const m of doc.matchAll(/<item(?:\s[^>]*)?>([\s\S]*?)<\/item\s*>/gi)) {
    const body = m[1] ?? '';
    // Titles are plain text by the spec (a literal '<' in one is text); descriptions are routinely HTML.
    const title = (child(body, 'title') ?? '').replace(/\s+/g, ' ');
    const description = plain(child(body, 'description') ?? '');
    const pubDate = child(body, 'pubDate');
    const parsed = pubDate ? Date.parse(pubDate) : NaN;
    const publishedAtMs = Number.isFinite(parsed) ? parsed : null;
    const guid = child(body, 'guid') || child(body, 'link') || (title ? `${title}|${pubDate ?? ''}` : '');
    // An item with nothing to identify or read is skipped, not fatal: one bad entry must not blind the whole feed.
    const r = RssItemSchema.safeParse({
      guid,
      title: title.slice(0, 1000),
      description: description.slice(0, 20_000),
      publishedAtMs,
    });
    if (r.success) items.push(r.data);
  }
  return items;
}

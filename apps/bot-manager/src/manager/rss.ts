// Reading a news feed, which is hostile input (issue 14 item 6): RSS 2.0 (<rss><channel><item>) and Atom
// (<feed><entry>), items with guid, title, description and date. A streaming XML parser (sax, non-strict like a
// browser: real feeds are often not well-formed) reads the document as its bytes arrive, so markup inside a CDATA
// section or a comment is text and can never open an item, and every cost is bounded while reading: nesting depth,
// items per document, characters kept per field, attributes per element, 64 KB for any one comment, tag or DOCTYPE. Entities: XML's and HTML's named ones and numeric references are
// decoded; a DOCTYPE is never read for definitions, so there are no external entities and nothing to expand. Bytes
// and time are capped by the caller (feed-fetch.ts). The result is validated like every other boundary.
import sax from 'sax';
import { z } from 'zod';

export const RssItemSchema = z.object({
  /** The guid (Atom: id), else the link, else title + date: what identifies the item across polls. */
  guid: z.string().min(1).max(2000),
  title: z.string().max(1000),
  description: z.string().max(20_000),
  /** pubDate (RFC 822; Atom: published, else updated, ISO 8601) parsed; null when absent or unreadable. */
  publishedAtMs: z.number().int().nullable(),
});
export type RssItem = z.infer<typeof RssItemSchema>;

export const FEED_LIMITS = {
  /** Elements open at once: feeds nest four or five deep; HTML inside a description a few more. */
  maxDepth: 64,
  /** Items read from one document (a feed lists its last few dozen); the rest are not read at all. */
  maxItems: 1000,
  /** Characters kept of one field before tags are stripped: a description is kept to 20,000 characters of text. */
  maxFieldChars: 100_000,
  /** Attributes on one element (feeds use a handful). */
  maxAttributes: 64,
} as const;

/** A document refused while reading it: nothing of it is used. */
export class FeedRefusedError extends Error {
  override readonly name = 'FeedRefusedError';
}

type Kind = 'rss' | 'atom';

/** The item fields read, by element name (lowercase); the first of each counts. */
const FIELDS: Record<Kind, ReadonlySet<string>> = {
  rss: new Set(['title', 'description', 'pubdate', 'guid', 'link']),
  atom: new Set(['id', 'title', 'summary', 'content', 'published', 'updated', 'link']),
};

/** Descriptions carry HTML: keywords are matched against its words, not its markup. Linear whatever the input. */
export function stripTags(html: string): string {
  let out = '';
  let i = 0;
  while (i < html.length) {
    const open = html.indexOf('<', i);
    if (open < 0) break;
    const close = html.indexOf('>', open + 1);
    // No '>' after this '<' means none after any later '<' either: the rest is text.
    if (close < 0) break;
    out += `${html.slice(i, open)} `;
    i = close + 1;
  }
  return (out + html.slice(i)).replace(/\s+/g, ' ').trim();
}

interface OpenItem {
  depth: number;
  fields: Map<string, string>;
  /** Atom: the entry's link (rel alternate or none). */
  href: string | null;
  /** Atom: fields whose type is html/xhtml (their text is markup). */
  html: Set<string>;
  /** The field being read, and the depth of its element. */
  field: { name: string; depth: number } | null;
}

/**
 * A feed document read piece by piece: `write` as text arrives, `end` for the items. `full` turns true when
 * FEED_LIMITS.maxItems items were read (the caller may stop reading). Throws FeedRefusedError past a limit and when the
 * document is not RSS 2.0 or Atom.
 */
export class FeedParser {
  private readonly parser = sax.parser(false, { lowercase: true, trim: false, normalize: false });
  private readonly items: RssItem[] = [];
  private kind: Kind | null = null;
  private sawRoot = false;
  private sawChannel = false;
  private depth = 0;
  private parent: string[] = [];
  private item: OpenItem | null = null;
  private attributes = 0;

  constructor() {
    const p = this.parser;
    p.onerror = (e) => {
      // sax flushes text and CDATA every 64 KB, and flags any other construct (a comment, a tag, an attribute value,
      // a DOCTYPE) grown past that: no feed needs one, and holding it costs the manager long GC pauses.
      if (e.message.startsWith('Max buffer length exceeded'))
        throw new FeedRefusedError(`markup longer than 64 KB (${e.message.split('\n')[0]})`);
      // Otherwise, non-strict reading: an error (a stray '&', an unquoted attribute) is noted and reading goes on.
      p.resume();
    };
    p.onopentagstart = () => {
      this.attributes = 0;
    };
    p.onattribute = () => {
      if (++this.attributes > FEED_LIMITS.maxAttributes)
        throw new FeedRefusedError(`an element with more than ${FEED_LIMITS.maxAttributes} attributes`);
    };
    p.onopentag = (tag) => this.open(tag.name, tag.attributes as Record<string, string>);
    p.onclosetag = () => this.close();
    p.ontext = (t) => this.text(t);
    p.oncdata = (t) => this.text(t);
  }

  get full(): boolean {
    return this.items.length >= FEED_LIMITS.maxItems;
  }

  write(chunk: string): void {
    if (!this.full) this.parser.write(chunk);
  }

  end(): RssItem[] {
    if (!this.full) this.parser.close();
    if (!this.kind || (this.kind === 'rss' && !this.sawChannel))
      throw new FeedRefusedError('not an RSS 2.0 or Atom document (no <rss> with a <channel>, no <feed>)');
    return this.items;
  }

  private open(name: string, attrs: Record<string, string>): void {
    this.depth++;
    if (this.depth > FEED_LIMITS.maxDepth)
      throw new FeedRefusedError(`elements nested deeper than ${FEED_LIMITS.maxDepth}`);
    const parent = this.parent[this.parent.length - 1];
    this.parent.push(name);
    if (!this.sawRoot) {
      this.sawRoot = true;
      this.kind = name === 'rss' ? 'rss' : name === 'feed' || name.endsWith(':feed') ? 'atom' : null;
      if (!this.kind) throw new FeedRefusedError(`not an RSS 2.0 or Atom document (root <${name.slice(0, 40)}>)`);
      return;
    }
    if (this.kind === 'rss' && name === 'channel' && this.depth === 2) this.sawChannel = true;
    const it = this.item;
    if (!it) {
      const startsItem =
        this.kind === 'rss' ? name === 'item' && parent === 'channel' : localName(name) === 'entry' && this.depth === 2;
      if (startsItem && !this.full)
        this.item = { depth: this.depth, fields: new Map(), href: null, html: new Set(), field: null };
      return;
    }
    if (it.field) {
      this.append(' '); // an element inside a field (HTML) separates words, as a tag stripped would
      return;
    }
    if (this.depth !== it.depth + 1) return;
    const field = this.kind === 'atom' ? localName(name) : name;
    if (!FIELDS[this.kind ?? 'rss'].has(field) || it.fields.has(field)) return;
    if (this.kind === 'atom' && field === 'link') {
      const rel = attrs.rel ?? 'alternate';
      if (rel === 'alternate' && it.href === null && attrs.href) it.href = attrs.href.trim().slice(0, 4000);
      return;
    }
    if (this.kind === 'atom' && (attrs.type === 'html' || attrs.type === 'xhtml')) it.html.add(field);
    it.fields.set(field, '');
    it.field = { name: field, depth: this.depth };
  }

  private close(): void {
    const it = this.item;
    if (it?.field && it.field.depth === this.depth) it.field = null;
    else if (it?.field) this.append(' ');
    if (it && it.depth === this.depth) {
      this.item = null;
      this.finish(it);
    }
    this.parent.pop();
    this.depth--;
  }

  private text(t: string): void {
    if (this.item?.field) this.append(t);
  }

  private append(t: string): void {
    const it = this.item;
    if (!it?.field) return;
    const now = it.fields.get(it.field.name) ?? '';
    if (now.length < FEED_LIMITS.maxFieldChars)
      it.fields.set(it.field.name, now + t.slice(0, FEED_LIMITS.maxFieldChars - now.length));
  }

  private finish(it: OpenItem): void {
    const f = (name: string): string | null => {
      const v = it.fields.get(name);
      if (v === undefined) return null;
      return it.html.has(name) ? stripTags(v) : v.trim();
    };
    const atom = this.kind === 'atom';
    // Titles are plain text by the spec (a literal '<' in one is text); descriptions are routinely HTML.
    const title = (f('title') ?? '').replace(/\s+/g, ' ');
    const description = stripTags((atom ? (f('summary') ?? f('content')) : it.fields.get('description')) ?? '');
    const date = atom ? f('published') || f('updated') : f('pubdate');
    const parsed = date ? Date.parse(date) : NaN;
    const link = atom ? it.href : f('link');
    const guid = (atom ? f('id') : f('guid')) || link || (title ? `${title}|${date ?? ''}` : '');
    // An item with nothing to identify or read is skipped, not fatal: one bad entry must not blind the whole feed.
    const r = RssItemSchema.safeParse({
      guid,
      title: title.slice(0, 1000),
      description: description.slice(0, 20_000),
      publishedAtMs: Number.isFinite(parsed) ? parsed : null,
    });
    if (r.success) this.items.push(r.data);
  }
}

const localName = (name: string): string => name.slice(name.indexOf(':') + 1);

/** Every item of a whole RSS 2.0 or Atom document, in document order (at most FEED_LIMITS.maxItems). */
export function parseFeed(xml: string): RssItem[] {
  const p = new FeedParser();
  // In pieces, as from the network: sax checks its buffers once per piece.
  for (let i = 0; i < xml.length && !p.full; i += 8192) p.write(xml.slice(i, i + 8192));
  return p.end();
}

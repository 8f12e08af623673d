// NewsIndex: each item's text is prepared once, whatever the number of rules and lookups; a rule is matched against
// the kept items only when its feed/keywords are new; and what it answers is what a scan of every (rule, item) with
// ruleMatches answers (property), through adds, replacements, deletions and rule changes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NewsIndex, prepareText, ruleMatches, type NewsItem, type NewsRule } from './news-match.ts';

const NOW = 1_800_000_000_000;
const rule = (id: string, keywords: string[], over: Partial<NewsRule> = {}): NewsRule => ({
  id,
  feed: 'wire',
  keywords,
  instrumentId: 'x',
  maxPrice: 0.5,
  confidence: 0.6,
  windowMs: 60_000,
  ...over,
});
const item = (id: string, headline: string, over: Partial<NewsItem> = {}): NewsItem => ({
  id,
  feed: 'wire',
  headline,
  body: '',
  publishedAtMs: NOW - 1000,
  ...over,
});

function countingIndex(): { index: NewsIndex; prepared: () => number } {
  let n = 0;
  const index = new NewsIndex({
    prepare: (i) => {
      n++;
      return prepareText(i);
    },
  });
  return { index, prepared: () => n };
}

describe('NewsIndex', () => {
  it('prepares each item once, however many rules, lookups and rule changes', () => {
    const { index, prepared } = countingIndex();
    const rules = Array.from({ length: 50 }, (_, r) => rule(`r${r}`, [`never${r}`, `no such phrase ${r}`]));
    index.setRules(rules);
    for (let i = 0; i < 30; i++) index.add(`k${i}`, item(`i${i}`, `headline ${i} about rates`));
    for (let update = 0; update < 100; update++) for (const r of rules) expect(index.newest(r, NOW)).toBeUndefined();
    // A rule change re-matches the kept items against the new keywords, from their prepared text.
    const rates = rule('rates', ['rates']);
    index.setRules([...rules, rates]);
    expect(index.newest(rates, NOW)?.id).toBe('i0');
    expect(prepared()).toBe(30);
    // A replaced item (same key, new text) is prepared again: its text may differ.
    index.add('k0', item('i0', 'nothing here'));
    expect(prepared()).toBe(31);
    expect(index.newest(rates, NOW)?.id).toBe('i1');
  });

  it('answers what a scan of every item with ruleMatches answers (newest unseen in the window; ties to the first come)', () => {
    const word = fc.constantFrom('fed', 'rate', 'cut', 'hike', 'Powell', 'rates', 'jobs');
    const text = fc.array(word, { maxLength: 6 }).map((ws) => ws.join(' '));
    const ruleArb = fc.record({
      id: fc.constantFrom('a', 'b', 'c'),
      feed: fc.constantFrom('wire', 'ap'),
      keywords: fc.array(fc.oneof(word, fc.constantFrom('rate cut', 'fed hike')), { maxLength: 3 }),
      match: fc.constantFrom('any' as const, 'all' as const),
      windowMs: fc.constantFrom(0, 1500, 3000, 5000),
    });
    const itemArb = fc.record({
      key: fc.constantFrom('k1', 'k2', 'k3', 'k4', 'k5'),
      id: fc.constantFrom('i1', 'i2', 'i3'),
      feed: fc.constantFrom('wire', 'ap'),
      headline: text,
      body: text,
      // Few distinct times, so ties (and their order) are common.
      publishedAtMs: fc.constantFrom(NOW - 6000, NOW - 3000, NOW - 1000, NOW, NOW + 10),
    });
    const step = fc.oneof(
      fc.record({ add: itemArb }),
      fc.record({ del: fc.constantFrom('k1', 'k2', 'k3', 'k4', 'k5') }),
      fc.record({ rules: fc.array(ruleArb, { maxLength: 4 }) }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 25 }), fc.subarray(['a:i1', 'b:i2', 'c:i3']), (steps, seenList) => {
        const index = new NewsIndex();
        const kept = new Map<string, NewsItem>();
        let rules: NewsRule[] = [];
        const seen = new Set(seenList);
        for (const s of steps) {
          if ('add' in s) {
            const { key, ...i } = s.add;
            index.add(key, i);
            kept.set(key, i);
          } else if ('del' in s) {
            index.delete(s.del);
            kept.delete(s.del);
          } else {
            rules = s.rules.map((r) => ({ ...r, maxPrice: 0.5, confidence: 0.6 }));
            index.setRules(rules);
          }
          for (const r of rules) {
            let expected: NewsItem | undefined;
            for (const i of kept.values())
              if (
                !seen.has(`${r.id}:${i.id}`) &&
                ruleMatches(r, i, NOW) &&
                (!expected || i.publishedAtMs > expected.publishedAtMs)
              )
                expected = i;
            expect(index.newest(r, NOW, seen)).toBe(expected);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

// Proposes cross-venue market links for an admin to review. It never approves anything: its output is shaped as
// candidates, and every strategy only reads links stored with `approved: true`.
//
// Score (0..1) = 0.6 × title similarity (Jaccard of normalized word sets: lowercase, punctuation and common words
// dropped, plural "s" trimmed) + 0.25 × close-date proximity (1 on the same day, falling linearly to 0 at
// `maxDateDiffDays`; 0.5 when a date is unknown) + 0.15 × number agreement (thresholds, dates and counts in the
// titles: 1 when equal sets, their Jaccard otherwise, 0.5 when neither has numbers). Number mismatch is the usual
// sign of "same topic, different proposition" (25 bps vs 50 bps), hence its own term.
import type { Instrument, MarketLink, VenueId } from '@polybot/schemas';

export interface LinkCandidate {
  aVenue: VenueId;
  aMarketId: string;
  bVenue: VenueId;
  bMarketId: string;
  relation: 'equivalent';
  score: number;
  reasons: string[];
}

export interface MatcherOptions {
  minScore?: number;
  maxDateDiffDays?: number;
  /** Pairs already linked (approved or not) are not proposed again. */
  existing?: readonly MarketLink[];
  /** Candidates kept per Polymarket market. */
  perMarket?: number;
}

const STOP = new Set(
  'a an the of in on at to by for from with and or will be is are was were this that after before than more less over under what who which how when does do did ever any between end yes no market'.split(
    ' ',
  ),
);

interface Prepared {
  ins: Instrument;
  words: Set<string>;
  numbers: Set<string>;
  closeMs: number | null;
}

function prepare(ins: Instrument): Prepared {
  const text = `${ins.title} ${ins.outcome}`.toLowerCase().replace(/[’']/g, '');
  const words = new Set<string>();
  const numbers = new Set<string>();
  for (const m of text.matchAll(/\d+(?:\.\d+)?/g)) numbers.add(String(Number(m[0])));
  for (const raw of text.split(/[^\p{L}\p{N}.]+/u)) {
    const w = raw.replace(/\.$/, '');
    if (w.length < 2 || STOP.has(w) || /^\d/.test(w)) continue;
    words.add(w.length > 3 && w.endsWith('s') ? w.slice(0, -1) : w);
  }
  const closeMs = ins.closeTime ? Date.parse(ins.closeTime) : NaN;
  return { ins, words, numbers, closeMs: Number.isFinite(closeMs) ? closeMs : null };
}

function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): { score: number; shared: string[] } {
  const shared = [...a].filter((x) => b.has(x));
  const union = a.size + b.size - shared.length;
  return { score: union === 0 ? 0 : shared.length / union, shared };
}

export function proposeLinks(
  polymarket: readonly Instrument[],
  kalshi: readonly Instrument[],
  options: MatcherOptions = {},
): LinkCandidate[] {
  const minScore = options.minScore ?? 0.55;
  const maxDays = options.maxDateDiffDays ?? 7;
  const perMarket = options.perMarket ?? 3;
  const linked = new Set(
    (options.existing ?? []).flatMap((l) => [
      `${l.aVenue}:${l.aMarketId}|${l.bVenue}:${l.bMarketId}`,
      `${l.bVenue}:${l.bMarketId}|${l.aVenue}:${l.aMarketId}`,
    ]),
  );
  const yesOnly = (xs: readonly Instrument[]) => xs.filter((i) => i.side === 'yes' && i.active).map(prepare);
  const ks = yesOnly(kalshi);
  // Inverted index word → Kalshi markets, so each Polymarket market is compared only with markets sharing a word.
  // Blocking uses the distinctive words only (in at most max(20, 5 %) of markets; else the two rarest), so words
  // like "price" or "win" do not pair everything with everything. Scoring still uses all words.
  const byWord = new Map<string, Prepared[]>();
  for (const k of ks) for (const w of k.words) (byWord.get(w) ?? byWord.set(w, []).get(w))?.push(k);
  const maxDf = Math.max(20, Math.ceil(ks.length * 0.05));
  const blockingWords = (words: ReadonlySet<string>): string[] => {
    const known = [...words].filter((w) => byWord.has(w));
    const rare = known.filter((w) => (byWord.get(w)?.length ?? 0) <= maxDf);
    if (rare.length > 0) return rare;
    return known.sort((a, b) => (byWord.get(a)?.length ?? 0) - (byWord.get(b)?.length ?? 0)).slice(0, 2);
  };

  const out: LinkCandidate[] = [];
  for (const p of yesOnly(polymarket)) {
    const seen = new Set<Prepared>();
    for (const w of blockingWords(p.words)) for (const k of byWord.get(w) ?? []) seen.add(k);
    const mine: LinkCandidate[] = [];
    for (const k of seen) {
      if (linked.has(`polymarket:${p.ins.marketId}|kalshi:${k.ins.marketId}`)) continue;
      const title = jaccard(p.words, k.words);
      const days = p.closeMs !== null && k.closeMs !== null ? Math.abs(p.closeMs - k.closeMs) / 86_400_000 : null;
      const date = days === null ? 0.5 : Math.max(0, 1 - days / maxDays);
      const nums =
        p.numbers.size === 0 && k.numbers.size === 0 ? { score: 0.5, shared: [] } : jaccard(p.numbers, k.numbers);
      const score = Math.round((0.6 * title.score + 0.25 * date + 0.15 * nums.score) * 1e6) / 1e6;
      if (score < minScore) continue;
      mine.push({
        aVenue: 'polymarket',
        aMarketId: p.ins.marketId,
        bVenue: 'kalshi',
        bMarketId: k.ins.marketId,
        relation: 'equivalent',
        score,
        reasons: [
          `title similarity ${title.score.toFixed(2)} (shared: ${title.shared.join(', ')})`,
          days === null ? 'close date unknown on one side' : `close dates ${days.toFixed(1)} days apart`,
          p.numbers.size + k.numbers.size === 0
            ? 'no numbers in either title'
            : `numbers ${[...p.numbers].join('/') || '-'} vs ${[...k.numbers].join('/') || '-'}`,
        ],
      });
    }
    mine.sort((x, y) => y.score - x.score);
    out.push(...mine.slice(0, perMarket));
  }
  return out.sort((x, y) => y.score - x.score || (x.aMarketId < y.aMarketId ? -1 : 1));
}

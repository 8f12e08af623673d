// The one check behind "each user has exactly one runner": given when each runner of each user was seen doing
// something (alive in a /proc sample, or sending a request signed with the user's key), report every pair of
// different runners of one user whose spans overlap. Spans are inclusive and built from observations only, so an
// observed span is never longer than the real one: an overlap reported here really happened (no false alarm), and
// two runners seen in one sample always overlap.

/** One runner's observed span for one user (ms on the test's clock). */
export interface RunnerSpan {
  userId: string;
  /** Whatever tells two runners apart (a pid with its start time). */
  runner: string;
  from: number;
  to: number;
}

export interface Overlap {
  userId: string;
  a: RunnerSpan;
  b: RunnerSpan;
}

/** Spans from point observations: each (user, runner) from its first to its last observation. */
export function spansOf(events: Iterable<{ userId: string; runner: string; atMs: number }>): RunnerSpan[] {
  const spans = new Map<string, RunnerSpan>();
  for (const e of events) {
    const k = `${e.userId}\0${e.runner}`;
    const s = spans.get(k);
    if (!s) spans.set(k, { userId: e.userId, runner: e.runner, from: e.atMs, to: e.atMs });
    else {
      s.from = Math.min(s.from, e.atMs);
      s.to = Math.max(s.to, e.atMs);
    }
  }
  return [...spans.values()];
}

/** Every pair of different runners of one user whose spans share an instant. */
export function overlappingRunners(spans: readonly RunnerSpan[]): Overlap[] {
  const byUser = new Map<string, RunnerSpan[]>();
  for (const s of spans) byUser.set(s.userId, [...(byUser.get(s.userId) ?? []), s]);
  const out: Overlap[] = [];
  for (const [userId, list] of byUser) {
    const sorted = [...list].sort((x, y) => x.from - y.from);
    for (let i = 0; i < sorted.length; i++)
      for (let j = i + 1; j < sorted.length; j++) {
        const a = sorted[i];
        const b = sorted[j];
        if (!a || !b || b.from > a.to) break;
        if (a.runner !== b.runner) out.push({ userId, a, b });
      }
  }
  return out;
}

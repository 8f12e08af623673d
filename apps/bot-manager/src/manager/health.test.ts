// The readiness report's rules: an outage keeps the time it began however its reason changes, and a 503 says in words
// which check failed and since when. The checks against a real database and manager are in test/health.test.ts.
import { describe, expect, it } from 'vitest';
import { nextCheckState, readiness, type CheckState } from './health.ts';

const T0 = Date.parse('2026-12-05T08:00:00.000Z');
const up: CheckState = { ok: true, since: T0, detail: 'fine' };

describe('nextCheckState', () => {
  it('starts a new since when ok flips, and keeps it while only the detail changes', () => {
    const down = nextCheckState(up, false, 'closed; reconnecting (attempt 1 in 100 ms)', T0 + 1000);
    expect(down).toEqual({ ok: false, since: T0 + 1000, detail: 'closed; reconnecting (attempt 1 in 100 ms)' });
    const still = nextCheckState(down, false, 'refused; reconnecting (attempt 2 in 200 ms)', T0 + 2000);
    expect(still.since).toBe(T0 + 1000);
    expect(still.detail).toBe('refused; reconnecting (attempt 2 in 200 ms)');
    expect(nextCheckState(still, true, 'fine', T0 + 3000).since).toBe(T0 + 3000);
  });
});

describe('readiness', () => {
  it('is ok with nothing failing when both checks pass and the manager runs', () => {
    expect(readiness(up, up, false)).toMatchObject({ ok: true, failing: [] });
  });

  it('names each failing check and since when, and a stopping manager', () => {
    const listen: CheckState = { ok: false, since: T0 + 5000, detail: 'closed; reconnecting (attempt 3 in 800 ms)' };
    const database: CheckState = { ok: false, since: T0 + 6000, detail: 'no answer within 2000 ms' };
    const r = readiness(listen, database, true);
    expect(r.ok).toBe(false);
    expect(r.failing).toEqual([
      'the manager is stopping',
      'LISTEN connection down since 2026-12-05T08:00:05.000Z: closed; reconnecting (attempt 3 in 800 ms)',
      'database unreachable since 2026-12-05T08:00:06.000Z: no answer within 2000 ms',
    ]);
    expect(r.checks.database).toEqual({
      ok: false,
      since: '2026-12-05T08:00:06.000Z',
      detail: 'no answer within 2000 ms',
    });
    expect(readiness(up, database, false).failing).toHaveLength(1);
  });

  it('is unready while the manager holds no lease or is fenced (it runs nobody then)', () => {
    expect(readiness(up, up, false, { token: '7', fenced: false }).ok).toBe(true);
    expect(readiness(up, up, false, { token: null, fenced: false }).failing).toEqual([
      'the manager has not joined the other managers (no lease)',
    ]);
    expect(readiness(up, up, false, { token: null, fenced: true }).failing).toEqual([
      'the manager lost its lease (fenced): its runners are stopped until it rejoins',
    ]);
  });
});

import type { Opportunity } from '@polybot/schemas';
import { expect, test } from 'vitest';
import { RecentOpportunities } from './recent.ts';

const opp = (id: string): Opportunity => ({
  id,
  strategy: 'single_platform',
  legs: [],
  cost: 1,
  expectedProfit: 0.1,
  profitPct: 10,
  detectedAtMs: 5,
  description: id,
});

test('every opportunity not taken says why (its latest reason); one taken says none', () => {
  const r = new RecentOpportunities();
  r.seen(opp('a'));
  r.seen(opp('b'));
  r.skipped('a', 'better_opportunity', 'a more profitable opportunity was taken first');
  r.skipped('a', 'max_positions', 'would open 2 new positions with 2 of 2 open');
  r.skipped('b', 'max_positions', 'would open 2 new positions with 2 of 2 open');
  r.acted('b');
  r.skipped('b', 'already_booked', 'never shown: it was taken');
  expect(r.list().map((e) => [e.description, e.acted, e.skip_code, e.skip_reason])).toEqual([
    ['b', true, null, null],
    ['a', false, 'max_positions', 'would open 2 new positions with 2 of 2 open'],
  ]);
});

test('only an opportunity not among the recent ones is reported as new (opportunity_found)', () => {
  const found: string[] = [];
  const r = new RecentOpportunities(2, (o) => found.push(o.id));
  r.seen(opp('a'));
  r.seen(opp('a')); // the same basket re-priced
  r.seen(opp('b'));
  r.seen(opp('c')); // 'a' drops out of the last two…
  r.seen(opp('a')); // …so it is new again (the database's 15-minute window decides whether the user hears of it)
  expect(found).toEqual(['a', 'b', 'c', 'a']);
});

import { expect, test } from 'vitest';
import { FED_CUTS_YES } from '../../test/instruments.ts';
import { Universe } from './universe.ts';

const NO = { ...FED_CUTS_YES, instrumentId: 'tok-no', side: 'no' as const, complementId: 'tok-yes' };
const NEW = { ...FED_CUTS_YES, instrumentId: 'new-yes', marketId: 'm2', complementId: 'new-no' };
const fee = { model: 'none' } as never;

test('a removal closes the instrument at once; the universe itself changes only at the safe point', () => {
  const u = new Universe([FED_CUTS_YES, NO], {});
  expect(u.closedLeg({ legs: [FED_CUTS_YES, NO] })).toBeNull();
  u.receive({ type: 'instruments', added: [NEW], removed: ['tok-yes', 'tok-no'], fees: { 'new-yes': fee } });
  // Refused from the moment it arrived, mid-decision included.
  expect(u.closedLeg({ legs: [FED_CUTS_YES, NO] })).toBe('tok-yes');
  expect(u.tradeable('new-yes')).toBe(false);
  expect(u.instruments.has('tok-yes')).toBe(true);
  expect(u.applyPending()).toEqual({ added: 1, removed: ['tok-yes', 'tok-no'] });
  expect([...u.instruments.keys()]).toEqual(['new-yes']);
  expect(u.fees['new-yes']).toBe(fee);
  expect(u.tradeable('new-yes')).toBe(true);
  expect(u.tradeable('tok-yes')).toBe(false);
});

test('an inactive or unknown instrument is never tradeable', () => {
  const u = new Universe([{ ...FED_CUTS_YES, active: false }], {});
  expect(u.tradeable('tok-yes')).toBe(false);
  expect(u.tradeable('unknown')).toBe(false);
});

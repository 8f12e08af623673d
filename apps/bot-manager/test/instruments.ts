// Instruments with the real shape for the runner's unit tests (src/runner/*.test.ts).
import type { Instrument } from '@polybot/schemas';

/** A Polymarket YES token ('Fed cuts?', market m1; its NO is tok-no). */
export const FED_CUTS_YES: Instrument = {
  venue: 'polymarket',
  instrumentId: 'tok-yes',
  marketId: 'm1',
  eventId: null,
  side: 'yes',
  complementId: 'tok-no',
  title: 'Fed cuts?',
  outcome: 'Yes',
  mutuallyExclusive: false,
  tickSize: 0.01,
  minOrderSize: 1,
  closeTime: null,
  active: true,
};

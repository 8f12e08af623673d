// The venue simulator as a suite's fixture: started (scenario time standing still) before the suite's first case
// and closed after its last, so each suite states only which scenario it runs on.
import { afterAll, beforeAll } from 'vitest';
import { startVenueSim, type VenueSim } from '../src/venue-sim/server.ts';

/** Registers the suite's hooks; `use` receives the running simulator before the first case. */
export function venueSimForSuite(scenario: string, use: (sim: VenueSim) => void): void {
  let sim: VenueSim | undefined;
  beforeAll(async () => {
    sim = await startVenueSim({ scenario, autoAdvance: false });
    use(sim);
  });
  afterAll(async () => {
    await sim?.close();
  });
}

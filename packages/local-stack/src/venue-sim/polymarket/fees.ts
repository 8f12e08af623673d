// Polymarket taker fee (docs/WIRE-CONTRACTS.md): fee = C × rate × (p × (1 − p))^exponent pUSD, floored to 5
// decimals; makers pay nothing; markets without a fee schedule charge nothing. Kept local so the simulator does not
// depend on the strategy package's fee models (it must charge what the venue charges, not what we expect).
import type { FeeSchedule } from './scenario-schema.ts';

export function takerFee(schedule: FeeSchedule | null, contracts: number, price: number): number {
  if (schedule === null || schedule.rate === 0) return 0;
  const raw = contracts * schedule.rate * (price * (1 - price)) ** schedule.exponent;
  return Math.floor(raw * 1e5 + 1e-9) / 1e5;
}

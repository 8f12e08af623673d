// Paper or live, per venue. A venue trades live only with all three: the user turned dry-run off, holds a live
// (non-paper) key for THAT venue that validated, and the plan allows live trading. Anything missing means paper on
// that venue, and the reason is reported in the bot status. A basket with legs on a live and a paper venue is not
// traded at all: half live, half paper would be no arbitrage.
import { venuesStayingPaper, type TradingMode, type VenueId } from '@polybot/schemas';
import type { RunnerConfig, RunnerKey, RunnerPlan } from '../shared/ipc.ts';

export type Mode = TradingMode;

export interface ModeDecision {
  /** 'live' when any venue trades live (what the status shows); per-venue detail in `venues`. */
  mode: Mode;
  reason: string;
  venues: Record<VenueId, Mode>;
}

const NAMES: Record<VenueId, string> = { polymarket: 'Polymarket', kalshi: 'Kalshi' };
const ALL_PAPER: Record<VenueId, Mode> = { polymarket: 'paper', kalshi: 'paper' };

/** The venues a validated live key lets trade live: the same rule the config page warns with (live-readiness.ts). */
function liveVenues(keys: readonly RunnerKey[]): Set<VenueId> {
  const usable = keys
    .filter((k) => k.privateKey !== null)
    .map((k) => ({
      platform: k.platform,
      is_paper: k.isPaper,
      is_active: true,
      validation_status: k.validationStatus,
    }));
  const paper = new Set(venuesStayingPaper({ polymarket: true, kalshi: true }, true, usable).map((p) => p.venue));
  return new Set((['polymarket', 'kalshi'] as const).filter((v) => !paper.has(v)));
}

/** Why a venue has no validated live key: the manager validates keys before the runner starts; say which step stands in the way. */
function missingKeyReason(keys: readonly RunnerKey[], venue: VenueId): string {
  const saved = keys.find((k) => k.platform === venue && !k.isPaper);
  const base = `no validated live ${NAMES[venue]} keys`;
  if (saved?.validationStatus === 'invalid')
    return `${base}: the venue rejected them (the reason is shown with the keys)`;
  if (saved?.validationStatus === 'pending') return `${base}: not checked with the venue yet`;
  return base;
}

export function decideMode(config: RunnerConfig, plan: RunnerPlan, keys: readonly RunnerKey[]): ModeDecision {
  if (config.dry_run) return { mode: 'paper', reason: 'dry run is on', venues: { ...ALL_PAPER } };
  if (!plan.liveTradingAllowed)
    return { mode: 'paper', reason: `the ${plan.tier} plan does not allow live trading`, venues: { ...ALL_PAPER } };
  const liveOk = liveVenues(keys);
  const venues: Record<VenueId, Mode> = {
    polymarket: liveOk.has('polymarket') ? 'live' : 'paper',
    kalshi: liveOk.has('kalshi') ? 'live' : 'paper',
  };
  const live = (Object.keys(venues) as VenueId[]).filter((v) => venues[v] === 'live');
  if (live.length === 0) return { mode: 'paper', reason: missingKeyReason(keys, 'polymarket'), venues };
  if (live.length === 2)
    return { mode: 'live', reason: 'dry run off, validated live keys, plan allows live trading', venues };
  const paper = live[0] === 'polymarket' ? 'kalshi' : 'polymarket';
  return {
    mode: 'live',
    reason: `live on ${NAMES[live[0] ?? 'polymarket']} (dry run off, validated live keys, plan allows live trading); ${NAMES[paper]} paper: ${missingKeyReason(keys, paper)}`,
    venues,
  };
}

/** The mode a basket trades in: its venues' common mode, or null when it mixes a live and a paper venue. */
export function basketMode(decision: ModeDecision, legVenues: readonly VenueId[]): Mode | null {
  const modes = new Set(legVenues.map((v) => decision.venues[v]));
  if (modes.size !== 1) return null;
  return [...modes][0] ?? null;
}

import { expect, test } from 'vitest';
import type { RunnerConfig, RunnerKey, RunnerPlan } from '../shared/ipc.ts';
import { basketMode, decideMode } from './mode.ts';

const config = { dry_run: false } as RunnerConfig;
const plan = { tier: 'pro', liveTradingAllowed: true } as RunnerPlan;
const liveKey: RunnerKey = {
  platform: 'polymarket',
  isPaper: false,
  apiKey: null,
  apiSecret: null,
  privateKey: 'k',
  additionalConfig: {},
  validationStatus: 'valid',
  validationError: null,
  validatedAt: null,
};
const kalshiKey: RunnerKey = { ...liveKey, platform: 'kalshi', apiKey: 'key-id' };

test('live needs dry_run off, validated live keys and a plan that allows it — each missing one means paper', () => {
  expect(decideMode(config, plan, [liveKey]).mode).toBe('live');
  expect(decideMode({ ...config, dry_run: true }, plan, [liveKey])).toMatchObject({
    mode: 'paper',
    reason: 'dry run is on',
  });
  expect(decideMode(config, { ...plan, liveTradingAllowed: false }, [liveKey]).mode).toBe('paper');
  expect(decideMode(config, plan, [{ ...liveKey, validationStatus: 'pending' }])).toMatchObject({
    mode: 'paper',
    reason: 'no validated live Polymarket keys: not checked with the venue yet',
  });
  expect(decideMode(config, plan, [{ ...liveKey, validationStatus: 'invalid' }]).reason).toMatch(/venue rejected them/);
  expect(decideMode(config, plan, [{ ...liveKey, isPaper: true }]).mode).toBe('paper');
  expect(decideMode(config, plan, []).mode).toBe('paper');
});

test('live is per venue: a Kalshi leg is live only with a validated live Kalshi key, and a basket mixing live and paper venues trades in neither', () => {
  // Polymarket key only: Polymarket live, Kalshi paper.
  const polyOnly = decideMode(config, plan, [liveKey]);
  expect(polyOnly.venues).toEqual({ polymarket: 'live', kalshi: 'paper' });
  expect(polyOnly.reason).toBe(
    'live on Polymarket (dry run off, validated live keys, plan allows live trading); Kalshi paper: no validated live Kalshi keys',
  );
  expect(basketMode(polyOnly, ['polymarket', 'polymarket'])).toBe('live');
  expect(basketMode(polyOnly, ['kalshi'])).toBe('paper');
  expect(basketMode(polyOnly, ['polymarket', 'kalshi'])).toBeNull();
  // Kalshi key only (the old rule looked at Polymarket keys alone and made this user paper everywhere).
  const kalshiOnly = decideMode(config, plan, [kalshiKey]);
  expect(kalshiOnly).toMatchObject({ mode: 'live', venues: { polymarket: 'paper', kalshi: 'live' } });
  expect(basketMode(kalshiOnly, ['kalshi', 'kalshi'])).toBe('live');
  // A Kalshi key the venue rejected, or a paper one, does not make Kalshi live.
  expect(decideMode(config, plan, [liveKey, { ...kalshiKey, validationStatus: 'invalid' }]).reason).toMatch(
    /Kalshi paper: no validated live Kalshi keys: the venue rejected them/,
  );
  expect(decideMode(config, plan, [liveKey, { ...kalshiKey, isPaper: true }]).venues.kalshi).toBe('paper');
  // Both keys: both live, cross-platform baskets included.
  const both = decideMode(config, plan, [liveKey, kalshiKey]);
  expect(both).toMatchObject({ mode: 'live', venues: { polymarket: 'live', kalshi: 'live' } });
  expect(basketMode(both, ['polymarket', 'kalshi'])).toBe('live');
  // Dry run or the plan: paper everywhere, whatever the keys.
  expect(decideMode({ ...config, dry_run: true }, plan, [liveKey, kalshiKey]).venues).toEqual({
    polymarket: 'paper',
    kalshi: 'paper',
  });
  expect(decideMode(config, { ...plan, liveTradingAllowed: false }, [liveKey, kalshiKey]).venues).toEqual({
    polymarket: 'paper',
    kalshi: 'paper',
  });
});

test('no key at all (a user who onboarded on paper without keys): both venues paper, and the reason names no key', () => {
  // dry run on is the default config: the reason is the dry run, not a missing key
  expect(decideMode({ ...config, dry_run: true }, plan, [])).toEqual({
    mode: 'paper',
    reason: 'dry run is on',
    venues: { polymarket: 'paper', kalshi: 'paper' },
  });
  expect(decideMode(config, { ...plan, liveTradingAllowed: false }, []).venues).toEqual({
    polymarket: 'paper',
    kalshi: 'paper',
  });
});

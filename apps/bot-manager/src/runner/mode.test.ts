import { expect, test } from 'vitest';
import type { RunnerConfig, RunnerKey, RunnerPlan } from '../shared/ipc.ts';
import { decideMode } from './mode.ts';

const config = { dry_run: false } as RunnerConfig;
const plan = { tier: 'pro', liveTradingAllowed: true } as RunnerPlan;
const liveKey: RunnerKey = { platform: 'polymarket', isPaper: false, apiKey: null, apiSecret: null, privateKey: 'k', additionalConfig: {}, validationStatus: 'valid' };

test('live needs dry_run off, validated live keys and a plan that allows it — each missing one means paper', () => {
  expect(decideMode(config, plan, [liveKey]).mode).toBe('live');
  expect(decideMode({ ...config, dry_run: true }, plan, [liveKey])).toEqual({ mode: 'paper', reason: 'dry run is on' });
  expect(decideMode(config, { ...plan, liveTradingAllowed: false }, [liveKey]).mode).toBe('paper');
  expect(decideMode(config, plan, [{ ...liveKey, validationStatus: 'pending' }])).toEqual({ mode: 'paper', reason: 'no validated live Polymarket keys: not checked with the venue yet' });
  expect(decideMode(config, plan, [{ ...liveKey, validationStatus: 'invalid' }]).reason).toMatch(/venue rejected them/);
  expect(decideMode(config, plan, [{ ...liveKey, isPaper: true }]).mode).toBe('paper');
  expect(decideMode(config, plan, []).mode).toBe('paper');
});

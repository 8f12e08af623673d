// The manager's key check for every Polymarket wallet type, against the venue simulator with the real SDK: it
// derives credentials (L1), reads the funder's balance and allowance, and proves with an unaffordable probe order
// that the key controls the funder. A key that does not control it is invalid in the venue's words.
import { randomBytes } from 'node:crypto';
import { polymarketFactory } from '@polybot/local-stack/venue-sim';
import { registerPolymarketWallet } from '@polybot/local-stack/testing';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { checkKey, type KeyMaterial } from '../src/manager/key-validation.ts';
import { createLiveTrading } from '../src/runner/execution.ts';
import { startVenueSim } from './harness.ts';

type Sim = Awaited<ReturnType<typeof startVenueSim>>;
let sim: Sim;
beforeAll(async () => {
  sim = await startVenueSim({ scenario: 'arb-rich', port: 0, venues: [polymarketFactory] });
});
afterAll(async () => {
  await sim.close();
});

const hexKey = (): string => randomBytes(32).toString('hex');
const addressOf = (key: string): string => privateKeyToAccount(`0x${key}`).address;
const urls = () => ({ polymarketClob: sim.origin });
const liveKey = (privateKey: string, additionalConfig: Record<string, unknown>): KeyMaterial => ({
  platform: 'polymarket',
  isPaper: false,
  apiKey: null,
  apiSecret: null,
  privateKey,
  additionalConfig,
});

test('a proxy-wallet key whose signer owns the funder is valid', async () => {
  const key = hexKey();
  const funder = addressOf(hexKey());
  await registerPolymarketWallet(sim.origin, { owner: addressOf(key), address: funder, type: 'POLY_PROXY' });
  expect(await checkKey(liveKey(key, { signatureType: 1, funderAddress: funder }), urls())).toEqual({
    outcome: 'valid',
  });
});

test('a funder the key does not control is invalid, in the venue’s words', async () => {
  const key = hexKey();
  const someoneElses = addressOf(hexKey());
  await registerPolymarketWallet(sim.origin, {
    owner: addressOf(hexKey()),
    address: someoneElses,
    type: 'POLY_GNOSIS_SAFE',
  });
  const check = await checkKey(liveKey(key, { signatureType: 2, funderAddress: someoneElses }), urls());
  expect(check).toMatchObject({ outcome: 'invalid' });
  expect(check.outcome === 'invalid' && check.reason).toMatch(
    /refused orders for the live wallet 0x[0-9a-fA-F]{40} \(POLY_GNOSIS_SAFE\): "invalid signature"/,
  );
  // A smart-wallet type without its funder never reaches the venue.
  expect(await checkKey(liveKey(key, { signatureType: 3 }), urls())).toMatchObject({
    outcome: 'invalid',
    reason: expect.stringMatching(/Funder address is required/) as unknown,
  });
});

test('an EOA key while the venue refuses new EOA makers is invalid; an empty funder is valid with a note', async () => {
  await fetch(`${sim.origin}/_sim/polymarket/refuse-eoa-makers`, { method: 'POST', body: '{"refuse":true}' });
  try {
    const check = await checkKey(liveKey(hexKey(), {}), urls());
    expect(check.outcome === 'invalid' && check.reason).toMatch(/please use the deposit wallet flow/);
  } finally {
    await fetch(`${sim.origin}/_sim/polymarket/refuse-eoa-makers`, { method: 'POST', body: '{"refuse":false}' });
  }
  const key = hexKey();
  const deposit = addressOf(hexKey());
  await registerPolymarketWallet(sim.origin, { owner: addressOf(key), address: deposit, type: 'POLY_1271' });
  // First sight gives every account the scenario's balance: take it all back.
  await fetch(`${sim.origin}/_sim/polymarket/fund`, {
    method: 'POST',
    body: JSON.stringify({ address: deposit, amount: -1000 }),
  });
  expect(await checkKey(liveKey(key, { signatureType: 3, funderAddress: deposit }), urls())).toEqual({
    outcome: 'valid',
    note: expect.stringMatching(/holds no pUSD/) as unknown,
  });
});

test('a runner’s live client trades for the wallet stored with the key (additional_config)', async () => {
  const key = hexKey();
  const funder = addressOf(hexKey());
  await registerPolymarketWallet(sim.origin, { owner: addressOf(key), address: funder, type: 'POLY_PROXY' });
  const trading = await createLiveTrading(
    {
      platform: 'polymarket',
      isPaper: false,
      apiKey: null,
      apiSecret: null,
      privateKey: key,
      additionalConfig: { signatureType: 1, funderAddress: funder },
      validationStatus: 'valid',
      validationError: null,
      validatedAt: null,
    },
    { polymarketClob: sim.origin, polymarketGamma: `${sim.origin}/gamma`, polymarketWs: '' },
  );
  expect(trading).toMatchObject({ address: addressOf(key), funder });
});

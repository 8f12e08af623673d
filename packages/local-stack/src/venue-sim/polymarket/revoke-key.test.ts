// `/_sim/polymarket/revoke-key`: after it, the wallet's API keys answer 401 with Polymarket's body, and L1 auth (create
// or derive) for the address answers 401 too; another wallet is not affected.
import { ApiError, AssetType, Chain, ClobClient } from '@polymarket/clob-client-v2';
import { createWalletClient, custom, type WalletClient } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { polygon } from 'viem/chains';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { polymarketFactory, startVenueSim, type VenueSim } from '../server.ts';

let sim: VenueSim;
beforeAll(async () => {
  sim = await startVenueSim({ scenario: 'arb-rich', venues: [polymarketFactory], autoAdvance: false });
});
afterAll(async () => {
  await sim.close();
});

function wallet(): WalletClient {
  return createWalletClient({
    account: privateKeyToAccount(generatePrivateKey()),
    chain: polygon,
    transport: custom({ request: () => Promise.reject(new Error('signing is offline: no RPC')) }),
  });
}

async function authed(signer: WalletClient): Promise<ClobClient> {
  const l1 = new ClobClient({ host: sim.origin, chain: Chain.POLYGON, signer, throwOnError: true });
  const creds = await l1.createOrDeriveApiKey();
  return new ClobClient({ host: sim.origin, chain: Chain.POLYGON, signer, creds, throwOnError: true });
}

const statusOf = async (p: Promise<unknown>): Promise<{ status: number | undefined; message: string }> =>
  p.then(
    () => ({ status: 200, message: '' }),
    (e: unknown) => ({ status: e instanceof ApiError ? e.status : undefined, message: (e as Error).message }),
  );

it('a revoked wallet: L2 → 401 Unauthorized/Invalid api key, L1 → 401 Invalid L1 Request headers; others unaffected', async () => {
  const signer = wallet();
  const other = await authed(wallet());
  const client = await authed(signer);
  await client.getBalanceAllowance({ asset_type: AssetType.COLLATERAL });
  const address = signer.account?.address ?? '';
  const res = await fetch(`${sim.origin}/_sim/polymarket/revoke-key`, {
    method: 'POST',
    body: JSON.stringify({ address }),
  });
  expect(await res.json()).toEqual({ revokedKeys: 1 });

  expect(await statusOf(client.getBalanceAllowance({ asset_type: AssetType.COLLATERAL }))).toEqual({
    status: 401,
    message: 'Unauthorized/Invalid api key',
  });
  const l1 = new ClobClient({ host: sim.origin, chain: Chain.POLYGON, signer, throwOnError: true });
  expect(await statusOf(l1.deriveApiKey())).toEqual({ status: 401, message: 'Invalid L1 Request headers' });
  expect(await statusOf(l1.createApiKey())).toEqual({ status: 401, message: 'Invalid L1 Request headers' });
  await other.getBalanceAllowance({ asset_type: AssetType.COLLATERAL });

  const bad = await fetch(`${sim.origin}/_sim/polymarket/revoke-key`, { method: 'POST', body: '{"address":"nope"}' });
  expect(bad.status).toBe(400);
});

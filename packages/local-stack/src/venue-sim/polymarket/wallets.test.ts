// The simulator's smart-wallet rules with the unmodified clob-client-v2: a deposit wallet's (EIP-1271) signature is
// checked against its owner and against exactly this order; the registry refuses a second owner; scenario seeding.
import { ApiError, Chain, ClobClient, OrderType, Side, SignatureTypeV2 } from '@polymarket/clob-client-v2';
import { createWalletClient, custom } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { polygon } from 'viem/chains';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { polymarketFactory, startVenueSim, type VenueSim } from '../server.ts';
import { SmartWallets } from './wallets.ts';

const FED_NO_CHANGE_NO = '40302938956091099752849867077837976978448552504757012372843872340644441002059';

let sim: VenueSim;
beforeAll(async () => {
  sim = await startVenueSim({ scenario: 'arb-rich', venues: [polymarketFactory], autoAdvance: false });
});
afterAll(async () => {
  await sim.close();
});

const control = (action: string, body: unknown) =>
  fetch(`${sim.origin}/_sim/polymarket/${action}`, { method: 'POST', body: JSON.stringify(body) });

async function depositWalletClient(): Promise<{ client: ClobClient; owner: string; wallet: string }> {
  const account = privateKeyToAccount(generatePrivateKey());
  const signer = createWalletClient({
    account,
    chain: polygon,
    transport: custom({ request: () => Promise.reject(new Error('signing is offline: no RPC')) }),
  });
  const wallet = privateKeyToAccount(generatePrivateKey()).address;
  expect((await control('wallet', { owner: account.address, address: wallet, type: 'POLY_1271' })).status).toBe(200);
  const base = {
    host: sim.origin,
    chain: Chain.POLYGON,
    signer,
    throwOnError: true,
    signatureType: SignatureTypeV2.POLY_1271,
    funderAddress: wallet,
  };
  const creds = await new ClobClient(base).createOrDeriveApiKey();
  return { client: new ClobClient({ ...base, creds }), owner: account.address, wallet };
}

describe('smart wallets in the Polymarket simulator', () => {
  it('a deposit-wallet order fills; the same signature on a changed order, or cut short, is an invalid signature', async () => {
    const { client, wallet } = await depositWalletClient();
    const order = await client.createOrder({ tokenID: FED_NO_CHANGE_NO, price: 0.02, size: 5, side: Side.BUY });
    expect(order).toMatchObject({ maker: wallet, signer: wallet, signatureType: 3 });
    const tampered = { ...order, takerAmount: String(BigInt(order.takerAmount) * 2n) };
    const e1 = await client.postOrder(tampered, OrderType.FOK).catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(ApiError);
    expect((e1 as ApiError).message).toBe('invalid signature');
    // Only the owner's inner signature, without the ERC-7739 envelope the wallet expects.
    const bare = { ...order, signature: order.signature.slice(0, 132) };
    await expect(client.postOrder(bare, OrderType.FOK)).rejects.toThrow('invalid signature');
    const ok = await client.postOrder(order, OrderType.FOK);
    expect(ok).toMatchObject({ success: true, status: 'matched' });
  });

  it('a wallet address belongs to one owner and type', async () => {
    const owner = privateKeyToAccount(generatePrivateKey()).address;
    const address = privateKeyToAccount(generatePrivateKey()).address;
    expect((await control('wallet', { owner, address, type: 'POLY_PROXY' })).status).toBe(200);
    expect((await control('wallet', { owner, address, type: 'POLY_PROXY' })).status).toBe(200);
    expect((await control('wallet', { owner, address, type: 'POLY_GNOSIS_SAFE' })).status).toBe(409);
    const other = privateKeyToAccount(generatePrivateKey()).address;
    expect((await control('wallet', { owner: other, address, type: 'POLY_PROXY' })).status).toBe(409);
    expect((await control('wallet', { owner, address: 'nope', type: 'POLY_PROXY' })).status).toBeGreaterThanOrEqual(
      400,
    );
  });

  it('the account a key sees per signature type: its own for 0, its wallet of that type, none otherwise', () => {
    const wallets = new SmartWallets();
    const owner = privateKeyToAccount(generatePrivateKey()).address;
    const safe = privateKeyToAccount(generatePrivateKey()).address;
    wallets.register({ owner, address: safe, type: 'POLY_GNOSIS_SAFE' });
    expect(wallets.accountFor(owner, 0)).toBe(owner);
    expect(wallets.accountFor(owner, 2)).toBe(safe);
    expect(wallets.accountFor(owner, 1)).toBeNull();
    expect(wallets.controlledBy(owner)).toEqual([owner, safe]);
  });
});

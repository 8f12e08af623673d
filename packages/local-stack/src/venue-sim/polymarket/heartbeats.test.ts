// The heartbeat dead-man switch and cancel-all, with the unmodified clob-client-v2: resting GTC orders survive while
// heartbeats chain on time, are cancelled (reason heartbeat_timeout) once they stop for the timeout, a wrong id is
// refused and does not count; cancel-all records its own reason. Scenario time moves only with sim.advance.
import { ApiError, Chain, ClobClient, OrderType, Side } from '@polymarket/clob-client-v2';
import { createWalletClient, custom } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { polygon } from 'viem/chains';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { polymarketFactory, startVenueSim, type VenueSim } from '../server.ts';

const BTC_UP = '94242206871221370391055736153305071391564432448684801902267396130896523340261';

let sim: VenueSim;
beforeAll(async () => {
  sim = await startVenueSim({ scenario: 'arb-rich', venues: [polymarketFactory], autoAdvance: false });
});
afterAll(async () => {
  await sim.close();
});

async function trader(): Promise<{ client: ClobClient; address: string }> {
  const account = privateKeyToAccount(generatePrivateKey());
  const signer = createWalletClient({
    account,
    chain: polygon,
    transport: custom({ request: () => Promise.reject(new Error('signing is offline: no RPC')) }),
  });
  const base = { host: sim.origin, chain: Chain.POLYGON, signer, throwOnError: true };
  const creds = await new ClobClient(base).createOrDeriveApiKey();
  return { client: new ClobClient({ ...base, creds }), address: account.address };
}

/** A GTC buy well below the ask: it rests. */
async function rest(client: ClobClient): Promise<string> {
  const res = await client.postOrder(
    await client.createOrder({ tokenID: BTC_UP, price: 0.1, size: 10, side: Side.BUY }),
    OrderType.GTC,
  );
  expect(res.status).toBe('live');
  return res.orderID;
}

async function orders(address: string): Promise<Array<{ id: string; status: string; cancelReason: string | null }>> {
  const res = await fetch(`${sim.origin}/_sim/polymarket/orders?address=${address}`);
  return ((await res.json()) as { orders: Array<{ id: string; status: string; cancelReason: string | null }> }).orders;
}

describe('polymarket heartbeats', () => {
  it('keeps orders while the chain is kept, cancels them all when it stops (heartbeat_timeout)', async () => {
    const { client, address } = await trader();
    const other = await trader();
    const [a, b] = [await rest(client), await rest(client)];
    const theirs = await rest(other.client);
    // Orders of a user that never heartbeats are never cancelled by the switch.
    sim.advance(60_000);
    expect((await orders(address)).every((o) => o.status === 'LIVE')).toBe(true);

    let hb = await client.postHeartbeat();
    expect(hb.heartbeat_id).toMatch(/.+/);
    for (let i = 0; i < 5; i++) {
      sim.advance(6_000);
      const next = await client.postHeartbeat(hb.heartbeat_id);
      expect(next.heartbeat_id).not.toBe(hb.heartbeat_id); // each answer rotates the id
      hb = next;
    }
    expect((await orders(address)).map((o) => o.status)).toEqual(['LIVE', 'LIVE']);

    // A wrong id is refused (400) and is no heartbeat.
    const wrong = await client.postHeartbeat('not-the-current-id').catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(ApiError);
    expect((wrong as ApiError).status).toBe(400);
    expect((wrong as ApiError).message).toMatch(/Invalid Heartbeat ID/);

    sim.advance(10_001);
    expect(await orders(address)).toEqual([
      expect.objectContaining({ id: a, status: 'CANCELED', cancelReason: 'heartbeat_timeout' }),
      expect.objectContaining({ id: b, status: 'CANCELED', cancelReason: 'heartbeat_timeout' }),
    ]);
    expect(await client.getOpenOrders()).toEqual([]);
    // Another user's orders are theirs.
    expect(await orders(other.address)).toEqual([expect.objectContaining({ id: theirs, status: 'LIVE' })]);
    // The expired chain's id is refused; "" starts a new one.
    await expect(client.postHeartbeat(hb.heartbeat_id)).rejects.toBeInstanceOf(ApiError);
    expect((await client.postHeartbeat('')).heartbeat_id).toMatch(/.+/);
  });

  it('takes its timeout from the control, and cancel-all records its own reason', async () => {
    const { client, address } = await trader();
    const control = await fetch(`${sim.origin}/_sim/polymarket/heartbeat-timeout`, {
      method: 'POST',
      body: JSON.stringify({ ms: 1_000 }),
    });
    expect(control.status).toBe(200);
    const first = await rest(client);
    await client.postHeartbeat();
    sim.advance(1_001);
    expect(await orders(address)).toEqual([expect.objectContaining({ id: first, cancelReason: 'heartbeat_timeout' })]);

    const second = await rest(client);
    const res = (await client.cancelAll()) as { canceled: string[] };
    expect(res.canceled).toEqual([second]);
    expect((await orders(address))[1]).toMatchObject({ id: second, status: 'CANCELED', cancelReason: 'cancel_all' });
    await fetch(`${sim.origin}/_sim/polymarket/heartbeat-timeout`, {
      method: 'POST',
      body: JSON.stringify({ ms: 10_000 }),
    });
  });
});

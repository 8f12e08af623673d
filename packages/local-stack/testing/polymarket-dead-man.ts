// The simulated Polymarket's dead-man switch controls (WIRE-CONTRACTS.md): the heartbeat timeout, and every order of
// a wallet with why it was cancelled and how many heartbeats the wallet sent.
export interface SimPolymarketOrder {
  id: string;
  tokenId: string;
  side: 'BUY' | 'SELL';
  price: number;
  originalSize: number;
  matched: number;
  orderType: string;
  status: 'LIVE' | 'MATCHED' | 'CANCELED';
  cancelReason: 'user' | 'cancel_all' | 'heartbeat_timeout' | 'market_closed' | null;
}

export async function polymarketOrders(
  simOrigin: string,
  address: string,
): Promise<{ orders: SimPolymarketOrder[]; heartbeats: number }> {
  const res = await fetch(`${simOrigin}/_sim/polymarket/orders?address=${address}`);
  if (!res.ok) throw new Error(`polymarket sim orders → ${res.status} ${await res.text()}`);
  return (await res.json()) as { orders: SimPolymarketOrder[]; heartbeats: number };
}

export async function setPolymarketHeartbeatTimeout(simOrigin: string, ms: number): Promise<void> {
  const res = await fetch(`${simOrigin}/_sim/polymarket/heartbeat-timeout`, {
    method: 'POST',
    body: JSON.stringify({ ms }),
  });
  if (!res.ok) throw new Error(`polymarket sim heartbeat-timeout → ${res.status} ${await res.text()}`);
}

// Test helpers for the simulated Polymarket's wallet controls (see docs/WIRE-CONTRACTS.md, "Wallet types").
export type PolymarketWalletType = 'POLY_PROXY' | 'POLY_GNOSIS_SAFE' | 'POLY_1271';

async function control(origin: string, action: string, body: unknown): Promise<void> {
  const res = await fetch(`${origin}/_sim/polymarket/${action}`, { method: 'POST', body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`sim control ${action} → ${res.status} ${await res.text()}`);
}

/** A proxy wallet, Safe or deposit wallet at `address`, controlled by the EOA `owner`. */
export function registerPolymarketWallet(
  origin: string,
  wallet: { owner: string; address: string; type: PolymarketWalletType },
): Promise<void> {
  return control(origin, 'wallet', wallet);
}

/** Like production: EOA makers that are not grandfathered get "please use the deposit wallet flow". */
export function refuseEoaMakers(origin: string, refuse: boolean, grandfathered: string[] = []): Promise<void> {
  return control(origin, 'refuse-eoa-makers', { refuse, grandfathered });
}

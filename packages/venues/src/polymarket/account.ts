// Which Polymarket account a key trades for. The private key always signs (L1 auth, API key, order signatures);
// the money and the positions belong to the *funder* — the order's maker. For an EOA that is the key's own address;
// for a proxy wallet (email/Magic), a Gnosis Safe (browser wallet) or a deposit wallet (EIP-1271) it is the smart
// wallet the key controls. clob-client-v2 builds the order from (signatureType, funderAddress): maker = funder,
// signer = the EOA, except POLY_1271 where signer = the deposit wallet and the signature is the owner's ERC-7739
// wrapped signature that the wallet's isValidSignature accepts.
import type { ClobClient } from '@polymarket/clob-client-v2';
import { ApiError, OrderType, Side, SignatureTypeV2 } from '@polymarket/clob-client-v2';
import { getAddress, isAddress, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { z } from 'zod';

const END_CURSOR = 'LTE=';

/** 0 EOA, 1 POLY_PROXY, 2 POLY_GNOSIS_SAFE, 3 POLY_1271 (the values of SignatureTypeV2). */
export type PolymarketSignatureType = 0 | 1 | 2 | 3;

export interface PolymarketWallet {
  signatureType: SignatureTypeV2;
  /** The maker of every order and the holder of balance and positions. */
  funder: Hex;
}

const NAMES: Record<PolymarketSignatureType, string> = {
  0: 'EOA',
  1: 'POLY_PROXY',
  2: 'POLY_GNOSIS_SAFE',
  3: 'POLY_1271',
};
export const signatureTypeName = (t: PolymarketSignatureType): string => NAMES[t];

/** The address a private key signs as (64 hex digits, 0x optional): public, so it may be shown where the key may not. */
export function polymarketKeyAddress(privateKey: string): Hex {
  return privateKeyToAccount((privateKey.startsWith('0x') ? privateKey : `0x${privateKey}`) as Hex).address;
}

/**
 * The wallet a connection trades for. A smart wallet without its address cannot be traded (the SDK would silently
 * make the signer the maker, and the venue would answer "invalid signature"), so that is refused here, in words.
 */
export function resolveWallet(
  signer: Hex,
  signatureType: PolymarketSignatureType = 0,
  funderAddress?: string,
): PolymarketWallet {
  if (signatureType === 0) {
    if (funderAddress !== undefined && getAddress(funderAddress) !== getAddress(signer))
      throw new Error('polymarket: an EOA key trades for its own address; a different funder needs a wallet type 1–3');
    return { signatureType: SignatureTypeV2.EOA, funder: getAddress(signer) };
  }
  if (funderAddress === undefined || !isAddress(funderAddress))
    throw new Error(`polymarket: wallet type ${signatureTypeName(signatureType)} needs the funder (wallet) address`);
  return { signatureType: signatureType as SignatureTypeV2, funder: getAddress(funderAddress) };
}

const ProbeMarketSchema = z.object({
  accepting_orders: z.boolean(),
  closed: z.boolean(),
  minimum_tick_size: z.coerce.number().positive(),
  tokens: z.array(z.object({ token_id: z.string().min(1) })).min(1),
});
const MarketsPageSchema = z.object({ data: z.array(z.unknown()), next_cursor: z.string() });
/** So many shares at the lowest price that no account can pay for them: the venue refuses the order for funds. */
const UNAFFORDABLE_SHARES = 100_000_000_000;

export type FunderControl =
  | { controls: true }
  | { controls: false; reason: string }
  /** No open market to sign a probe order for: nothing learned. */
  | { controls: null };

async function probeToken(client: ClobClient): Promise<{ tokenId: string; tick: number } | null> {
  let cursor: string | undefined;
  for (let page = 0; page < 3 && cursor !== END_CURSOR; page++) {
    const res = MarketsPageSchema.parse(await client.getMarkets(cursor));
    for (const raw of res.data) {
      const m = ProbeMarketSchema.safeParse(raw);
      if (m.success && m.data.accepting_orders && !m.data.closed)
        return { tokenId: m.data.tokens[0]?.token_id ?? '', tick: m.data.minimum_tick_size };
    }
    cursor = res.next_cursor;
  }
  return null;
}

/**
 * Does the signer control the funder for this wallet type? Only the venue knows (it derives proxy and Safe addresses
 * on chain and asks a deposit wallet's isValidSignature), and it tells only when an order arrives. So the key check
 * signs a real order for the funder that no account can afford — a bid for 10^11 shares at the lowest price — and
 * posts it post-only: the venue checks signer, signature and maker first, then refuses it for funds, so nothing ever
 * rests or fills. Its refusal in words ("invalid signature", "maker address not allowed, please use the deposit
 * wallet flow", "the order signer address has to be the address of the API KEY") is what the user is told.
 */
export async function probeFunderControl(client: ClobClient): Promise<FunderControl> {
  const token = await probeToken(client);
  if (!token) return { controls: null };
  const order = await client.createOrder({
    tokenID: token.tokenId,
    price: token.tick,
    size: UNAFFORDABLE_SHARES,
    side: Side.BUY,
  });
  try {
    const res: unknown = await client.postOrder(order, OrderType.GTC, true);
    // Someone could afford it after all: take it off the book at once. Signature and maker were accepted.
    const id = typeof res === 'object' && res !== null && 'orderID' in res ? String(res.orderID) : '';
    if (id) await client.cancelOrder({ orderID: id });
    return { controls: true };
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 400) throw e;
    if (/not enough balance|allowance/i.test(e.message)) return { controls: true };
    return { controls: false, reason: e.message };
  }
}

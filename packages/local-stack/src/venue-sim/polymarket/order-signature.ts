// Verifies a V2 order the way the CTF exchange does: EIP-712 domain "Polymarket CTF Exchange" version "2",
// verifying contract = the (neg-risk) V2 exchange of the chain, struct without nonce/feeRateBps/taker.
import { getAddress, hashTypedData, recoverTypedDataAddress, type Hex } from 'viem';
import { z } from 'zod';
import { SUPPORTED_CHAINS } from './auth.ts';

const EXCHANGE_V2 = '0xE111180000d2663C0091e4f400237545B87B996B';
const NEG_RISK_EXCHANGE_V2 = '0xe2222d279d744050d28e00520010520000310F59';
const Uint = z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]).transform((v) => BigInt(v));
const Address = z.string().regex(/^0x[0-9a-fA-F]{40}$/);
const Bytes32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/);

export const SignedOrderSchema = z.object({
  salt: Uint,
  maker: Address,
  signer: Address,
  taker: Address.optional(),
  tokenId: z.string().regex(/^\d+$/),
  makerAmount: Uint,
  takerAmount: Uint,
  side: z.enum(['BUY', 'SELL']),
  signatureType: z.number().int().min(0).max(3),
  timestamp: Uint,
  expiration: Uint.optional(),
  metadata: Bytes32,
  builder: Bytes32,
  signature: z.string().regex(/^0x[0-9a-fA-F]+$/),
});
export type SignedOrder = z.infer<typeof SignedOrderSchema>;

export const PostOrderSchema = z.object({
  order: SignedOrderSchema,
  owner: z.string().min(1),
  orderType: z.enum(['GTC', 'FOK', 'GTD', 'FAK']),
  postOnly: z.boolean().optional(),
  deferExec: z.boolean().optional(),
});

const ORDER_TYPES = {
  Order: [
    { name: 'salt', type: 'uint256' },
    { name: 'maker', type: 'address' },
    { name: 'signer', type: 'address' },
    { name: 'tokenId', type: 'uint256' },
    { name: 'makerAmount', type: 'uint256' },
    { name: 'takerAmount', type: 'uint256' },
    { name: 'side', type: 'uint8' },
    { name: 'signatureType', type: 'uint8' },
    { name: 'timestamp', type: 'uint256' },
    { name: 'metadata', type: 'bytes32' },
    { name: 'builder', type: 'bytes32' },
  ],
} as const;

function typedData(order: SignedOrder, chainId: number, negRisk: boolean) {
  return {
    domain: {
      name: 'Polymarket CTF Exchange',
      version: '2',
      chainId,
      verifyingContract: getAddress(negRisk ? NEG_RISK_EXCHANGE_V2 : EXCHANGE_V2),
    },
    types: ORDER_TYPES,
    primaryType: 'Order' as const,
    message: {
      salt: order.salt,
      maker: getAddress(order.maker),
      signer: getAddress(order.signer),
      tokenId: BigInt(order.tokenId),
      makerAmount: order.makerAmount,
      takerAmount: order.takerAmount,
      side: order.side === 'BUY' ? 0 : 1,
      signatureType: order.signatureType,
      timestamp: order.timestamp,
      metadata: order.metadata as Hex,
      builder: order.builder as Hex,
    },
  };
}

/** Returns the order hash (the venue's order id) if the signature recovers the signer on a supported chain. */
export async function verifyOrderSignature(order: SignedOrder, negRisk: boolean): Promise<string | null> {
  // EOA orders only: the signer is the maker. Proxy/Safe/1271 wallets need on-chain state we do not simulate.
  if (order.signatureType !== 0 || order.signer.toLowerCase() !== order.maker.toLowerCase()) return null;
  for (const chainId of SUPPORTED_CHAINS) {
    const data = typedData(order, chainId, negRisk);
    try {
      const recovered = await recoverTypedDataAddress({ ...data, signature: order.signature as Hex });
      if (recovered.toLowerCase() === order.signer.toLowerCase()) return hashTypedData(data);
    } catch {
      // Malformed signature bytes: invalid on this chain.
    }
  }
  return null;
}

// The venue's order id is the EIP-712 hash of the signed V2 order. Knowing it before posting lets us ask the
// venue "did this order land?" after an ambiguous failure, instead of posting a second order.
import { getContractConfig } from '@polymarket/clob-client-v2';
import { getAddress, hashTypedData, type Hex } from 'viem';
import { z } from 'zod';

const Uint = z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]).transform((v) => BigInt(v));
const Address = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/)
  .transform((a) => getAddress(a));
const Bytes32 = z
  .string()
  .regex(/^0x[0-9a-fA-F]{64}$/)
  .transform((v) => v as Hex);

/** The fields of a V2 signed order that enter its hash (narrowed from the SDK's loosely typed SignedOrder). */
export const V2OrderSchema = z.object({
  salt: Uint,
  maker: Address,
  signer: Address,
  tokenId: z.string(),
  makerAmount: Uint,
  takerAmount: Uint,
  side: z.union([z.enum(['BUY', 'SELL']), z.literal(0), z.literal(1)]),
  signatureType: z.number().int(),
  timestamp: Uint,
  metadata: Bytes32,
  builder: Bytes32,
});

export function v2OrderHash(order: unknown, chainId: number, negRisk: boolean): string {
  const o = V2OrderSchema.parse(order);
  const contracts = getContractConfig(chainId);
  return hashTypedData({
    domain: {
      name: 'Polymarket CTF Exchange',
      version: '2',
      chainId,
      verifyingContract: getAddress(negRisk ? contracts.negRiskExchangeV2 : contracts.exchangeV2),
    },
    types: {
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
    },
    primaryType: 'Order',
    message: {
      salt: o.salt,
      maker: o.maker,
      signer: o.signer,
      tokenId: BigInt(o.tokenId),
      makerAmount: o.makerAmount,
      takerAmount: o.takerAmount,
      side: o.side === 'BUY' || o.side === 0 ? 0 : 1,
      signatureType: o.signatureType,
      timestamp: o.timestamp,
      metadata: o.metadata,
      builder: o.builder,
    },
  });
}

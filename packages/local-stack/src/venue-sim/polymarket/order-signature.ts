// Verifies a V2 order the way the CTF exchange does: EIP-712 domain "Polymarket CTF Exchange" version "2",
// verifying contract = the (neg-risk) V2 exchange of the chain, struct without nonce/feeRateBps/taker.
import { getAddress, hashDomain, hashStruct, hashTypedData, recoverTypedDataAddress, type Hex } from 'viem';
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

/**
 * Types 0–2 (EOA, proxy, Safe): the order is signed by `signer`, an EOA. Returns the order hash (the venue's order id)
 * if the signature recovers the signer on a supported chain. Whether that signer may trade for the maker is the
 * wallet registry's question (wallets.ts).
 */
export async function verifyOrderSignature(order: SignedOrder, negRisk: boolean): Promise<string | null> {
  if (order.signatureType === 3) return null;
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

// POLY_1271 (deposit wallet): signer = maker = the wallet; the exchange calls wallet.isValidSignature(orderHash, sig).
// The deposit wallet accepts an ERC-7739 "TypedDataSign" signature by its owner, which clob-client-v2 sends as
//   ownerSig(65 bytes) ‖ appDomainSeparator(32) ‖ contentsHash(32) ‖ contentsType ‖ uint16(len(contentsType)).
const ORDER_TYPE_STRING =
  'Order(uint256 salt,address maker,address signer,uint256 tokenId,uint256 makerAmount,uint256 takerAmount,uint8 side,uint8 signatureType,uint256 timestamp,bytes32 metadata,bytes32 builder)';
const TYPED_DATA_SIGN = [
  { name: 'contents', type: 'Order' },
  { name: 'name', type: 'string' },
  { name: 'version', type: 'string' },
  { name: 'chainId', type: 'uint256' },
  { name: 'verifyingContract', type: 'address' },
  { name: 'salt', type: 'bytes32' },
] as const;
const ZERO32 = `0x${'0'.repeat(64)}` as const;

/**
 * The deposit wallet's isValidSignature, as the sim models it: the wrapped signature must describe exactly this order
 * on this exchange, and its inner signature must recover `owner` (the wallet's owner EOA). Returns the order hash.
 */
export async function verifyDepositWalletSignature(
  order: SignedOrder,
  negRisk: boolean,
  owner: string,
): Promise<string | null> {
  if (order.signatureType !== 3 || order.signer.toLowerCase() !== order.maker.toLowerCase()) return null;
  const sig = order.signature.toLowerCase();
  const typeHex = Buffer.from(ORDER_TYPE_STRING).toString('hex');
  const tail = `${typeHex}${ORDER_TYPE_STRING.length.toString(16).padStart(4, '0')}`;
  if (sig.length !== 2 + 130 + 64 + 64 + tail.length || !sig.endsWith(tail)) return null;
  const inner = `0x${sig.slice(2, 132)}` as Hex;
  const appDomain = `0x${sig.slice(132, 196)}`;
  const contents = `0x${sig.slice(196, 260)}`;
  for (const chainId of SUPPORTED_CHAINS) {
    const data = typedData(order, chainId, negRisk);
    const domain = { ...data.domain, chainId: BigInt(chainId) };
    if (hashDomain({ domain, types: { EIP712Domain: DOMAIN_FIELDS } }) !== appDomain) continue;
    if (hashStruct({ data: data.message, primaryType: 'Order', types: ORDER_TYPES }) !== contents) continue;
    try {
      const recovered = await recoverTypedDataAddress({
        domain: data.domain,
        types: { TypedDataSign: TYPED_DATA_SIGN, Order: ORDER_TYPES.Order },
        primaryType: 'TypedDataSign',
        message: {
          contents: data.message,
          name: 'DepositWallet',
          version: '1',
          chainId: BigInt(chainId),
          verifyingContract: getAddress(order.signer),
          salt: ZERO32,
        },
        signature: inner,
      });
      if (recovered.toLowerCase() === owner.toLowerCase()) return hashTypedData(data);
    } catch {
      // Malformed inner signature: not valid for this chain.
    }
  }
  return null;
}

const DOMAIN_FIELDS = [
  { name: 'name', type: 'string' },
  { name: 'version', type: 'string' },
  { name: 'chainId', type: 'uint256' },
  { name: 'verifyingContract', type: 'address' },
] as const;

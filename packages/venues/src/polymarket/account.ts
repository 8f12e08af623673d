// Which Polymarket account a key trades for. The private key always signs (L1 auth, API key, order signatures);
// the money and the positions belong to the *funder* — the order's maker. For an EOA that is the key's own address;
// for a proxy wallet (email/Magic), a Gnosis Safe (browser wallet) or a deposit wallet (EIP-1271) it is the smart
// wallet the key controls. clob-client-v2 builds the order from (signatureType, funderAddress): maker = funder,
// signer = the EOA, except POLY_1271 where signer = the deposit wallet and the signature is the owner's ERC-7739
// wrapped signature that the wallet's isValidSignature accepts.
import { SignatureTypeV2 } from '@polymarket/clob-client-v2';
import { getAddress, isAddress, type Hex } from 'viem';

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

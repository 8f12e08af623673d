// Smart wallets the simulated venue knows, each controlled by an owner EOA: Polymarket proxy wallets (email/Magic
// accounts, signature type 1), Gnosis Safes (browser wallets, 2) and deposit wallets (EIP-1271, 3). On chain the
// exchange checks that the order's signer controls its maker for the order's signature type; here a registry stands
// in for the chain. Also models production refusing EOA makers of accounts that are not grandfathered.
import { z } from 'zod';
import { verifyDepositWalletSignature, verifyOrderSignature, type SignedOrder } from './order-signature.ts';

const Address = z.string().regex(/^0x[0-9a-fA-F]{40}$/);
export const WalletTypeSchema = z.enum(['POLY_PROXY', 'POLY_GNOSIS_SAFE', 'POLY_1271']);
export type WalletType = z.infer<typeof WalletTypeSchema>;
export const SIGNATURE_TYPE_OF: Record<WalletType, 1 | 2 | 3> = { POLY_PROXY: 1, POLY_GNOSIS_SAFE: 2, POLY_1271: 3 };

/** Body of POST /_sim/polymarket/wallet, and one entry of the scenario's `wallets`. */
export const SmartWalletSchema = z.object({ owner: Address, address: Address, type: WalletTypeSchema });
export type SmartWallet = z.infer<typeof SmartWalletSchema>;
export const RefuseEoaMakersSchema = z.object({
  refuse: z.boolean(),
  /** EOAs that keep trading as makers (production grandfathers existing API users). */
  grandfathered: z.array(Address).default([]),
});

// The venue's words (CLOB V2 production answers, HTTP 400).
export const INVALID_SIGNATURE = 'invalid signature';
export const SIGNER_NOT_API_KEY = 'the order signer address has to be the address of the API KEY';
export const EOA_MAKER_REFUSED = 'maker address not allowed, please use the deposit wallet flow';

export type OrderAuthorization = { ok: true; orderId: string } | { ok: false; error: string };

export class SmartWallets {
  private readonly byAddress = new Map<string, SmartWallet>();
  private refuseEoa = false;
  private readonly grandfathered = new Set<string>();

  register(wallet: SmartWallet): SmartWallet {
    const key = wallet.address.toLowerCase();
    const existing = this.byAddress.get(key);
    if (existing && (existing.owner.toLowerCase() !== wallet.owner.toLowerCase() || existing.type !== wallet.type))
      throw new Error(`wallet ${wallet.address} is already registered to another owner or as another type`);
    if (key === wallet.owner.toLowerCase()) throw new Error('a smart wallet cannot be its own owner');
    this.byAddress.set(key, wallet);
    return wallet;
  }

  get(address: string): SmartWallet | undefined {
    return this.byAddress.get(address.toLowerCase());
  }

  /** The addresses whose orders, trades and money this signer's API key may see: itself and its wallets. */
  controlledBy(signer: string): string[] {
    const owned = [...this.byAddress.values()].filter((w) => w.owner.toLowerCase() === signer.toLowerCase());
    return [signer, ...owned.map((w) => w.address)];
  }

  /**
   * The account the venue derives from the API key's address and the request's signature_type (what
   * /balance-allowance reads: the request names no funder). Null: the signer has no wallet of that type.
   */
  accountFor(signer: string, signatureType: number): string | null {
    if (signatureType === 0) return signer;
    const wallet = [...this.byAddress.values()].find(
      (w) => w.owner.toLowerCase() === signer.toLowerCase() && SIGNATURE_TYPE_OF[w.type] === signatureType,
    );
    return wallet?.address ?? null;
  }

  /** `knownMakers`: EOAs that have traded before refusal starts are grandfathered, like production's existing users. */
  setRefuseEoaMakers(refuse: boolean, grandfathered: string[], knownMakers: Iterable<string>): void {
    this.refuseEoa = refuse;
    this.grandfathered.clear();
    if (!refuse) return;
    for (const a of [...grandfathered, ...knownMakers]) this.grandfathered.add(a.toLowerCase());
  }

  /**
   * What the venue checks before an order reaches the book: the API key's owner signed it (or owns the deposit wallet
   * that signed it), the signature is valid, and the signer controls the maker for the order's signature type.
   */
  async authorize(order: SignedOrder, negRisk: boolean, apiKeyAddress: string): Promise<OrderAuthorization> {
    const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();
    if (order.signatureType === 3) {
      const wallet = this.get(order.maker);
      if (!wallet || wallet.type !== 'POLY_1271' || !same(order.signer, order.maker))
        return { ok: false, error: INVALID_SIGNATURE };
      if (!same(wallet.owner, apiKeyAddress)) return { ok: false, error: SIGNER_NOT_API_KEY };
      const orderId = await verifyDepositWalletSignature(order, negRisk, wallet.owner);
      return orderId ? { ok: true, orderId } : { ok: false, error: INVALID_SIGNATURE };
    }
    if (!same(order.signer, apiKeyAddress)) return { ok: false, error: SIGNER_NOT_API_KEY };
    const orderId = await verifyOrderSignature(order, negRisk);
    if (!orderId) return { ok: false, error: INVALID_SIGNATURE };
    if (order.signatureType === 0) {
      if (!same(order.signer, order.maker)) return { ok: false, error: INVALID_SIGNATURE };
      if (this.refuseEoa && !this.grandfathered.has(order.maker.toLowerCase()))
        return { ok: false, error: EOA_MAKER_REFUSED };
      return { ok: true, orderId };
    }
    const wallet = this.get(order.maker);
    if (!wallet || SIGNATURE_TYPE_OF[wallet.type] !== order.signatureType || !same(wallet.owner, order.signer))
      return { ok: false, error: INVALID_SIGNATURE };
    return { ok: true, orderId };
  }
}

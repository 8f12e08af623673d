import { describe, expect, it } from 'vitest';
import { PolymarketWalletConfigSchema, SecretInputSchema, toSaveUserSecretArgs } from './secrets.ts';

const privateKey = 'ab'.repeat(32);
const funderAddress = `0x${'12'.repeat(20)}`;

describe('Polymarket wallet types', () => {
  it('accepts all four signature types, a funder for the smart wallets', () => {
    for (const signatureType of [1, 2, 3]) {
      const input = SecretInputSchema.parse({
        platform: 'polymarket',
        isPaper: false,
        privateKey,
        signatureType,
        funderAddress,
      });
      expect(toSaveUserSecretArgs(input).p_additional_config).toEqual({ signatureType, funderAddress });
    }
    expect(SecretInputSchema.parse({ platform: 'polymarket', isPaper: false, privateKey })).toMatchObject({
      signatureType: 0,
    });
  });

  it('requires the funder for proxy, Safe and deposit wallets, with a message that says where to find it', () => {
    for (const signatureType of [1, 2, 3]) {
      const r = SecretInputSchema.safeParse({ platform: 'polymarket', isPaper: false, privateKey, signatureType });
      expect(r.success).toBe(false);
      expect(r.error?.issues[0]?.path).toEqual(['funderAddress']);
      expect(r.error?.issues[0]?.message).toMatch(/polymarket\.com under your profile/);
    }
    expect(
      SecretInputSchema.safeParse({ platform: 'polymarket', isPaper: false, privateKey, signatureType: 4 }).success,
    ).toBe(false);
  });

  it("passes the key's derived address for its hint (save_user_secret never hints from the key)", () => {
    const input = SecretInputSchema.parse({ platform: 'polymarket', isPaper: true, privateKey });
    expect(toSaveUserSecretArgs(input, { address: funderAddress }).p_additional_config).toEqual({
      signatureType: 0,
      address: funderAddress,
    });
  });

  it('reads stored wallet settings; keys saved before wallet types are EOA', () => {
    expect(PolymarketWalletConfigSchema.parse({})).toEqual({ signatureType: 0 });
    expect(PolymarketWalletConfigSchema.parse({ signatureType: 3, funderAddress })).toEqual({
      signatureType: 3,
      funderAddress,
    });
    expect(PolymarketWalletConfigSchema.safeParse({ signatureType: 2 }).success).toBe(false);
    expect(PolymarketWalletConfigSchema.parse({ signatureType: 0, funderAddress })).toEqual({ signatureType: 0 });
  });
});

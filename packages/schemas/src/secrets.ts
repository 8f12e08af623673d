// Venue credentials as a user submits them, per platform. Validated before anything reaches save_user_secret.
// What is secret goes to Vault (api key, api secret, private key); only `additional_config` is stored in the clear.
import { z } from 'zod';
import { VenueIdSchema } from './market.ts';

/**
 * The most each save_user_secret argument may hold, in bytes. save_user_secret refuses more before reading anything
 * (private.user_secret_format_error, 20261207000310; user-secret-formats.test.ts keeps the two equal). The formats
 * below are far shorter except the Kalshi PEM, whose own limit is private_key's.
 */
export const SECRET_FIELD_MAX_BYTES = {
  api_key: 512,
  api_secret: 4096,
  private_key: 8192,
  additional_config: 1024,
} as const;

const PolymarketPrivateKey = z
  .string()
  .trim()
  .regex(/^(0x)?[0-9a-fA-F]{64}$/, { error: 'Polymarket private key must be 64 hex digits (optionally 0x-prefixed)' });
const EvmAddress = z
  .string()
  .trim()
  .regex(/^0x[0-9a-fA-F]{40}$/, { error: 'must be a 0x-prefixed 40-hex-digit address' });

export const PolymarketApiCredsSchema = z.object({
  key: z.uuid({ error: 'Polymarket API key must be a UUID' }),
  secret: z.string().trim().min(20, { error: 'Polymarket API secret looks too short' }).max(200),
  passphrase: z.string().trim().min(8, { error: 'Polymarket API passphrase looks too short' }).max(200),
});
export type PolymarketApiCreds = z.infer<typeof PolymarketApiCredsSchema>;

/**
 * Polymarket signature types (the order's `signatureType`): 0 = EOA (the key's own address holds the money),
 * 1 = POLY_PROXY (email / Magic sign-in), 2 = POLY_GNOSIS_SAFE (browser wallet such as MetaMask), 3 = POLY_1271
 * (the deposit wallet new accounts get, an EIP-1271 smart wallet). For 1–3 the key only signs; the money sits in the
 * funder (smart wallet) address, which is the order's maker.
 */
export const POLYMARKET_SIGNATURE_TYPES = { EOA: 0, POLY_PROXY: 1, POLY_GNOSIS_SAFE: 2, POLY_1271: 3 } as const;
export const PolymarketSignatureTypeSchema = z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)], {
  error: 'Choose your Polymarket wallet type',
});
export type PolymarketSignatureType = z.infer<typeof PolymarketSignatureTypeSchema>;

/** What the key form says about each wallet type: which accounts have it. */
export const POLYMARKET_WALLET_TYPE_HELP: Record<PolymarketSignatureType, { label: string; help: string }> = {
  0: {
    label: 'Own wallet (EOA)',
    help: 'You trade from the address of this private key itself (it holds the USDC/pUSD). New Polymarket accounts cannot trade this way.',
  },
  1: {
    label: 'Email / Magic sign-in (POLY_PROXY)',
    help: 'You signed up on polymarket.com with email or Google: the private key is the one exported from Polymarket, the money sits in your proxy wallet.',
  },
  2: {
    label: 'Browser wallet (POLY_GNOSIS_SAFE)',
    help: 'You connected MetaMask, Coinbase Wallet or another browser wallet: that wallet’s key signs, the money sits in your Polymarket Safe.',
  },
  3: {
    label: 'Deposit wallet (POLY_1271)',
    help: 'Your account was created with Polymarket’s new deposit wallet: your key (owner or session signer) signs, the money sits in the deposit wallet.',
  },
};
export const POLYMARKET_FUNDER_HELP =
  'Needed for every wallet type except your own wallet: the address shown on polymarket.com under your profile (and when you click Deposit), i.e. the wallet that holds your USDC/pUSD — not the address of your private key.';
const FUNDER_REQUIRED =
  'Funder address is required for this wallet type: copy the address shown on polymarket.com under your profile (the wallet that holds your USDC/pUSD).';

export const PolymarketSecretInputSchema = z
  .object({
    platform: z.literal('polymarket'),
    isPaper: z.boolean(),
    privateKey: PolymarketPrivateKey,
    /** Optional: derived from the private key with L1 auth when absent. */
    apiCreds: PolymarketApiCredsSchema.optional(),
    funderAddress: EvmAddress.optional(),
    signatureType: PolymarketSignatureTypeSchema.default(0),
  })
  .refine((v) => v.signatureType === 0 || v.funderAddress !== undefined, {
    error: FUNDER_REQUIRED,
    path: ['funderAddress'],
  });

/**
 * The wallet settings stored in additional_config (written by toSaveUserSecretArgs), read back by whoever trades or
 * checks the key. Keys saved before wallet types existed have none: EOA.
 */
export const PolymarketWalletConfigSchema = z
  .object({
    signatureType: PolymarketSignatureTypeSchema.default(0),
    funderAddress: EvmAddress.optional(),
  })
  .refine((v) => v.signatureType === 0 || v.funderAddress !== undefined, {
    error: FUNDER_REQUIRED,
    path: ['funderAddress'],
  })
  // An EOA trades for its own address: a funder saved with it (the old form allowed one) means nothing.
  .transform((v) => (v.signatureType === 0 ? { signatureType: v.signatureType } : v));
export type PolymarketWalletConfig = z.infer<typeof PolymarketWalletConfigSchema>;

export const KalshiSecretInputSchema = z.object({
  platform: z.literal('kalshi'),
  isPaper: z.boolean(),
  keyId: z.uuid({ error: 'Kalshi API key id must be a UUID' }),
  privateKeyPem: z
    .string()
    .trim()
    .regex(/^-----BEGIN (RSA )?PRIVATE KEY-----[\s\S]+-----END (RSA )?PRIVATE KEY-----$/, {
      error:
        'Kalshi private key must be a whole PEM block: the BEGIN PRIVATE KEY line, the key, and the END PRIVATE KEY line',
    })
    .max(SECRET_FIELD_MAX_BYTES.private_key),
});

export const SecretInputSchema = z.discriminatedUnion('platform', [
  PolymarketSecretInputSchema,
  KalshiSecretInputSchema,
]);
export type SecretInput = z.infer<typeof SecretInputSchema>;

/** The exact arguments of public.save_user_secret, derived from validated input. */
export interface SaveUserSecretArgs {
  p_platform: 'polymarket' | 'kalshi';
  p_is_paper: boolean;
  p_api_key: string | null;
  p_api_secret: string | null;
  p_private_key: string | null;
  p_additional_config: Record<string, unknown>;
}

/**
 * What the caller derived from a Polymarket key: its own address (public). save_user_secret builds the key hint from
 * it — SQL cannot derive it, and the hint must never show characters of the private key.
 */
export interface DerivedKeyFacts {
  address: string;
}

/**
 * Polymarket's API secret and passphrase travel together in the api_secret slot, JSON-encoded. A Polymarket key needs
 * `derived.address` (save_user_secret refuses a key without API credentials and without its address).
 */
export function toSaveUserSecretArgs(input: SecretInput, derived?: DerivedKeyFacts): SaveUserSecretArgs {
  if (input.platform === 'kalshi') {
    return {
      p_platform: 'kalshi',
      p_is_paper: input.isPaper,
      p_api_key: input.keyId,
      p_api_secret: null,
      p_private_key: input.privateKeyPem,
      p_additional_config: {},
    };
  }
  return {
    p_platform: 'polymarket',
    p_is_paper: input.isPaper,
    p_api_key: input.apiCreds?.key ?? null,
    p_api_secret: input.apiCreds
      ? JSON.stringify({ secret: input.apiCreds.secret, passphrase: input.apiCreds.passphrase })
      : null,
    p_private_key: input.privateKey,
    p_additional_config: {
      signatureType: input.signatureType,
      ...(input.funderAddress && input.signatureType !== 0 ? { funderAddress: input.funderAddress } : {}),
      ...(derived ? { address: derived.address } : {}),
    },
  };
}

/** What the key validator last found (polybot_user_secrets.validation_status). */
export const SecretValidationStatusSchema = z.enum(['pending', 'valid', 'invalid', 'expired']);
export type SecretValidationStatus = z.infer<typeof SecretValidationStatusSchema>;

/** One row of get_user_secrets_decrypted — only ever held by the BotManager and the owning user's runner. */
export const DecryptedSecretRowSchema = z.object({
  platform: VenueIdSchema,
  is_paper: z.boolean(),
  api_key: z.string().nullable(),
  api_secret: z.string().nullable(),
  private_key: z.string().nullable(),
  additional_config: z.record(z.string(), z.unknown()),
  validation_status: SecretValidationStatusSchema,
  last_validated_at: z.coerce.date().nullable(),
  key_hint: z.string().nullable(),
});
export type DecryptedSecretRow = z.infer<typeof DecryptedSecretRowSchema>;

/** Metadata a user may see about their keys. */
export const SecretMetadataSchema = z.object({
  platform: VenueIdSchema,
  is_paper: z.boolean(),
  is_active: z.boolean(),
  key_hint: z.string().nullable(),
  validation_status: SecretValidationStatusSchema,
  validation_error: z.string().nullable(),
  last_validated_at: z.coerce.date().nullable(),
  rotated_at: z.coerce.date().nullable(),
  updated_at: z.coerce.date(),
});
export type SecretMetadata = z.infer<typeof SecretMetadataSchema>;

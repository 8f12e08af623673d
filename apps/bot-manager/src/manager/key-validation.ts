// Key validation by the manager: new or rotated keys (validation_status 'pending': save_user_secret resets it on every
// save) are checked against the venue before the user's runner is forked, and the outcome is recorded through
// set_user_secret_validation with a reason in words. A key the venue rejects is 'invalid' (the runner stays in paper
// mode); a venue that cannot be reached says nothing about the key, so the key stays pending and is retried with
// backoff. Reasons never contain key material: they are our own sentences plus the venue's HTTP status.
import { createPrivateKey } from 'node:crypto';
import {
  asManager,
  getUserSecretsDecrypted,
  listPendingSecretStamps,
  lockSecretAtStamp,
  setSecretValidation,
} from '@polybot/db/service';
import type { Logger } from 'pino';
import type { Sql } from 'postgres';
import { PolymarketWalletConfigSchema, type DecryptedSecretRow } from '@polybot/schemas';
import { z } from 'zod';
import { loadUserState, type InvalidConfig, type UserState } from './user-state.ts';

export interface ValidationUrls {
  polymarketClob: string;
  /** Kalshi trade API base (…/trade-api/v2); Kalshi keys stay pending while it is not configured. */
  kalshiApi?: string | undefined;
  /** Kalshi's demo environment, for paper Kalshi keys; falls back to kalshiApi. */
  kalshiDemoApi?: string | undefined;
}

export interface KeyMaterial {
  platform: 'polymarket' | 'kalshi';
  isPaper: boolean;
  apiKey: string | null;
  apiSecret: string | null;
  privateKey: string | null;
  /** The key's additional_config: for Polymarket its wallet type and funder (absent: EOA). */
  additionalConfig?: Record<string, unknown>;
}

/** What a key check needs of a decrypted key row (the same for a first check and a re-check). */
export function keyMaterial(k: DecryptedSecretRow): KeyMaterial {
  return {
    platform: k.platform,
    isPaper: k.is_paper,
    apiKey: k.api_key,
    apiSecret: k.api_secret,
    privateKey: k.private_key,
    additionalConfig: k.additional_config,
  };
}

export type KeyCheck =
  /** `note`: worth telling although the key works (e.g. the funder holds no pUSD yet). */
  | { outcome: 'valid'; note?: string }
  | { outcome: 'invalid'; reason: string }
  /** Nothing learned about the key (network failure, 429, 5xx, venue not configured): try again later. */
  | { outcome: 'unreachable'; reason: string };

const HexKeySchema = z
  .string()
  .trim()
  .regex(/^(0x)?[0-9a-fA-F]{64}$/);
const ApiSecretSchema = z.object({ secret: z.string().min(1), passphrase: z.string().min(1) });

function httpStatus(e: unknown): number | null {
  return typeof e === 'object' && e !== null && 'status' in e && typeof e.status === 'number' ? e.status : null;
}
const transientStatus = (s: number | null): boolean => s === null || s === 408 || s === 429 || s >= 500;

async function checkPolymarket(key: KeyMaterial, urls: ValidationUrls): Promise<KeyCheck> {
  const mode = key.isPaper ? 'paper' : 'live';
  const hex = HexKeySchema.safeParse(key.privateKey ?? '');
  if (!hex.success)
    return {
      outcome: 'invalid',
      reason: `Polymarket ${mode} keys: the private key is missing or is not a 64-digit hex key.`,
    };
  let creds: { key: string; secret: string; passphrase: string } | undefined;
  if (key.apiKey || key.apiSecret) {
    let secret: z.infer<typeof ApiSecretSchema> | null;
    try {
      secret = ApiSecretSchema.parse(JSON.parse(key.apiSecret ?? ''));
    } catch {
      secret = null;
    }
    if (!key.apiKey || !secret)
      return {
        outcome: 'invalid',
        reason: `Polymarket ${mode} keys: the API credentials are incomplete (key, secret and passphrase are all needed).`,
      };
    creds = { key: key.apiKey, secret: secret.secret, passphrase: secret.passphrase };
  }
  const wallet = PolymarketWalletConfigSchema.safeParse(key.additionalConfig ?? {});
  if (!wallet.success)
    return {
      outcome: 'invalid',
      reason: `Polymarket ${mode} keys: ${wallet.error.issues[0]?.message ?? 'the wallet type or funder address is invalid'}`,
    };
  const value = hex.data.startsWith('0x') ? hex.data : `0x${hex.data}`;
  const { PolymarketTrading, probeFunderControl, signatureTypeName } = await import('@polybot/venues/polymarket');
  try {
    // Without stored creds: L1 auth (derive the API key from the wallet). With them: one authenticated L2 GET.
    const trading = await PolymarketTrading.connect({
      clobUrl: urls.polymarketClob,
      privateKey: value as `0x${string}`,
      retries: 1,
      baseDelayMs: 200,
      signatureType: wallet.data.signatureType,
      ...(wallet.data.funderAddress ? { funderAddress: wallet.data.funderAddress as `0x${string}` } : {}),
      ...(creds ? { creds } : {}),
    });
    // Paper keys never place an order: that they authenticate is all there is to know.
    if (key.isPaper) return { outcome: 'valid' };
    // The funder's money as the venue sees it (balance and allowance, read for the key's wallet type).
    const balance = await trading.balance();
    // Only an order tells whether the key may trade for the funder: a probe no account can afford (account.ts).
    const control = await probeFunderControl(trading.client);
    if (control.controls === false)
      return {
        outcome: 'invalid',
        reason: `Polymarket refused orders for the ${mode} wallet ${trading.funder} (${signatureTypeName(wallet.data.signatureType)}): "${control.reason}". Check the wallet type and that the funder is the address polymarket.com shows under your profile.`,
      };
    if (balance <= 0)
      return {
        outcome: 'valid',
        note: `The Polymarket ${mode} wallet ${trading.funder} holds no pUSD (or has no allowance) yet: deposit before trading live.`,
      };
    return { outcome: 'valid' };
  } catch (e) {
    const status = httpStatus(e);
    if (transientStatus(status))
      return {
        outcome: 'unreachable',
        reason: `Polymarket could not be reached to check the keys${status ? ` (HTTP ${status})` : ''}.`,
      };
    if (status === 401 || status === 403) {
      return {
        outcome: 'invalid',
        reason: creds
          ? `Polymarket rejected the ${mode} API credentials (HTTP ${status}): the API key, secret or passphrase is wrong or does not belong to this wallet.`
          : `Polymarket did not accept the ${mode} private key (HTTP ${status}): it could not derive API credentials for it.`,
      };
    }
    return { outcome: 'invalid', reason: `Polymarket refused the ${mode} keys (HTTP ${status}).` };
  }
}

async function checkKalshi(key: KeyMaterial, urls: ValidationUrls): Promise<KeyCheck> {
  const mode = key.isPaper ? 'paper' : 'live';
  const basePath = key.isPaper ? (urls.kalshiDemoApi ?? urls.kalshiApi) : urls.kalshiApi;
  if (!basePath)
    return {
      outcome: 'unreachable',
      reason: 'Kalshi is not configured on this server; the keys will be checked once it is.',
    };
  if (!key.apiKey) return { outcome: 'invalid', reason: `Kalshi ${mode} keys: the API key id is missing.` };
  try {
    createPrivateKey(key.privateKey ?? '');
  } catch {
    return {
      outcome: 'invalid',
      reason: `Kalshi ${mode} keys: the private key is not a valid RSA private key in PEM format.`,
    };
  }
  const { KalshiClient, kalshiError } = await import('@polybot/venues');
  const client = new KalshiClient({
    basePath,
    credentials: { keyId: key.apiKey, privateKeyPem: key.privateKey ?? '' },
    retry: { retries: 1, baseDelayMs: 200, maxDelayMs: 500 },
  });
  try {
    await client.read(() => client.portfolio.getBalance());
    return { outcome: 'valid' };
  } catch (e) {
    const err = kalshiError(e);
    if (transientStatus(err.status))
      return {
        outcome: 'unreachable',
        reason: `Kalshi could not be reached to check the keys${err.status ? ` (HTTP ${err.status})` : ''}.`,
      };
    if (err.status === 401 || err.status === 403) {
      return {
        outcome: 'invalid',
        reason: /unknown api key/i.test(err.message)
          ? `Kalshi does not know this ${mode} API key id (HTTP ${err.status}).`
          : `Kalshi rejected the ${mode} keys (HTTP ${err.status}): the private key does not belong to this API key id.`,
      };
    }
    return { outcome: 'invalid', reason: `Kalshi refused the ${mode} keys (HTTP ${err.status}).` };
  }
}

/** One key against its venue. */
export function checkKey(key: KeyMaterial, urls: ValidationUrls): Promise<KeyCheck> {
  return key.platform === 'kalshi' ? checkKalshi(key, urls) : checkPolymarket(key, urls);
}

export interface KeyValidatorOptions {
  urls: ValidationUrls;
  log: Logger;
  /** Called when a backed-off retry is due (the manager reconciles the user, which validates again). */
  onRetryDue: (userId: string) => void;
  retryBaseMs?: number;
  retryMaxMs?: number;
}

interface Backoff {
  stamp: string;
  attempts: number;
  notBefore: number;
  timer: NodeJS.Timeout;
}

export class KeyValidator {
  private readonly backoff = new Map<string, Backoff>();

  constructor(
    private readonly sql: Sql,
    private readonly opts: KeyValidatorOptions,
  ) {}

  /**
   * Validate every pending key of this user whose backoff allows it. Returns true if any key was checked (an outcome
   * was recorded, here or meanwhile by another manager): the caller reloads the user's state so the runner starts
   * with the current status instead of being restarted for it moments later.
   */
  async validatePending(userId: string): Promise<boolean> {
    // The version stamp is read before the keys: if the keys are rotated meanwhile, the stamp no longer matches at
    // write time and the outcome (of whichever keys were checked) is dropped; the rotation's own NOTIFY brings us back.
    const { stamps, keys } = await asManager(this.sql, async (tx) => {
      const pending = await listPendingSecretStamps(tx, userId);
      return {
        stamps: pending,
        keys: pending.length === 0 ? [] : await getUserSecretsDecrypted(tx, userId),
      };
    });
    let recorded = false;
    for (const st of stamps) {
      const id = `${userId}:${st.platform}:${st.is_paper ? 'paper' : 'live'}`;
      const b = this.backoff.get(id);
      if (b && b.stamp === st.stamp && Date.now() < b.notBefore) continue;
      const k = keys.find((x) => x.platform === st.platform && x.is_paper === st.is_paper);
      if (!k) continue;
      const check = await checkKey(keyMaterial(k), this.opts.urls);
      const log = this.opts.log.child({ userId, platform: st.platform, isPaper: st.is_paper });
      if (check.outcome === 'unreachable') {
        this.scheduleRetry(id, userId, st.stamp, check.reason, log);
        continue;
      }
      this.clear(id);
      const written = await asManager(this.sql, async (tx) => {
        if (!(await lockSecretAtStamp(tx, userId, st, 'pending'))) return false;
        return setSecretValidation(
          tx,
          userId,
          st.platform,
          st.is_paper,
          check.outcome,
          check.outcome === 'invalid' ? check.reason : null,
        );
      });
      recorded = true;
      if (written) {
        log.info(
          {
            status: check.outcome,
            ...(check.outcome === 'invalid' ? { reason: check.reason } : {}),
            ...(check.outcome === 'valid' && check.note ? { note: check.note } : {}),
          },
          'keys validated',
        );
      } else {
        log.info('keys changed while being validated: outcome dropped, the new keys are checked next');
      }
    }
    return recorded;
  }

  private scheduleRetry(id: string, userId: string, stamp: string, reason: string, log: Logger): void {
    const prev = this.backoff.get(id);
    if (prev) clearTimeout(prev.timer);
    const attempts = prev && prev.stamp === stamp ? prev.attempts + 1 : 1;
    const base = this.opts.retryBaseMs ?? 2000;
    const max = this.opts.retryMaxMs ?? 300_000;
    // Full jitter: many users' checks after a venue outage must not all come back at the same instant.
    const delay = Math.min(max, base * 2 ** (attempts - 1)) * (0.5 + Math.random() / 2);
    const timer = setTimeout(() => this.opts.onRetryDue(userId), delay);
    timer.unref();
    this.backoff.set(id, { stamp, attempts, notBefore: Date.now() + delay, timer });
    log.warn({ attempts, retryInMs: Math.round(delay), reason }, 'keys not validated: venue unreachable, will retry');
  }

  private clear(id: string): void {
    const b = this.backoff.get(id);
    if (b) clearTimeout(b.timer);
    this.backoff.delete(id);
  }

  close(): void {
    for (const b of this.backoff.values()) clearTimeout(b.timer);
    this.backoff.clear();
  }
}

/**
 * The user's state for a reconcile, new or rotated keys checked against the venue first (so the runner starts with
 * their real status): read again after a check wrote an outcome. Null or invalid as loadUserState says.
 */
export async function loadCheckedState(
  sql: Sql,
  validator: KeyValidator,
  userId: string,
): Promise<UserState | InvalidConfig | null> {
  const state = await loadUserState(sql, userId);
  if (!state || 'invalid' in state || !state.keys.some((k) => k.validationStatus === 'pending')) return state;
  if (!(await validator.validatePending(userId))) return state;
  return (await loadUserState(sql, userId)) ?? state;
}

// Keys are checked against the venue before they are saved: Kalshi with a signed GET /portfolio/balance, Polymarket
// with L1 auth (derive the API key from the private key). Errors are turned into sentences a user can act on; the
// key itself never appears in one.
import 'server-only';
import { POLYMARKET_WALLET_TYPE_HELP, type SecretInput } from '@polybot/schemas';
import { KalshiClient, PolymarketTrading, kalshiError, probeFunderControl } from '@polybot/venues';
import { serverEnv } from '~/env.ts';

/** A passed Polymarket check carries the key's own address: the key hint is built from it (save_user_secret). */
export type KeyCheck = { ok: true; address?: string } | { ok: false; field: string; message: string };

async function checkKalshi(input: Extract<SecretInput, { platform: 'kalshi' }>): Promise<KeyCheck> {
  const env = serverEnv();
  const basePath = input.isPaper ? (env.KALSHI_DEMO_API_BASE ?? env.KALSHI_API_BASE) : env.KALSHI_API_BASE;
  const client = new KalshiClient({
    basePath,
    credentials: { keyId: input.keyId, privateKeyPem: input.privateKeyPem },
    retry: { retries: 1, baseDelayMs: 200, maxDelayMs: 500 },
  });
  try {
    await client.read(() => client.portfolio.getBalance());
    return { ok: true };
  } catch (e) {
    const err = kalshiError(e);
    if (err.status === 401 || err.status === 403) {
      const what = /unknown api key/i.test(err.message)
        ? 'Kalshi does not know this API key id. Copy it again from Kalshi → Account → API keys.'
        : 'Kalshi rejected the signature: the private key does not belong to this API key id.';
      return { ok: false, field: /unknown api key/i.test(err.message) ? 'keyId' : 'privateKeyPem', message: what };
    }
    if (err.status === null)
      return { ok: false, field: '_form', message: 'Kalshi could not be reached. Try again in a minute.' };
    return { ok: false, field: '_form', message: `Kalshi refused the check (HTTP ${err.status}). Try again later.` };
  }
}

async function checkPolymarket(input: Extract<SecretInput, { platform: 'polymarket' }>): Promise<KeyCheck> {
  const env = serverEnv();
  const hex = input.privateKey.startsWith('0x') ? input.privateKey : `0x${input.privateKey}`;
  try {
    const trading = await PolymarketTrading.connect({
      clobUrl: env.POLYMARKET_CLOB_URL,
      privateKey: hex as `0x${string}`,
      chainId: env.POLYMARKET_CHAIN_ID,
      ...(input.apiCreds ? { creds: input.apiCreds } : {}),
      signatureType: input.signatureType,
      ...(input.signatureType !== 0 && input.funderAddress
        ? { funderAddress: input.funderAddress as `0x${string}` }
        : {}),
      retries: 1,
    });
    // Live keys: may this key trade for the funder? The venue answers an order no account can afford (account.ts).
    if (!input.isPaper) {
      const control = await probeFunderControl(trading.client);
      if (control.controls === false)
        return {
          ok: false,
          field: input.signatureType === 0 ? 'signatureType' : 'funderAddress',
          message: `Polymarket refused orders for ${trading.funder} as a ${POLYMARKET_WALLET_TYPE_HELP[input.signatureType].label}: "${control.reason}". Check the wallet type and that the funder is the address polymarket.com shows under your profile.`,
        };
    }
    return { ok: true, address: trading.address };
  } catch (e) {
    const status =
      typeof e === 'object' && e !== null && 'status' in e && typeof e.status === 'number' ? e.status : null;
    if (status === 401 || status === 403) {
      return {
        ok: false,
        field: 'privateKey',
        message: 'Polymarket did not accept this key: it could not derive API credentials for it.',
      };
    }
    if (status === null)
      return { ok: false, field: '_form', message: 'Polymarket could not be reached. Try again in a minute.' };
    return { ok: false, field: '_form', message: `Polymarket refused the check (HTTP ${status}). Try again later.` };
  }
}

export function checkKeysWithVenue(input: SecretInput): Promise<KeyCheck> {
  return input.platform === 'kalshi' ? checkKalshi(input) : checkPolymarket(input);
}

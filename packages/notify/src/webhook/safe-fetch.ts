// The only way notify code reaches a user-supplied URL (webhooks, Slack, Discord). A URL is user input pointing
// anywhere, so each hop is checked and then pinned: the host is resolved once, EVERY address it resolves to must be
// public (address-policy.ts), and the socket connects to the checked address through a custom `lookup`, so a DNS
// answer that changes between check and connect (rebinding) cannot redirect the request. Redirects are never followed
// by the HTTP client; at most MAX_REDIRECTS are followed here, each target checked like the first. One deadline
// covers the whole exchange, and a response body past the cap aborts the request.
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net, { type LookupFunction } from 'node:net';
import { judgeAddress } from './address-policy.ts';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}
export type Resolve = (hostname: string) => Promise<ResolvedAddress[]>;

export interface SafeFetchOptions {
  /** Local mode only: permit http:// (outside local mode every URL must be https). */
  allowHttp?: boolean;
  /** Local mode only: CIDR ranges exempt from the address policy (e.g. the local webhook receiver on 127.0.0.1). */
  exemptRanges?: readonly string[];
  /** Name resolution (default: every address dns.lookup returns). Tests inject a resolver. */
  resolve?: Resolve;
  timeoutMs?: number;
  maxResponseBytes?: number;
  /** Extra trusted CA certificates (PEM) for https (tests); production trusts the system store only. */
  ca?: string;
}

export interface SafeRequest {
  method: 'POST' | 'GET';
  headers?: Record<string, string>;
  body?: string;
}

export interface SafeResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The URL that answered (after redirects). */
  url: string;
}

export const DEFAULT_TIMEOUT_MS = 5_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024;
export const MAX_REDIRECTS = 3;

export type SafeFetchErrorKind =
  'bad_url' | 'refused_address' | 'too_many_redirects' | 'timeout' | 'response_too_large' | 'network';

/** Why nothing usable came back. `retryable` says whether trying again later could succeed. */
export class SafeFetchError extends Error {
  readonly retryable: boolean;
  constructor(
    readonly kind: SafeFetchErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'SafeFetchError';
    this.retryable = kind === 'timeout' || kind === 'network';
  }
}

const systemResolve: Resolve = async (hostname) => {
  const all = await dns.promises.lookup(hostname, { all: true, verbatim: true });
  return all.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

/** Parses and checks one hop's URL and returns the single address the request will connect to. */
async function checkTarget(url: URL, options: SafeFetchOptions): Promise<ResolvedAddress> {
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && options.allowHttp)) {
    throw new SafeFetchError('bad_url', `${url.protocol} URLs are not allowed; use https`);
  }
  if (url.username || url.password) throw new SafeFetchError('bad_url', 'credentials in the URL are not allowed');
  // URL keeps IPv6 literals bracketed: [::1].
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: ResolvedAddress[];
  const literal = net.isIP(host);
  if (literal !== 0) {
    addresses = [{ address: host, family: literal === 6 ? 6 : 4 }];
  } else {
    try {
      addresses = await (options.resolve ?? systemResolve)(host);
    } catch (error) {
      throw new SafeFetchError('network', `cannot resolve ${host}: ${(error as Error).message}`);
    }
    if (addresses.length === 0) throw new SafeFetchError('network', `${host} resolves to no address`);
  }
  // Every answer must pass, not just the first: otherwise a name with one public and one private record could be
  // checked on one and connected on the other.
  for (const { address } of addresses) {
    const verdict = judgeAddress(address, options.exemptRanges);
    if (!verdict.allowed) {
      throw new SafeFetchError('refused_address', `${host} resolves to ${address} (${verdict.range}): not allowed`);
    }
  }
  return addresses[0] as ResolvedAddress;
}

function pinnedLookup(pinned: ResolvedAddress): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) callback(null, [pinned]);
    else callback(null, pinned.address, pinned.family);
  };
}

function oneHop(url: URL, pinned: ResolvedAddress, req: SafeRequest, signal: AbortSignal, options: SafeFetchOptions) {
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  return new Promise<SafeResponse>((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const request = client.request(url, {
      method: req.method,
      headers: req.headers,
      lookup: pinnedLookup(pinned),
      signal,
      // A fresh socket per request: a pooled socket could have been opened for another (unchecked) answer.
      agent: false,
      // TLS still verifies the certificate against the URL's host name (SNI and check), not the pinned address.
      ...(options.ca ? { ca: options.ca } : {}),
    });
    request.on('error', (error) => {
      if (signal.aborted) reject(signalError(signal));
      else reject(new SafeFetchError('network', error.message));
    });
    request.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) {
          request.destroy();
          reject(new SafeFetchError('response_too_large', `response larger than ${maxBytes} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          url: url.href,
        }),
      );
      res.on('error', (error) =>
        reject(signal.aborted ? signalError(signal) : new SafeFetchError('network', error.message)),
      );
    });
    request.end(req.body);
  });
}

function signalError(signal: AbortSignal): SafeFetchError {
  return signal.reason instanceof SafeFetchError ? signal.reason : new SafeFetchError('timeout', 'request timed out');
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Fetches `rawUrl` under the SSRF policy. Throws SafeFetchError; any HTTP status is returned, not thrown. */
export async function safeFetch(
  rawUrl: string,
  req: SafeRequest,
  options: SafeFetchOptions = {},
): Promise<SafeResponse> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new SafeFetchError('bad_url', 'not a valid URL');
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new SafeFetchError('timeout', `no complete answer within ${timeoutMs} ms`)),
    timeoutMs,
  );
  try {
    let current = req;
    for (let hop = 0; ; hop++) {
      const pinned = await checkTarget(url, options);
      if (controller.signal.aborted) throw signalError(controller.signal);
      const res = await oneHop(url, pinned, current, controller.signal, options);
      const location = res.headers.location;
      if (!REDIRECTS.has(res.status) || !location) return res;
      if (hop >= MAX_REDIRECTS) throw new SafeFetchError('too_many_redirects', `more than ${MAX_REDIRECTS} redirects`);
      try {
        url = new URL(location, url);
      } catch {
        throw new SafeFetchError('bad_url', 'redirect to an invalid URL');
      }
      // 307/308 repeat the request as it was; the others become a GET without a body (what browsers do).
      if (res.status !== 307 && res.status !== 308)
        current = { method: 'GET', headers: withoutBodyHeaders(req.headers) };
    }
  } finally {
    clearTimeout(timer);
  }
}

function withoutBodyHeaders(headers: Record<string, string> = {}): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([k]) => !/^content-/i.test(k)));
}

/**
 * The checks safeFetch makes before connecting (scheme, credentials, every address the host resolves to), without
 * sending anything: the settings page refuses a private address when a user adds a URL, not only at its first
 * delivery. Passing says nothing about later: DNS may change, so safeFetch checks again on every request.
 */
export async function checkSafeFetchUrl(rawUrl: string, options: SafeFetchOptions = {}): Promise<void> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new SafeFetchError('bad_url', 'not a valid URL');
  }
  await checkTarget(url, options);
}

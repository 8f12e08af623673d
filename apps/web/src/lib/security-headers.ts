// The browser-side defences every response carries (docs/SECURITY.md §9). Pure (no environment): next.config.ts sends
// SECURITY_HEADERS on every path, static files included; the proxy (src/proxy.ts) adds the Content-Security-Policy with
// a fresh nonce per request, since Next's hydration needs inline scripts and a nonce is what lets exactly ours run.

/** Sent on every response by next.config.ts `headers()`. */
export const SECURITY_HEADERS: readonly { key: string; value: string }[] = [
  // A response is what its Content-Type says (no script sniffed out of an upload or a JSON body).
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  // Our URLs (trade ids, filters, ?next=) stay with us; other sites, Stripe included, get no Referer.
  { key: 'Referrer-Policy', value: 'same-origin' },
  // No framing (clickjacking): CSP frame-ancestors for current browsers, X-Frame-Options for the rest.
  { key: 'X-Frame-Options', value: 'DENY' },
  // Features the app never uses, off for it and anything it might embed.
  {
    key: 'Permissions-Policy',
    value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()',
  },
  // A page we open (or that opens us) gets no window handle to ours.
  { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
  // Browsers honour it only over https (ignored on the local http stack): https only, for a year.
  { key: 'Strict-Transport-Security', value: 'max-age=31536000' },
];

export interface CspOptions {
  /** Base64 nonce of this response: Next puts it on every script it renders. */
  nonce: string;
  /** Served over https (APP_URL): also upgrade any http sub-resource. */
  https: boolean;
  /** `next dev` only: React's development build and the dev server evaluate code, so 'unsafe-eval' is added. */
  development?: boolean;
}

/**
 * The Content-Security-Policy of a page. Scripts: only those carrying this response's nonce, and what they load
 * ('strict-dynamic'), so an injected <script> or inline handler never runs. Styles allow inline: React renders
 * `style={{…}}` as style attributes (no script can run from CSS). Everything else comes from our own origin only — there
 * is no browser Supabase client, and the dashboard polls our own /api/status. Nothing may frame us, no plugins, no
 * <base> rewriting. `form-action` is left open on purpose: without JavaScript the billing forms answer with a redirect
 * to Stripe's hosted Checkout/Portal, which Chromium checks against form-action and would block.
 */
export function contentSecurityPolicy({ nonce, https, development = false }: CspOptions): string {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    ...(https ? ['upgrade-insecure-requests'] : []),
  ];
  return directives.join('; ');
}

/** 128 random bits, base64: unguessable per response. */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

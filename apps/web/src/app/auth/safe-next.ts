// Where sign-in sends the user afterwards (`?next=`). Only a path on this site: an open redirect through `next` would
// let a link sign someone in on our page and then hand their fresh session's tab to any site (phishing that starts
// on our own domain). Browsers resolve `next` with the WHATWG URL parser, which reads `/\evil.com`, `/<tab>/evil.com`
// and `\\evil.com` as another host, so a prefix check on the raw string is not enough: the value is parsed the way the
// browser will parse it and kept only if it stays on our origin.
export const DEFAULT_NEXT = '/dashboard';

/** Longer than any path of ours; a bigger value is refused rather than parsed. */
export const MAX_NEXT_LENGTH = 2048;

// Any fixed origin will do: only whether `next` keeps it matters. `.invalid` can never be a real host.
const BASE = 'https://polybot.invalid';

function sameOriginPath(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return null;
  }
  if (url.origin !== BASE) return null;
  return `${url.pathname}${url.search}${url.hash}`;
}

/**
 * `next` as a same-origin path (pathname + search + hash, as the URL parser serialized them), or `/dashboard`.
 * The result is parsed once more: dot segments can turn a harmless-looking path into `//evil.com` after
 * normalization (`/.//evil.com`), which as a Location header would be protocol-relative.
 */
export function safeNext(next: string | null | undefined): string {
  if (!next || next.length > MAX_NEXT_LENGTH || !next.startsWith('/')) return DEFAULT_NEXT;
  const path = sameOriginPath(next);
  if (path === null || !path.startsWith('/') || path.startsWith('//')) return DEFAULT_NEXT;
  return sameOriginPath(path) === path ? path : DEFAULT_NEXT;
}

// Pure helpers (no server-only imports) so they can be unit tested directly.

/** Raw runner errors are for operators; users get what happened and what to do. */
export function explainError(raw: string | null): string | null {
  if (!raw) return null;
  if (/401|403|auth|signature|api key/i.test(raw))
    return 'A venue rejected your keys. Rotate them on the API keys page.';
  if (/balance|insufficient|funds/i.test(raw))
    return 'Not enough balance on the venue to place orders. Add funds or lower the trade size.';
  if (/crash|exit|backoff|restart/i.test(raw))
    return 'Your bot stopped unexpectedly several times. We are looking at it; pausing and resuming may help.';
  if (/timeout|ECONN|network|unreachable/i.test(raw))
    return 'A venue could not be reached. Your bot retries on its own.';
  return 'Your bot hit a problem and stopped. Pause and resume it; if that does not help, contact support.';
}

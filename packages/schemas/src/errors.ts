// Catch sites receive `unknown`; every package turns it into an Error the same way, here.

/**
 * Whatever was thrown, as an Error. An Error passes through unchanged (its own `cause` chain intact); anything else
 * becomes an Error whose message describes it and whose `cause` is the original value, so nothing thrown is lost.
 */
export function coerceError(e: unknown): Error {
  if (e instanceof Error) return e;
  return new Error(typeof e === 'string' ? e : describe(e), { cause: e });
}

function describe(e: unknown): string {
  try {
    return JSON.stringify(e) ?? String(e);
  } catch {
    // a cycle or a BigInt: JSON cannot say it, String can
    return String(e);
  }
}

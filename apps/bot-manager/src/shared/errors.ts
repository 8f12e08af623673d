/** One place that turns whatever was thrown into an Error (catch sites receive `unknown`). */
export function coerceError(e: unknown): Error {
  return e instanceof Error ? e : new Error(typeof e === 'string' ? e : JSON.stringify(e));
}

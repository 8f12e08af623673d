// Minimal assertions for the Deno tests (jsr:@std/assert cannot be fetched here; node:assert's deep equality is
// what we need and Deno ships it).
import { deepStrictEqual, notDeepStrictEqual } from 'node:assert';

export function assertEquals<T>(actual: T, expected: T, message?: string): void {
  deepStrictEqual(actual, expected, message);
}

export function assertNotEquals<T>(actual: T, expected: T, message?: string): void {
  notDeepStrictEqual(actual, expected, message);
}

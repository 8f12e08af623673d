import { describe, expect, it } from 'vitest';
import { coerceError } from './errors.ts';

describe('coerceError', () => {
  it('returns an Error as it is, cause and all', () => {
    const inner = new Error('inner');
    const e = new Error('outer', { cause: inner });
    expect(coerceError(e)).toBe(e);
    expect(coerceError(e).cause).toBe(inner);
  });

  it('keeps a thrown non-Error as the cause', () => {
    const thrown = { code: 'E42', detail: 'x' };
    const e = coerceError(thrown);
    expect(e.message).toBe('{"code":"E42","detail":"x"}');
    expect(e.cause).toBe(thrown);
    expect(coerceError('plain').message).toBe('plain');
    expect(coerceError('plain').cause).toBe('plain');
  });

  it('describes values JSON cannot', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(coerceError(cyclic).message).toBe('[object Object]');
    expect(coerceError(undefined).message).toBe('undefined');
    expect(coerceError(10n).message).toBe('10');
  });
});

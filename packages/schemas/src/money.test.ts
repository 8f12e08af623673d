import { describe, expect, it } from 'vitest';
import { formatSignedUsd, formatUsd } from './money.ts';

describe('formatUsd', () => {
  it('two decimals, a real minus sign before the dollar sign', () => {
    expect(formatUsd(0.41)).toBe('$0.41');
    expect(formatUsd(12)).toBe('$12.00');
    expect(formatUsd(-3.456)).toBe('−$3.46');
    expect(formatUsd(1234.5)).toBe('$1234.50');
  });
  it('signs gains and losses', () => {
    expect(formatSignedUsd(3.2)).toBe('+$3.20');
    expect(formatSignedUsd(-1.05)).toBe('−$1.05');
    expect(formatSignedUsd(0)).toBe('$0.00');
  });
});

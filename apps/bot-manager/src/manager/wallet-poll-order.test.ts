import { describe, expect, test } from 'vitest';
import { fairPollOrder, type Follower } from './wallet-poll-order.ts';

const many = Array.from({ length: 50 }, (_, i) => `0xa${i}`);

describe('fairPollOrder', () => {
  test('a one-wallet user is polled in every round, within one turn per user, however long the other list', () => {
    const a: Follower = { wallets: many, next: 0 };
    const b: Follower = { wallets: ['0xb'], next: 0 };
    for (let round = 0; round < 20; round++) {
      const { order, next } = fairPollOrder([a, b], 5, round % 2);
      expect(order).toHaveLength(5);
      expect(order.indexOf('0xb')).toBeGreaterThanOrEqual(0);
      expect(order.indexOf('0xb')).toBeLessThan(2);
      a.next = next[0] ?? 0;
      b.next = next[1] ?? 0;
    }
  });

  test("the long list's wallets all get their turn over rounds, in its order", () => {
    const a: Follower = { wallets: many, next: 0 };
    const seen: string[] = [];
    for (let round = 0; round < 10; round++) {
      const { order, next } = fairPollOrder([a], 5);
      seen.push(...order);
      a.next = next[0] ?? 0;
    }
    expect(seen).toEqual(many);
  });

  test('a wallet several users follow is polled once a round; a round never exceeds its budget', () => {
    const { order } = fairPollOrder(
      [
        { wallets: ['0xs', '0x1'], next: 0 },
        { wallets: ['0xs', '0x2'], next: 0 },
      ],
      10,
    );
    expect(order).toEqual(['0xs', '0x2', '0x1']);
    expect(fairPollOrder([{ wallets: many, next: 0 }], 3).order).toHaveLength(3);
  });

  test('under budget, everything is polled every round (as before the budget)', () => {
    const { order } = fairPollOrder(
      [
        { wallets: ['0x1', '0x2', '0x3'], next: 1 },
        { wallets: ['0x4'], next: 0 },
      ],
      100,
    );
    expect([...order].sort()).toEqual(['0x1', '0x2', '0x3', '0x4']);
  });
});

// The double-runner check can fail: two runners of one user seen at once (in /proc samples or in the venue's per-key
// log) are reported; one after the other, or two users at once, are not.
import { expect, test } from 'vitest';
import { overlappingRunners, spansOf } from './overlap.ts';

test('two runners of one user with overlapping spans are reported; back-to-back runners and other users are not', () => {
  const spans = [
    { userId: 'u1', runner: 'a', from: 0, to: 100 },
    { userId: 'u1', runner: 'b', from: 101, to: 200 },
    { userId: 'u2', runner: 'c', from: 50, to: 150 },
  ];
  expect(overlappingRunners(spans)).toEqual([]);
  const late = { userId: 'u1', runner: 'd', from: 150, to: 160 };
  expect(overlappingRunners([...spans, late])).toEqual([{ userId: 'u1', a: spans[1], b: late }]);
  // Sharing one instant (seen in the same sample) is an overlap.
  const touching = { userId: 'u2', runner: 'e', from: 150, to: 300 };
  expect(overlappingRunners([...spans, touching])).toHaveLength(1);
});

test("a venue log where a user's requests come from two runners interleaved is reported", () => {
  const log = [
    { userId: 'u1', runner: 'p1', atMs: 10 },
    { userId: 'u1', runner: 'p1', atMs: 20 },
    { userId: 'u1', runner: 'p2', atMs: 30 },
    { userId: 'u1', runner: 'p2', atMs: 40 },
  ];
  expect(overlappingRunners(spansOf(log))).toEqual([]);
  // p1 sends again after p2 has started: both were trading in 30..50.
  expect(overlappingRunners(spansOf([...log, { userId: 'u1', runner: 'p1', atMs: 50 }]))).toHaveLength(1);
});

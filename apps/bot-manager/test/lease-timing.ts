// The lease timing every test manager runs with (one home: in-process stacks, manager processes, the cluster tests).
// Shorter than production (15 s / 3 s / 5 s) so a suite that kills a manager does not wait long for its lease, yet:
//   - the safety margin (4 s) covers a runner's exit at its deadline — cancel-all is bounded at 3 s (dead-man.ts) —
//     so an old runner is gone before its user's shard can be taken (the cluster tests check processes, not only
//     orders);
//   - the deadline falls 4 s after the last renewal was sent, renewals every second: a test machine whose event loop
//     stalls for up to ~3 s (two cores, a CI run) does not fence a healthy manager.
export const TEST_LEASES = { ttlMs: 8000, renewMs: 1000, safetyMs: 4000 } as const;

/** The same, as the manager CLI's environment (env.ts). */
export const TEST_LEASE_ENV = {
  LEASE_TTL_MS: String(TEST_LEASES.ttlMs),
  LEASE_RENEW_MS: String(TEST_LEASES.renewMs),
  LEASE_SAFETY_MS: String(TEST_LEASES.safetyMs),
} as const;

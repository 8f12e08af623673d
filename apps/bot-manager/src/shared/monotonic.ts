// One clock for deadlines that cross the manager ↔ runner boundary (the lease deadline, issue 15): process.hrtime reads
// CLOCK_MONOTONIC on Linux (libuv's uv_hrtime), which every process on the machine shares and which never jumps with
// the wall clock. A manager can therefore hand its runners an absolute deadline, and a runner frozen out of contact
// still knows when it has passed.

/** Milliseconds on the machine's monotonic clock (same value in the manager and its runners). */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint() / 1_000_000n);
}

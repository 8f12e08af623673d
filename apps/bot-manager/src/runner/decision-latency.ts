// Book-update-to-decision latency (hub receive in the manager → strategy evaluated here, across the IPC hop), as a
// p99 over a sliding time window: what it is now, not what it was during the start-up burst of snapshots. Samples
// live in a fixed ring, so a busy runner's memory and the cost of each p99 stay bounded whatever the update rate.

export const LATENCY_WINDOW_MS = 60_000;
const RING_SIZE = 4096;

export class DecisionLatencies {
  private readonly atMs = new Float64Array(RING_SIZE);
  private readonly latencyMs = new Float64Array(RING_SIZE);
  /** Next slot to write; the ring holds min(total, RING_SIZE) samples ending just before it. */
  private next = 0;
  private total = 0;

  constructor(private readonly windowMs = LATENCY_WINDOW_MS) {}

  record(latencyMs: number, nowMs = Date.now()): void {
    this.atMs[this.next] = nowMs;
    this.latencyMs[this.next] = latencyMs;
    this.next = (this.next + 1) % RING_SIZE;
    this.total++;
  }

  /** Every book update priced at once since start. */
  get decisions(): number {
    return this.total;
  }

  /**
   * p99 of the decisions in the last window (at most the last RING_SIZE of them: past ~68 a second the window is
   * shorter than its nominal length); null when there were none.
   */
  p99(nowMs = Date.now()): number | null {
    const from = nowMs - this.windowMs;
    const kept = Math.min(this.total, RING_SIZE);
    const inWindow: number[] = [];
    for (let k = 1; k <= kept; k++) {
      const i = (this.next - k + RING_SIZE) % RING_SIZE;
      // Newest first: the first sample older than the window ends the walk.
      if ((this.atMs[i] ?? 0) < from) break;
      inWindow.push(this.latencyMs[i] ?? 0);
    }
    if (inWindow.length === 0) return null;
    inWindow.sort((a, b) => a - b);
    return inWindow[Math.min(inWindow.length - 1, Math.floor(inWindow.length * 0.99))] ?? null;
  }
}

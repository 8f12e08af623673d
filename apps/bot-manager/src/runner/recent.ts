// The last opportunities a runner met, newest first, for the dashboard (sent in every heartbeat). One entry per
// opportunity id: the same basket re-priced on every book update is one opportunity, not a stream of them.
import type { Opportunity } from '@polybot/schemas';
import { RECENT_OPPORTUNITIES, type RecentOpportunity } from '../shared/ipc.ts';

export class RecentOpportunities {
  private readonly entries: Array<RecentOpportunity & { id: string }> = [];

  constructor(private readonly size = RECENT_OPPORTUNITIES) {}

  seen(o: Opportunity): void {
    if (this.entries.some((e) => e.id === o.id)) return;
    this.entries.unshift({
      id: o.id,
      strategy: o.strategy,
      description: o.description.slice(0, 500),
      expected_profit_usd: Math.round(o.expectedProfit * 1e6) / 1e6,
      detected_at_ms: Math.max(0, Math.round(o.detectedAtMs)),
      acted: false,
    });
    if (this.entries.length > this.size) this.entries.length = this.size;
  }

  acted(id: string): void {
    const e = this.entries.find((x) => x.id === id);
    if (e) e.acted = true;
  }

  list(): RecentOpportunity[] {
    return this.entries.map(({ id: _id, ...rest }) => rest);
  }
}

// The last opportunities a runner met, newest first, for the dashboard (sent in every heartbeat). One entry per
// opportunity id: the same basket re-priced on every book update is one opportunity, not a stream of them. Each
// one not taken says why (a skip code and words, BotOpportunitySchema).
import type { Opportunity, OpportunitySkipCode } from '@polybot/schemas';
import { RECENT_OPPORTUNITIES, type RecentOpportunity } from '../shared/ipc.ts';

export class RecentOpportunities {
  private readonly entries: Array<RecentOpportunity & { id: string }> = [];

  constructor(
    private readonly size = RECENT_OPPORTUNITIES,
    /** An opportunity not among the recent ones (opportunity_found notifications: runner.ts). */
    private readonly onNew: (o: Opportunity) => void = () => undefined,
  ) {}

  seen(o: Opportunity): void {
    if (this.entries.some((e) => e.id === o.id)) return;
    this.onNew(o);
    this.entries.unshift({
      id: o.id,
      strategy: o.strategy,
      description: o.description.slice(0, 500),
      expected_profit_usd: Math.round(o.expectedProfit * 1e6) / 1e6,
      detected_at_ms: Math.max(0, Math.round(o.detectedAtMs)),
      acted: false,
      skip_code: null,
      skip_reason: null,
    });
    if (this.entries.length > this.size) this.entries.length = this.size;
  }

  acted(id: string): void {
    const e = this.entries.find((x) => x.id === id);
    if (!e) return;
    e.acted = true;
    e.skip_code = null;
    e.skip_reason = null;
  }

  /** Why it was not taken (the latest reason: an opportunity is looked at again on every price change). */
  skipped(id: string, code: OpportunitySkipCode, reason: string): void {
    const e = this.entries.find((x) => x.id === id);
    if (!e || e.acted) return;
    e.skip_code = code;
    e.skip_reason = reason.slice(0, 300);
  }

  list(): RecentOpportunity[] {
    return this.entries.map(({ id: _id, ...rest }) => rest);
  }
}

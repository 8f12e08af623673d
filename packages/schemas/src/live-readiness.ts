// Which enabled venues would trade paper with Live chosen, and why: a venue trades live only with the plan allowing
// live trading and a validated live (non-paper) key for THAT venue (dry run off being the choice itself). The one
// home of that rule: the runner decides with it (runner/mode.ts decideMode), the config page warns with it before
// saving and the save message repeats it (apps/web).
import type { VenueId } from './market.ts';
import type { SecretValidationStatus } from './secrets.ts';

export const VENUE_NAMES: Record<VenueId, string> = { polymarket: 'Polymarket', kalshi: 'Kalshi' };

export interface LiveKeyState {
  platform: VenueId;
  is_paper: boolean;
  is_active: boolean;
  validation_status: SecretValidationStatus;
}

export interface PaperVenue {
  venue: VenueId;
  /** In words: why this venue stays paper with Live chosen. */
  why: string;
}

/** The enabled venues that would still trade paper with Live chosen (empty: every enabled venue can go live). */
export function venuesStayingPaper(
  enabled: Readonly<Record<VenueId, boolean>>,
  liveTradingAllowed: boolean,
  keys: readonly LiveKeyState[],
): PaperVenue[] {
  const out: PaperVenue[] = [];
  for (const venue of Object.keys(VENUE_NAMES) as VenueId[]) {
    if (!enabled[venue]) continue;
    const name = VENUE_NAMES[venue];
    if (!liveTradingAllowed) {
      out.push({ venue, why: `your plan does not include live trading` });
      continue;
    }
    const live = keys.find((k) => k.platform === venue && !k.is_paper && k.is_active);
    const status = live?.validation_status;
    if (status === 'valid') continue;
    out.push({
      venue,
      why:
        status === 'invalid' || status === 'expired'
          ? `${name} rejected your live key`
          : status === 'pending'
            ? `your live ${name} key is not checked with ${name} yet`
            : `no live ${name} key saved`,
    });
  }
  return out;
}

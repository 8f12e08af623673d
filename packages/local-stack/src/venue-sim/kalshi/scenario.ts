// The kalshi.json scenario format, and the deterministic generator that expands `generator` (stress) at load time.
import { z } from 'zod';
import { seededRandom } from '../seeded-random.ts';

const DollarString = z.string().regex(/^(0(\.\d{1,4})?|1(\.0{1,4})?)$/, 'price must be a dollar string in [0, 1]');
const CountString = z.string().regex(/^\d+(\.\d{1,2})?$/, 'count must be a decimal string with at most 2 places');
/** [price_dollars, count] pairs, as in `orderbook_fp`. */
const Levels = z.array(z.tuple([DollarString, CountString]));

export const MarketSchema = z.object({
  ticker: z.string().min(1),
  title: z.string(),
  yes_sub_title: z.string(),
  no_sub_title: z.string().optional(),
  close_time: z.string(),
  strike_type: z.enum(['greater', 'greater_or_equal', 'less', 'less_or_equal', 'between', 'custom']).optional(),
  floor_strike: z.number().optional(),
  cap_strike: z.number().optional(),
  rules_primary: z.string().default(''),
  last_price: DollarString.optional(),
  volume: z.number().int().nonnegative().default(0),
  /** Bids only, like the venue: YES bids and NO bids. */
  book: z.object({ yes: Levels, no: Levels }),
});
export type ScenarioMarket = z.infer<typeof MarketSchema>;

export const EventSchema = z.object({
  event_ticker: z.string().min(1),
  series_ticker: z.string().min(1),
  title: z.string(),
  sub_title: z.string().default(''),
  category: z.string().default(''),
  mutually_exclusive: z.boolean(),
  markets: z.array(MarketSchema).min(1),
});
export type ScenarioEvent = z.infer<typeof EventSchema>;

const SeriesSchema = z.object({
  ticker: z.string().min(1),
  /** Taker fee rate (0.07 = Kalshi's common quadratic fee). */
  taker_fee_rate: z.number().min(0).max(1).default(0.07),
});

const PathStepSchema = z.object({
  /** Milliseconds after the simulation starts. */
  at_ms: z.number().int().nonnegative(),
  ticker: z.string().min(1),
  side: z.enum(['yes', 'no']),
  price: DollarString,
  /** New resting size at that level from the scripted (house) liquidity; "0" removes it. */
  size: CountString,
});
export type PathStep = z.infer<typeof PathStepSchema>;

const ResolutionSchema = z.object({
  at_ms: z.number().int().nonnegative(),
  ticker: z.string().min(1),
  result: z.enum(['yes', 'no']),
});
export type Resolution = z.infer<typeof ResolutionSchema>;

const AccountSchema = z.object({
  key_id: z.string().min(1),
  public_key_pem: z.string().includes('PUBLIC KEY'),
  balance_cents: z.number().int().nonnegative(),
});

const GeneratorSchema = z.object({
  seed: z.number().int(),
  events: z.number().int().positive().max(5000),
  markets_per_event: z.number().int().min(2).max(20),
  updates_per_second: z.number().positive().max(10_000),
  close_time: z.string(),
});
export type Generator = z.infer<typeof GeneratorSchema>;

export const KalshiScenarioSchema = z.object({
  venue: z.literal('kalshi').default('kalshi'),
  description: z.string().default(''),
  series: z.array(SeriesSchema).default([]),
  events: z.array(EventSchema).default([]),
  price_path: z.array(PathStepSchema).default([]),
  resolutions: z.array(ResolutionSchema).default([]),
  accounts: z.array(AccountSchema).default([]),
  generator: GeneratorSchema.optional(),
  /** Documentation for tests and other helpers (opportunities the scenario is built to contain, link hints). */
  expected: z.array(z.unknown()).optional(),
  pairs_hint: z.array(z.unknown()).optional(),
});
export type KalshiScenario = z.infer<typeof KalshiScenarioSchema>;

export function parseKalshiScenario(input: unknown): KalshiScenario {
  const parsed = KalshiScenarioSchema.safeParse(input);
  if (!parsed.success) throw new Error(`invalid kalshi scenario: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

const cents = (c: number): string => (c / 100).toFixed(2);

/**
 * Expands the generator into events shaped like KXELONTWEETS (mutually exclusive buckets, a few levels a side).
 * Prices are chosen so each event's YES asks sum to more than $1 after fees: stress load, not free money.
 */
export function generateEvents(gen: Generator): ScenarioEvent[] {
  const rand = seededRandom(gen.seed);
  const events: ScenarioEvent[] = [];
  for (let e = 0; e < gen.events; e++) {
    const eventTicker = `KXSTRESS-${String(e).padStart(4, '0')}`;
    const weights = Array.from({ length: gen.markets_per_event }, () => 0.2 + rand());
    const total = weights.reduce((a, b) => a + b, 0);
    const markets: ScenarioMarket[] = weights.map((w, m) => {
      const fair = Math.min(95, Math.max(2, Math.round((w / total) * 100)));
      const yesAsk = Math.min(98, fair + 2);
      const yesBid = Math.max(1, fair - 2);
      const depth = (): string => String(10 + Math.floor(rand() * 490));
      return {
        ticker: `${eventTicker}-B${m}`,
        title: `Stress bucket ${m} of ${eventTicker}`,
        yes_sub_title: `Bucket ${m}`,
        close_time: gen.close_time,
        rules_primary: '',
        volume: Math.floor(rand() * 10_000),
        book: {
          yes: [yesBid - 1, yesBid].filter((p) => p >= 1).map((p) => [cents(p), depth()] as [string, string]),
          no: [100 - yesAsk - 1, 100 - yesAsk]
            .filter((p) => p >= 1)
            .map((p) => [cents(p), depth()] as [string, string]),
        },
      };
    });
    events.push({
      event_ticker: eventTicker,
      series_ticker: 'KXSTRESS',
      title: `Stress event ${e}`,
      sub_title: '',
      category: 'Stress',
      mutually_exclusive: true,
      markets,
    });
  }
  return events;
}

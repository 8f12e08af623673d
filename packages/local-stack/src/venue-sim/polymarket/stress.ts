// Generated book churn for the stress scenario: a fixed number of level changes per scenario second, picked
// by a seeded generator so two runs see the same sequence.
import { roundSize, type LevelChange } from './book.ts';
import { seededRandom } from '../seeded-random.ts';
import type { SimToken, World } from './world.ts';

export class StressDriver {
  private readonly random: () => number;
  updates = 0;

  constructor(
    private readonly world: World,
    seed: number,
    private readonly perSecond: number,
    private readonly publish: (token: SimToken, changes: LevelChange[]) => void,
  ) {
    this.random = seededRandom(seed ^ 0xc0ffee);
  }

  advanceTo(elapsedMs: number): void {
    const due = Math.floor((elapsedMs * this.perSecond) / 1000);
    // Bounded catch-up: a long manual time jump must not stall the server for seconds.
    const start = Math.max(this.updates, due - this.perSecond * 5);
    for (let i = start; i < due; i++) this.step();
    this.updates = Math.max(this.updates, due);
  }

  private step(): void {
    const tokens = this.world.tokenList;
    const token = tokens[Math.floor(this.random() * tokens.length)];
    if (!token) return;
    const side = this.random() < 0.5 ? 'bid' : 'ask';
    const levels = token.book.sortedPips(side);
    const pips = levels[Math.floor(this.random() * Math.min(levels.length, 5))];
    if (pips === undefined) return;
    this.publish(token, [token.book.setScenarioLiquidity(side, pips, roundSize(50 + this.random() * 1000))]);
  }
}

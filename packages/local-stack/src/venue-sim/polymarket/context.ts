// What the Polymarket route modules share: the world, accounts, keys, scenario clock and the broadcaster.
import type { Accounts } from './accounts.ts';
import type { ApiKeyStore } from './auth.ts';
import type { LevelChange } from './book.ts';
import type { SignerRateLimits } from './rate-limit.ts';
import type { SmartWallets } from './wallets.ts';
import type { Heartbeats } from './heartbeats.ts';
import type { World, SimToken } from './world.ts';

export interface SimContext {
  world: World;
  accounts: Accounts;
  keys: ApiKeyStore;
  /** Scenario time, ms since epoch. */
  now(): number;
  /** Tell market-channel subscribers that levels of a book changed. */
  publishChanges(token: SimToken, changes: LevelChange[]): void;
  publishTrade(token: SimToken, price: number, size: number, side: 'BUY' | 'SELL'): void;
  nextId(prefix: string): string;
  /** Per-signer order and cancel buckets (Poly-RateLimit-* headers, 429 with Retry-After). */
  rateLimits: SignerRateLimits;
  /** Proxy / Safe / deposit wallets and the owner EOAs that control them. */
  wallets: SmartWallets;
  /** The heartbeat dead-man switch (heartbeats.ts). */
  heartbeats: Heartbeats;
}

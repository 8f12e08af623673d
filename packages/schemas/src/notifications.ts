// Payloads of the NOTIFY channels fired by the triggers in supabase/migrations.
import { z } from 'zod';
import { MarketLinkStatusSchema } from './market.ts';

export const USER_CHANGED_CHANNEL = 'polybot_user_changed';

export const UserChangedPayloadSchema = z.strictObject({
  user_id: z.uuid(),
  table: z.enum(['polybot_user_profiles', 'polybot_user_config', 'polybot_user_secrets']),
  op: z.enum(['insert', 'update', 'delete']),
});
export type UserChangedPayload = z.infer<typeof UserChangedPayloadSchema>;

/**
 * pg_notify('polybot_market_links_changed', ...): fired by private.notify_market_links_changed when a change touches
 * the approved set of polybot_market_links (a link approved, an approval withdrawn, an approved link deleted), so the
 * bot-manager re-reads the approved links and pushes them to its runners at once. Proposals alone never fire it.
 */
export const MARKET_LINKS_CHANGED_CHANNEL = 'polybot_market_links_changed';

export const MarketLinksChangedPayloadSchema = z.strictObject({
  link_id: z.number().int().positive(),
  /** The link's status after the change; null when the row was deleted. */
  status: MarketLinkStatusSchema.nullable(),
  op: z.enum(['insert', 'update', 'delete']),
});
export type MarketLinksChangedPayload = z.infer<typeof MarketLinksChangedPayloadSchema>;

/**
 * pg_notify('polybot_shards_changed', ''): fired by the manager_* coordination functions (migration
 * 20261208000100_manager_leases.sql) whenever membership (a join, a leave, a draining flag) or shard ownership (an
 * acquire, a release) changes, so every bot-manager re-plans its shards at once instead of at its next renewal. The
 * payload is empty: the listener re-reads the state through manager_renew.
 */
export const SHARDS_CHANGED_CHANNEL = 'polybot_shards_changed';

// The news rules the bot will not act on, as the bot manager reports them in its status row's stats
// (`ignored_news_rules`, each with the bot's reason; BotStatsSchema in @polybot/schemas). Older rows have no such key
// and a malformed value must not break a page: both read as "none ignored".
import { readBotStats } from '@polybot/schemas';

/**
 * Reason by rule id, only for rules still in the user's config: a rule removed a moment ago stays in the bot's list
 * until its next heartbeat, and a warning about a rule the user can no longer see would only confuse.
 */
export function ignoredNewsRules(stats: unknown, ruleIds: readonly string[]): Record<string, string> {
  const listed = readBotStats(stats).ignored_news_rules ?? [];
  const current = new Set(ruleIds);
  return Object.fromEntries(listed.filter((r) => current.has(r.rule_id)).map((r) => [r.rule_id, r.reason]));
}

// What news rules may cost a runner, bounded (issue 14 item 7): a runner matches each item it keeps against each rule
// once, so the work per item is at most `rulesPerUser` rules, and what a book update or a pricing looks at is at most
// `rulesPerUser × itemsKeptPerRunner` (item, rule) pairs already matched. The manager keeps `itemsKeptPerFeed` recent
// items per feed (and none older than the longest window a subscriber reads it with) to replay to late subscribers.

export const NEWS_LIMITS = {
  /** News rules in one user's config (AdvancedConfigSchema). */
  rulesPerUser: 50,
  /** Items a runner keeps (the oldest go first; none outside every rule's window). */
  itemsKeptPerRunner: 1000,
  /** Recent items the manager keeps per feed for replay. */
  itemsKeptPerFeed: 500,
} as const;

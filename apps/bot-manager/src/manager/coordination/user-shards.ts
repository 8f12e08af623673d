// Each user's shard as the database computes it (public.user_shard, via listUserShards), cached: it never changes.
export class UserShards {
  private readonly cache = new Map<string, number>();

  constructor(private readonly lookup: (userIds: string[]) => Promise<Map<string, number>>) {}

  /** The cached shard of a user, if looked up before. */
  cached(userId: string): number | undefined {
    return this.cache.get(userId);
  }

  /** The shards of `userIds`, one query for the ones not cached yet (none when all are). */
  async of(userIds: Iterable<string>): Promise<Map<string, number>> {
    const ids = [...userIds];
    const missing = ids.filter((u) => !this.cache.has(u));
    if (missing.length > 0) for (const [u, s] of await this.lookup(missing)) this.cache.set(u, s);
    const out = new Map<string, number>();
    for (const u of ids) {
      const s = this.cache.get(u);
      if (s !== undefined) out.set(u, s);
    }
    return out;
  }

  async one(userId: string): Promise<number | undefined> {
    return (await this.of([userId])).get(userId);
  }

  /** Users (among `userIds`) whose cached shard is in `shards`. */
  inShards(userIds: Iterable<string>, shards: ReadonlySet<number>): string[] {
    return [...userIds].filter((u) => {
      const s = this.cache.get(u);
      return s !== undefined && shards.has(s);
    });
  }
}

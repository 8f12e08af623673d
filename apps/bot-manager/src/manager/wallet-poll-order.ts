// Which followed wallets a polling round asks the data-API about, and in what order (SECURITY.md §7.3). The data-API's
// budget is per IP and shared by every user, so a round takes turns between followers — each user's next wallet, one
// user after another — instead of one user's whole list before the next user's: a user following 50 wallets cannot
// push another user's one wallet back by more than one turn per user. A wallet several users follow is polled once
// (it counts as the turn of the first one to reach it). A round makes at most `budget` polls; each follower's place
// in their own list carries over to the next round, so over rounds every wallet gets its turn.

export interface Follower {
  /** The wallets this user follows, in a stable order. */
  wallets: readonly string[];
  /** Where in `wallets` this user's next turn starts (carried over between rounds). */
  next: number;
}

/**
 * The round's polls, in order, and each follower's `next` after it. `first` is the follower whose turn comes first
 * (rotated by the caller between rounds, so no user is always first).
 */
export function fairPollOrder(
  followers: readonly Follower[],
  budget: number,
  first = 0,
): { order: string[]; next: number[] } {
  const turns = followers.map((f) => ({
    wallets: f.wallets,
    next: f.wallets.length > 0 ? f.next % f.wallets.length : 0,
    taken: 0,
  }));
  const polled = new Set<string>();
  const order: string[] = [];
  let progress = true;
  while (order.length < budget && progress) {
    progress = false;
    for (let k = 0; k < turns.length && order.length < budget; k++) {
      const t = turns[(first + k) % turns.length];
      // This user's next wallet not polled yet this round (one someone else already asked about is skipped).
      while (t && t.taken < t.wallets.length) {
        const w = t.wallets[t.next];
        t.next = (t.next + 1) % t.wallets.length;
        t.taken += 1;
        if (w === undefined || polled.has(w)) continue;
        polled.add(w);
        order.push(w);
        progress = true;
        break;
      }
    }
  }
  return { order, next: turns.map((t) => t.next) };
}

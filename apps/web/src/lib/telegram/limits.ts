// Per web-server process: how often one chat may make the bot work, and which updates it has already taken. Telegram
// itself limits a bot to about one message a second per chat, and redelivers an update it thinks was not received:
// both are kept in memory (bounded), which is enough to stop a flood or a double delivery reaching the database. Pause
// and resume have their own limit in the database (migration 20261207000610), shared by every surface.

export interface ChatRateLimit {
  /** Messages one chat may send in `windowMs`. */
  limit: number;
  windowMs: number;
}

export const TELEGRAM_CHAT_RATE: ChatRateLimit = { limit: 20, windowMs: 60_000 };
const MAX_TRACKED_CHATS = 10_000;
const REMEMBERED_UPDATES = 2_000;

export type RateVerdict = 'ok' | 'warn' | 'drop';

export class ChatRateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly rate: ChatRateLimit = TELEGRAM_CHAT_RATE,
    private readonly now: () => number = Date.now,
  ) {}

  /** 'ok' to answer; 'warn' for the first message over the limit (say so once); 'drop' for the rest of the window. */
  take(chatId: string): RateVerdict {
    const now = this.now();
    let w = this.windows.get(chatId);
    if (!w || now - w.start >= this.rate.windowMs) {
      if (this.windows.size >= MAX_TRACKED_CHATS) this.prune(now);
      w = { start: now, count: 0 };
      this.windows.set(chatId, w);
    }
    w.count++;
    if (w.count <= this.rate.limit) return 'ok';
    return w.count === this.rate.limit + 1 ? 'warn' : 'drop';
  }

  private prune(now: number): void {
    for (const [chat, w] of this.windows) if (now - w.start >= this.rate.windowMs) this.windows.delete(chat);
    // Still full of live windows: forget the oldest rather than grow without bound.
    for (const chat of this.windows.keys()) {
      if (this.windows.size < MAX_TRACKED_CHATS) break;
      this.windows.delete(chat);
    }
  }
}

/** The update ids taken lately, oldest forgotten first. */
export class SeenUpdates {
  private readonly ids = new Set<number>();

  /** True the first time an id is seen. */
  firstTime(updateId: number): boolean {
    if (this.ids.has(updateId)) return false;
    this.ids.add(updateId);
    if (this.ids.size > REMEMBERED_UPDATES) this.ids.delete(this.ids.values().next().value as number);
    return true;
  }
}

// Pausing and resuming the bot, for every surface that offers it (the dashboard's button, the Telegram bot's /pause
// and /resume): one home for what is checked and written, so the two cannot drift. The words stay with each surface.
import 'server-only';
import { withUser, type Db, type JwtClaims } from '@polybot/db';
import { getOwnProfile, lockOwnConfig, updateOwnConfig } from '@polybot/db/user';

export type BotToggleOutcome =
  /**
   * Written (changed): the manager picks the new config_version up through NOTIFY and stops or starts the bot. Already
   * as asked (not changed): nothing written, so a repeated /pause neither restarts anything nor counts as a toggle.
   */
  | { ok: true; changed: boolean; configVersion: number }
  /** A suspended bot cannot run, pause or resume: nothing was written. */
  | { ok: false; refused: 'suspended' }
  /** The database's limit on toggles (each restarts the bot; migration 20261207000610), in its own words. */
  | { ok: false; refused: 'too_many_toggles'; message: string };

/** Sets the user's bot_enabled as that user (RLS), unless the account is suspended or toggled too often. */
export async function setOwnBotEnabled(sql: Db, user: string | JwtClaims, enabled: boolean): Promise<BotToggleOutcome> {
  try {
    return await withUser(sql, user, async (tx): Promise<BotToggleOutcome> => {
      if ((await getOwnProfile(tx))?.is_suspended) return { ok: false, refused: 'suspended' };
      const current = await lockOwnConfig(tx);
      if (current?.bot_enabled === enabled) return { ok: true, changed: false, configVersion: current.config_version };
      const row = await updateOwnConfig(tx, { bot_enabled: enabled });
      return { ok: true, changed: true, configVersion: row.config_version };
    });
  } catch (e) {
    // Caught outside the transaction: the limit's exception has already rolled it back.
    if (e instanceof Error && (e as { code?: unknown }).code === '54000')
      return { ok: false, refused: 'too_many_toggles', message: e.message };
    throw e;
  }
}

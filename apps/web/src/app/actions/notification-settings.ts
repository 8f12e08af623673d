'use server';
// Which events go where, quiet hours, the daily summary's hour and time zone, and the three on/off toggles that live
// in the user's config (notify_on_trade, notify_on_opportunity, notify_daily_summary): one form, one transaction, so
// a refusal (a forged hour, an unknown time zone, someone else's channel) changes nothing.
import {
  getOwnConfig,
  getOwnNotificationSettings,
  listOwnNotificationChannels,
  updateNotificationSettings,
  updateOwnConfig,
} from '@polybot/db/user';
import {
  NotificationSettingsSchema,
  OPTIONAL_EVENT_KINDS,
  UserConfigPatchSchema,
  isAlwaysOnEventKind,
  type NotificationSettings,
} from '@polybot/schemas';
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { action, bool, num, str, UserError } from '~/lib/action.ts';
import { friendlyErrors } from '~/lib/friendly-errors.ts';
import { timeZones } from '~/lib/notifications/time-zones.ts';
import { asUser } from '~/lib/session.ts';

/** Each optional event kind's on/off switch in the user's config. */
const TOGGLE_OF = {
  trade_executed: 'notify_on_trade',
  opportunity_found: 'notify_on_opportunity',
  daily_summary: 'notify_daily_summary',
} as const satisfies Record<(typeof OPTIONAL_EVENT_KINDS)[number], string>;

const TogglesSchema = UserConfigPatchSchema.pick({
  notify_on_trade: true,
  notify_on_opportunity: true,
  notify_daily_summary: true,
}).required();

const LABELS = {
  time_zone: 'Time zone',
  summary_hour: 'Summary hour',
  quiet_start: 'Quiet hours start',
  quiet_end: 'Quiet hours end',
  routes: 'Channels',
};

const SettingsFormSchema = z.object({ settings: z.unknown(), toggles: z.unknown() }).transform((v, ctx) => {
  const settings = NotificationSettingsSchema.safeParse(v.settings, { error: friendlyErrors(LABELS) });
  const toggles = TogglesSchema.safeParse(v.toggles);
  for (const issue of [...(settings.error?.issues ?? []), ...(toggles.error?.issues ?? [])]) {
    // The pair rules (a start without an end) are about both fields: shown with the end, where the eye lands last.
    const path = issue.path.length === 0 && /quiet/.test(issue.message) ? ['quiet_end'] : issue.path.slice(0, 1);
    const message =
      issue.message === 'quiet hours need a start and an end'
        ? 'Choose both a start and an end, or neither.'
        : issue.message === 'quiet hours cannot start and end together'
          ? 'Quiet hours must end at another hour than they start.'
          : issue.message;
    ctx.addIssue({ code: 'custom', message, path });
  }
  if (!settings.success || !toggles.success) return z.NEVER;
  if (!timeZones().includes(settings.data.time_zone)) {
    ctx.addIssue({ code: 'custom', message: 'Choose a time zone from the list.', path: ['time_zone'] });
    return z.NEVER;
  }
  return { settings: settings.data, toggles: toggles.data };
});

/** An hour select: "" is "none" (quiet hours off); anything else must be a whole hour (the schema bounds it). */
const hour = (form: FormData, key: string): number | null => num(form, key) ?? null;

function readSettingsForm(form: FormData) {
  const routes: Record<string, string[]> = {};
  for (const kind of OPTIONAL_EVENT_KINDS)
    routes[kind] = form.getAll(`route_${kind}`).filter((v): v is string => typeof v === 'string');
  return {
    settings: {
      time_zone: str(form, 'time_zone') ?? '',
      summary_hour: num(form, 'summary_hour') ?? Number.NaN,
      quiet_start: hour(form, 'quiet_start'),
      quiet_end: hour(form, 'quiet_end'),
      routes,
    },
    toggles: Object.fromEntries(OPTIONAL_EVENT_KINDS.map((k) => [TOGGLE_OF[k], bool(form, TOGGLE_OF[k])])),
  };
}

/**
 * The routes to store: an optional kind checked for every channel is left out (it then follows the user to channels
 * added later); alert routes are kept as they are (the page does not edit them: alerts always go somewhere).
 */
function routesToStore(
  submitted: NotificationSettings['routes'],
  current: NotificationSettings['routes'],
  channelIds: string[],
): NotificationSettings['routes'] {
  const routes: NotificationSettings['routes'] = {};
  for (const [kind, ids] of Object.entries(current) as [keyof typeof current, string[]][])
    if (isAlwaysOnEventKind(kind)) routes[kind] = ids;
  for (const kind of OPTIONAL_EVENT_KINDS) {
    const ids = [...new Set(submitted[kind] ?? [])];
    const everyChannel = channelIds.length > 0 && channelIds.every((id) => ids.includes(id));
    if (!everyChannel) routes[kind] = ids;
  }
  return routes;
}

export const saveNotificationSettings = action(SettingsFormSchema, readSettingsForm, async (claims, input) => {
  try {
    await asUser(claims, async (tx) => {
      const channels = await listOwnNotificationChannels(tx);
      const ids = channels.map((c) => c.id);
      const unknown = Object.values(input.settings.routes)
        .flat()
        .filter((id) => !ids.includes(id));
      if (unknown.length > 0) throw new UserError('A channel in this form is gone: reload the page and try again.');
      const current = await getOwnNotificationSettings(tx);
      await updateNotificationSettings(tx, {
        ...input.settings,
        routes: routesToStore(input.settings.routes, current.routes, ids),
      });
      // Only what changed: every config change restarts the bot's reading of its config.
      const config = await getOwnConfig(tx);
      const changed = Object.fromEntries(
        Object.entries(input.toggles).filter(([k, v]) => config?.[k as keyof typeof input.toggles] !== v),
      );
      if (Object.keys(changed).length > 0) await updateOwnConfig(tx, changed);
    });
  } catch (error) {
    // The database's own checks (a time zone it does not know, an alert left with no channel) as words.
    const e = error as { code?: string; message?: string };
    if (e.code === '22023' && /time zone/.test(e.message ?? ''))
      throw new UserError('Some fields need attention.', { time_zone: ['Choose a time zone from the list.'] });
    if (e.code === '22023') throw new UserError(`Not saved: ${e.message?.replace(/^[a-z_]+: /, '')}.`);
    throw error;
  }
  revalidatePath('/settings/notifications');
  return 'Notification settings saved.';
});

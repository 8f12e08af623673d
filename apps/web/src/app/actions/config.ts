'use server';
// Config changes: the shared schema's ranges, then what the user's plan allows. config_version bumps in the
// database (trigger) and the change reaches the bot through NOTIFY; nothing here talks to the bot directly.
import {
  advanceOnboarding,
  getOwnProfile,
  listActivePlans,
  listOwnSecretMetadata,
  updateOwnConfig,
  type Profile,
} from '@polybot/db/user';
import {
  FEATURE_TOGGLES,
  planLimitErrors,
  refuseNothingEnabled,
  UserConfigPatchSchema,
  VENUE_NAMES,
  venuesStayingPaper,
  type PlanFeature,
  type UserConfigPatch,
} from '@polybot/schemas';
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { action, bool, num, str, UserError } from '~/lib/action.ts';
import { setOwnBotEnabled } from '~/lib/bot-control.ts';
import { db } from '~/lib/db.ts';
import { asUser } from '~/lib/session.ts';

const TOGGLES = Object.values(FEATURE_TOGGLES);

// Every numeric limit is required on this form: a blank field is a mistake, not "leave unchanged", so it becomes
// NaN and the shared schema reports "<label> must be a number" for it.
const limit = (form: FormData, key: string): number => num(form, key) ?? Number.NaN;

function readConfigForm(form: FormData): unknown {
  return {
    min_profit_pct: limit(form, 'min_profit_pct'),
    max_trade_size_usd: limit(form, 'max_trade_size_usd'),
    max_daily_loss_usd: limit(form, 'max_daily_loss_usd'),
    max_open_positions: limit(form, 'max_open_positions'),
    trading_mode: str(form, 'trading_mode'),
    enable_polymarket: bool(form, 'enable_polymarket'),
    enable_kalshi: bool(form, 'enable_kalshi'),
    ...Object.fromEntries(TOGGLES.map((t) => [t, bool(form, t)])),
  };
}

// The form speaks in "trading_mode" (paper | live); the table in dry_run. Anything else is refused, not read as
// paper: a form that sends something we did not offer is not a choice we can guess.
const ConfigFormSchema = UserConfigPatchSchema.omit({ dry_run: true })
  .extend({ trading_mode: z.enum(['paper', 'live'], { error: 'Choose paper or live trading' }) })
  .superRefine(refuseNothingEnabled)
  .transform(({ trading_mode, ...patch }): UserConfigPatch => ({ ...patch, dry_run: trading_mode !== 'live' }));

/** Plan rules the shared schema cannot know: limits above the plan's caps, gated strategies, live trading. */
function planErrors(profile: Profile, planName: string, patch: UserConfigPatch): Record<string, string[]> {
  const errors: Record<string, string[]> = planLimitErrors(patch, profile, planName);
  for (const [feature, toggle] of Object.entries(FEATURE_TOGGLES) as [PlanFeature, (typeof TOGGLES)[number]][]) {
    if (patch[toggle] && !profile.features_enabled[feature])
      errors[toggle] = ['Your plan does not include this strategy. Upgrade on the billing page.'];
  }
  if (patch.dry_run === false && !profile.live_trading_allowed)
    errors.trading_mode = ['Live trading needs a paid plan. Paper trading stays available.'];
  return errors;
}

async function save(claims: Parameters<typeof asUser>[0], patch: UserConfigPatch) {
  return asUser(claims, async (tx) => {
    const profile = await getOwnProfile(tx);
    if (!profile) throw new Error('signed-in user has no profile');
    const plan = (await listActivePlans(tx)).find((p) => p.tier === profile.subscription_tier);
    // A strategy the plan does not include is shown disabled and so never submitted: the form's "off" for it is not
    // the user's choice, and a toggle a downgrade left on stays on for when they upgrade (strategyState: locked_on).
    for (const [feature, toggle] of Object.entries(FEATURE_TOGGLES) as [PlanFeature, (typeof TOGGLES)[number]][])
      if (!profile.features_enabled[feature] && patch[toggle] === false) delete patch[toggle];
    const errors = planErrors(profile, plan?.display_name ?? profile.subscription_tier, patch);
    if (Object.keys(errors).length > 0) throw new UserError('Some settings are not available on your plan.', errors);
    const row = await updateOwnConfig(tx, patch);
    // Live chosen: say plainly where the bot still trades paper, instead of leaving the choice silently ignored.
    const paper = row.dry_run
      ? []
      : venuesStayingPaper(
          { polymarket: row.enable_polymarket, kalshi: row.enable_kalshi },
          profile.live_trading_allowed,
          await listOwnSecretMetadata(tx),
        );
    return { row, paper };
  });
}

export const saveConfig = action(ConfigFormSchema, readConfigForm, async (claims, patch) => {
  const { row, paper } = await save(claims, patch);
  revalidatePath('/settings/config');
  revalidatePath('/dashboard');
  const saved = `Saved. Configuration version ${row.config_version} is on its way to your bot.`;
  if (paper.length === 0) return saved;
  const where = paper.map((p) => `${VENUE_NAMES[p.venue]} (${p.why})`).join(' and ');
  return `${saved} Live is on, but your bot trades paper on ${where} until it has a validated live key there — add one in API keys.`;
});

export const saveRiskAndContinue = action(ConfigFormSchema, readConfigForm, async (claims, patch) => {
  await save(claims, patch);
  await asUser(claims, (tx) => advanceOnboarding(tx, 'plan'));
  redirect('/onboarding');
});

export const setBotEnabled = action(
  z.object({ bot_enabled: z.enum(['true', 'false'], { error: 'Choose pause or resume' }) }),
  (form) => ({ bot_enabled: form.get('bot_enabled') }),
  async (claims, input) => {
    const enabled = input.bot_enabled === 'true';
    const outcome = await setOwnBotEnabled(db(), claims, enabled);
    // A page opened before a suspension still shows the button: the promise below could not be kept, so refuse.
    if (!outcome.ok && outcome.refused === 'suspended')
      throw new UserError(
        'Your account is suspended, so your bot cannot run, pause or resume. The status above says why; contact PolyBot support to have it reviewed.',
      );
    // The database's words say how many toggles, in how long and when to try again, for the user as they are.
    if (!outcome.ok) throw new UserError(outcome.message);
    revalidatePath('/dashboard');
    return enabled
      ? // Worded so it stays true while the status card above catches up and after (it shows the bot's own state).
        `Resume requested (settings v${outcome.configVersion}). The status above shows when your bot is running again, usually within seconds.`
      : `Pause requested (settings v${outcome.configVersion}). The status above shows when your bot has stopped, usually within seconds.`;
  },
);

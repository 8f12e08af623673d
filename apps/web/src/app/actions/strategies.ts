'use server';
// Followed wallets (copy trading) and news rules live in advanced_config. Each add/remove is its own action: the
// entry is checked with the shared schema, the row is locked, the whole resulting advanced_config is parsed with
// AdvancedConfigSchema and saved as the user (RLS). config_version bumps in the database and reaches the bot
// through NOTIFY, like any config change.
import { randomUUID } from 'node:crypto';
import type { JwtClaims } from '@polybot/db';
import { lockOwnConfig, updateOwnConfig } from '@polybot/db/user';
import {
  ADVANCED_CONFIG_TOO_LARGE,
  AdvancedConfigSchema,
  FollowedWalletSchema,
  NewsRuleSchema,
  type AdvancedConfig,
} from '@polybot/schemas';
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { action, num, str, UserError } from '~/lib/action.ts';
import { friendlyErrors } from '~/lib/friendly-errors.ts';
import { asUser } from '~/lib/session.ts';

/** The most entries of each kind AdvancedConfigSchema allows; checked first so the user gets a sentence, not a path. */
const MAX_ENTRIES = 50;

// A blank required number is a mistake, not "unset": NaN makes the schema say "<label> must be a number".
const required = (form: FormData, key: string): number => num(form, key) ?? Number.NaN;

const WALLET_LABELS = {
  address: 'Wallet address',
  scale: 'Scale',
  maxPerTradeUsd: 'Max per trade (USD)',
  maxSlippage: 'Max over their price ($)',
};
const RULE_LABELS = {
  feed: 'Feed',
  keywords: 'Keywords',
  venue: 'Venue',
  instrumentId: 'Market id',
  side: 'Side',
  maxPrice: 'Max price',
  confidence: 'Confidence',
  maxSizeUsd: 'Budget per signal (USD)',
  windowMinutes: 'Window (minutes)',
};

function isAdvancedConfigTooLarge(e: unknown): boolean {
  const err = e as { code?: string; constraint_name?: string; message?: string };
  return err?.code === '23514' && `${err.constraint_name ?? ''} ${err.message ?? ''}`.includes('advanced_config');
}

/** Applies `change` to the locked row's advanced_config and saves it; returns the new config_version. */
async function changeAdvanced(claims: JwtClaims, change: (current: AdvancedConfig) => AdvancedConfig): Promise<number> {
  try {
    return await asUser(claims, async (tx) => {
      const row = await lockOwnConfig(tx);
      if (!row) throw new Error('signed-in user has no config row');
      const parsed = AdvancedConfigSchema.safeParse(change(row.advanced_config));
      // The byte limit (ADVANCED_CONFIG_MAX_BYTES, the table's too) is the only rule left that the entry checks above
      // do not already explain: many long rules reach it before the 50-entry limit.
      if (!parsed.success && parsed.error.issues.some((i) => i.message === ADVANCED_CONFIG_TOO_LARGE))
        throw new UserError(ADVANCED_CONFIG_TOO_LARGE);
      if (!parsed.success) throw parsed.error;
      return (await updateOwnConfig(tx, { advanced_config: parsed.data })).config_version;
    });
  } catch (e) {
    // A backstop: the table's CHECK holds the same limit, measured the same way (20261207000330).
    if (isAdvancedConfigTooLarge(e)) throw new UserError(ADVANCED_CONFIG_TOO_LARGE);
    throw e;
  }
}

function done(kind: string, version: number): string {
  revalidatePath('/settings/config');
  return `${kind} Configuration version ${version} is on its way to your bot.`;
}

export const addFollowedWallet = action(
  FollowedWalletSchema,
  (form) => ({
    address: str(form, 'address')?.trim() ?? '',
    scale: required(form, 'scale'),
    maxPerTradeUsd: required(form, 'maxPerTradeUsd'),
    maxSlippage: num(form, 'maxSlippage'),
  }),
  async (claims, wallet) => {
    // Stored lower-case: the bot matches trades by lower-case address, and 0xAB… and 0xab… are one wallet.
    const address = wallet.address.toLowerCase();
    const version = await changeAdvanced(claims, (current) => {
      if (current.followedWallets.some((w) => w.address.toLowerCase() === address)) {
        throw new UserError('You already follow this wallet.', {
          address: ['You already follow this wallet. Remove it first to change its scale or cap.'],
        });
      }
      if (current.followedWallets.length >= MAX_ENTRIES)
        throw new UserError(`You follow ${MAX_ENTRIES} wallets, the most allowed. Remove one to add another.`);
      return { ...current, followedWallets: [...current.followedWallets, { ...wallet, address }] };
    });
    return done('Wallet added.', version);
  },
  { errorMap: friendlyErrors(WALLET_LABELS) },
);

export const addNewsRule = action(
  NewsRuleSchema,
  (form) => ({
    id: randomUUID(),
    feed: str(form, 'feed')?.trim() ?? '',
    keywords: (str(form, 'keywords') ?? '')
      .split(',')
      .map((k) => k.trim())
      .filter((k) => k.length > 0),
    venue: str(form, 'venue'),
    instrumentId: str(form, 'instrumentId')?.trim() ?? '',
    side: str(form, 'side'),
    maxPrice: required(form, 'maxPrice'),
    confidence: required(form, 'confidence'),
    maxSizeUsd: num(form, 'maxSizeUsd'),
    windowMinutes: required(form, 'windowMinutes'),
  }),
  async (claims, rule) => {
    const version = await changeAdvanced(claims, (current) => {
      if (current.newsRules.length >= MAX_ENTRIES)
        throw new UserError(`You have ${MAX_ENTRIES} news rules, the most allowed. Remove one to add another.`);
      return { ...current, newsRules: [...current.newsRules, rule] };
    });
    return done('News rule added.', version);
  },
  { errorMap: friendlyErrors(RULE_LABELS), topLevelErrors: true },
);

// Removal forms sit inside the entry they remove, so the page (not the form) says it worked: hence the redirect.
export const removeFollowedWallet = action(
  z.object({ address: FollowedWalletSchema.shape.address }),
  (form) => ({ address: str(form, 'address') }),
  async (claims, input) => {
    const address = input.address.toLowerCase();
    await changeAdvanced(claims, (current) => {
      if (!current.followedWallets.some((w) => w.address.toLowerCase() === address))
        throw new UserError('That wallet is not in your list.');
      return {
        ...current,
        followedWallets: current.followedWallets.filter((w) => w.address.toLowerCase() !== address),
      };
    });
    revalidatePath('/settings/config');
    redirect('/settings/config?removed=wallet#followed-wallets');
  },
);

export const removeNewsRule = action(
  z.object({ id: NewsRuleSchema.shape.id }),
  (form) => ({ id: str(form, 'id') }),
  async (claims, input) => {
    await changeAdvanced(claims, (current) => {
      if (!current.newsRules.some((r) => r.id === input.id)) throw new UserError('That news rule is not in your list.');
      return { ...current, newsRules: current.newsRules.filter((r) => r.id !== input.id) };
    });
    revalidatePath('/settings/config');
    redirect('/settings/config?removed=rule#news-rules');
  },
);

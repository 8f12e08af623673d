'use server';
// Wizard steps that are not forms of their own (terms, "continue", plan choice). Each goes through the database's
// accept_terms / advance_onboarding, which hold the wizard's rules whoever calls them (20261207000320).
import type { JwtClaims, UserTx } from '@polybot/db';
import { acceptTerms, advanceOnboarding, getOwnProfile } from '@polybot/db/user';
import { TERMS_VERSION } from '@polybot/schemas';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { action, str, UserError } from '~/lib/action.ts';
import { asUser } from '~/lib/session.ts';

/**
 * Runs a wizard move as the user. The database refuses a move whose conditions do not hold (a page left open while
 * the terms changed, a step skipped in another tab) in words for the user (P0001 / 22023): those are shown, not bugs.
 */
async function wizardMove(claims: JwtClaims, move: (tx: UserTx) => Promise<void>): Promise<void> {
  try {
    await asUser(claims, move);
  } catch (e) {
    const code = typeof e === 'object' && e !== null && 'code' in e ? e.code : undefined;
    if ((code === 'P0001' || code === '22023') && e instanceof Error) throw new UserError(e.message);
    throw e;
  }
}

export const acceptTermsAction = action(
  z.object({ accept: z.literal('on', { error: 'Tick the box to accept the terms' }) }),
  (form) => ({ accept: str(form, 'accept') }),
  async (claims) => {
    await wizardMove(claims, (tx) => acceptTerms(tx, TERMS_VERSION));
    redirect('/onboarding');
  },
);

/**
 * Leaves the platforms step, with or without keys: paper trading fills against the venues' public order books (the
 * manager's market-data hub), so it needs no key at all; keys are asked for only to go live (Settings → API keys).
 */
export const finishPlatforms = action(
  z.object({}),
  () => ({}),
  async (claims) => {
    await wizardMove(claims, (tx) => advanceOnboarding(tx, 'risk'));
    redirect('/onboarding');
  },
);

export const choosePlan = action(
  // Paid tiers go through startCheckout (Stripe); this action only ever completes onboarding on Free.
  z.object({ tier: z.literal('free', { error: 'Paid plans go through checkout' }) }),
  (form) => ({ tier: str(form, 'tier') }),
  async (claims) => {
    await wizardMove(claims, (tx) => advanceOnboarding(tx, 'done'));
    redirect('/dashboard');
  },
);

/** After a paid Checkout: the webhook has set the tier; finishing only needs the profile to say so. */
export const finishAfterCheckout = action(
  z.object({}),
  () => ({}),
  async (claims) => {
    const profile = await asUser(claims, getOwnProfile);
    if (!profile || profile.subscription_tier === 'free') {
      throw new UserError(
        'We have not received the payment confirmation yet. Wait a few seconds and try again, or start on Free.',
      );
    }
    await wizardMove(claims, (tx) => advanceOnboarding(tx, 'done'));
    redirect('/dashboard');
  },
);

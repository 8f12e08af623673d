'use server';
// Wizard steps that are not forms of their own (terms, "continue", plan choice).
import { listOwnSecretMetadata } from '@polybot/db/user';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { action, str, UserError } from '../../lib/action.ts';
import { acceptTerms, advanceOnboarding } from '../../lib/data.ts';
import { asUser } from '../../lib/session.ts';

export const acceptTermsAction = action(
  z.object({ accept: z.literal('on', { error: 'Tick the box to accept the terms' }) }),
  (form) => ({ accept: str(form, 'accept') }),
  async (claims) => {
    await asUser(claims, acceptTerms);
    redirect('/onboarding');
  },
);

export const finishPlatforms = action(
  z.object({}),
  () => ({}),
  async (claims) => {
    const keys = await asUser(claims, listOwnSecretMetadata);
    if (keys.length === 0) throw new UserError('Connect at least one platform (paper keys are fine) before continuing.');
    await asUser(claims, (tx) => advanceOnboarding(tx, 'risk'));
    redirect('/onboarding');
  },
);

export const choosePlan = action(
  z.object({ tier: z.enum(['free', 'basic', 'pro', 'enterprise'], { error: 'Choose a plan' }) }),
  (form) => ({ tier: str(form, 'tier') }),
  async (claims, input) => {
    if (input.tier !== 'free') {
      // Paid tiers need Stripe Checkout (packages/billing), which is not wired into this app yet.
      throw new UserError('Checkout is unavailable right now. Start on Free; you can upgrade from the billing page later.', {
        tier: ['Checkout unavailable'],
      });
    }
    await asUser(claims, (tx) => advanceOnboarding(tx, 'done'));
    redirect('/dashboard');
  },
);

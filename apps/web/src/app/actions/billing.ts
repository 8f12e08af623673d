'use server';
// Upgrade (Stripe Checkout) and manage (Customer Portal). Free never needs Stripe.
import { BillingError, createCheckoutSession, createPortalSession } from '@polybot/billing';
import { PAID_TIERS } from '@polybot/schemas';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { action, str, UserError } from '~/lib/action.ts';
import { appOrigin, billing } from '~/lib/billing.ts';

const UNAVAILABLE = 'Checkout is unavailable right now. Stay on Free; you can upgrade from the billing page later.';

export const startCheckout = action(
  z.object({
    tier: z.enum(PAID_TIERS, { error: 'Choose a paid plan' }),
    from: z.enum(['onboarding', 'billing']).default('billing'),
  }),
  (form) => ({ tier: str(form, 'tier'), from: str(form, 'from') }),
  async (claims, input) => {
    const deps = billing();
    if (!deps) throw new UserError(UNAVAILABLE, { tier: ['Checkout unavailable'] });
    const origin = await appOrigin();
    const back = input.from === 'onboarding' ? '/onboarding' : '/settings/billing';
    let url: string;
    try {
      ({ url } = await createCheckoutSession(deps, {
        userId: claims.sub,
        tier: input.tier,
        successUrl: `${origin}${back}?checkout=success`,
        cancelUrl: `${origin}${back}?checkout=cancelled`,
      }));
    } catch (e) {
      if (e instanceof BillingError) throw new UserError(e.message);
      throw e;
    }
    redirect(url);
  },
);

export const openPortal = action(
  z.object({}),
  () => ({}),
  async (claims) => {
    const deps = billing();
    if (!deps) throw new UserError('The billing portal is unavailable right now.');
    let url: string;
    try {
      ({ url } = await createPortalSession(deps, {
        userId: claims.sub,
        returnUrl: `${await appOrigin()}/settings/billing`,
      }));
    } catch (e) {
      if (e instanceof BillingError) throw new UserError(e.message);
      throw e;
    }
    redirect(url);
  },
);

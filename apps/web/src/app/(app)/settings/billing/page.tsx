import Link from 'next/link';
import { getOwnProfile, listActivePlans, subscriptionCancelsAtPeriodEnd } from '@polybot/db/user';
import { listPayments } from '@polybot/billing';
import { ActionForm, Submit } from '~/components/form.tsx';
import { PlanCards } from '~/components/plan-cards.tsx';
import { billing } from '~/lib/billing.ts';
import { openPortal } from '~/app/actions/billing.ts';
import { asUser, requireClaims } from '~/lib/session.ts';
import { RefreshWhileConfirming } from '~/components/refresh-while-confirming.tsx';
import { CurrentPlan } from './current-plan.tsx';
import { PaymentHistory } from './payment-history.tsx';

export const metadata = { title: 'Billing · PolyBot' };
export const dynamic = 'force-dynamic';

export default async function BillingPage({ searchParams }: { searchParams: Promise<{ checkout?: string }> }) {
  const { checkout } = await searchParams;
  const claims = await requireClaims('/settings/billing');
  const { profile, plans, cancelling } = await asUser(claims, async (tx) => ({
    profile: await getOwnProfile(tx),
    plans: await listActivePlans(tx),
    cancelling: await subscriptionCancelsAtPeriodEnd(tx),
  }));
  if (!profile) throw new Error('signed-in user has no profile');
  const plan = plans.find((p) => p.tier === profile.subscription_tier);
  const planName = plan?.display_name ?? profile.subscription_tier;
  const deps = billing();
  // Stripe is the source of truth for invoices; if it cannot be reached the page still shows plan and usage.
  const payments = deps ? await listPayments(deps, claims.sub).catch(() => null) : [];
  const confirming = checkout === 'success' && profile.subscription_tier === 'free';
  return (
    <div className="stack">
      <h1>Billing</h1>
      {checkout === 'success' ? (
        <p className="banner banner-ok" role="status" data-testid="checkout-banner">
          {confirming
            ? 'Thank you! Stripe is confirming your payment — this page updates by itself in a few seconds.'
            : `Thank you! You are on ${planName} now; your bot restarts with the new limits within a few seconds.`}
        </p>
      ) : null}
      {confirming ? <RefreshWhileConfirming /> : null}
      {checkout === 'cancelled' ? (
        <p className="banner banner-error" role="status" data-testid="checkout-banner">
          Checkout was cancelled and nothing was charged. You are still on the {planName} plan; upgrade below whenever
          you like.
        </p>
      ) : null}
      <section className="card" aria-labelledby="cur-h">
        <CurrentPlan profile={profile} planName={planName} cancelAtPeriodEnd={cancelling} />
        {deps && profile.subscription_tier !== 'free' ? (
          <ActionForm action={openPortal} label="Manage subscription">
            <Submit variant="secondary">Manage subscription, card and invoices</Submit>
          </ActionForm>
        ) : null}
        {deps ? null : (
          <p className="muted">Card payments are not connected on this server, so upgrades are unavailable.</p>
        )}
      </section>
      <section className="card" aria-labelledby="pay-h">
        <h2 id="pay-h">Payment history</h2>
        <PaymentHistory payments={payments} />
      </section>
      {/* While Stripe confirms a payment just made, offering every plan again invites a second Checkout: the page
          shows only the confirmation (and a way back should it never come). */}
      {confirming ? (
        <p className="muted" data-testid="confirming-only">
          Taking longer than a minute? <Link href="/settings/billing">Show the plans again</Link>.
        </p>
      ) : (
        <PlanCards plans={plans} current={profile.subscription_tier} onboarding={false} checkout={deps !== null} />
      )}
    </div>
  );
}

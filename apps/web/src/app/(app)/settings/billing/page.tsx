import { getOwnProfile } from '@polybot/db/user';
import { PlanCards } from '../../../../components/plan-cards.tsx';
import { listPlans } from '../../../../lib/data.ts';
import { asUser, requireClaims } from '../../../../lib/session.ts';

export const metadata = { title: 'Billing · PolyBot' };
export const dynamic = 'force-dynamic';

export default async function BillingPage() {
  const claims = await requireClaims('/settings/billing');
  const { profile, plans } = await asUser(claims, async (tx) => ({ profile: await getOwnProfile(tx), plans: await listPlans(tx) }));
  if (!profile) throw new Error('signed-in user has no profile');
  const plan = plans.find((p) => p.tier === profile.subscription_tier);
  return (
    <div className="stack">
      <h1>Billing</h1>
      <section className="card" aria-labelledby="cur-h">
        <h2 id="cur-h">Current plan: {plan?.display_name ?? profile.subscription_tier}</h2>
        <p>
          Status: {profile.subscription_status}
          {profile.subscription_expires_at ? ` · renews ${profile.subscription_expires_at.toISOString().slice(0, 10)}` : ''}
        </p>
        <p data-testid="billing-usage">
          Trades this month: <strong>{profile.trades_this_month.toLocaleString('en-US')}</strong> of {profile.monthly_trade_limit.toLocaleString('en-US')}
        </p>
        <p className="muted">Payment history and the customer portal appear here once card payments are connected.</p>
      </section>
      <PlanCards plans={plans} current={profile.subscription_tier} onboarding={false} />
    </div>
  );
}

import { getOwnProfile } from '@polybot/db/user';
import { listPayments } from '@polybot/billing';
import { ActionForm, Submit } from '../../../../components/form.tsx';
import { PlanCards } from '../../../../components/plan-cards.tsx';
import { billing } from '../../../../lib/billing.ts';
import { openPortal } from '../../../actions/billing.ts';
import { listPlans } from '../../../../lib/data.ts';
import { asUser, requireClaims } from '../../../../lib/session.ts';

export const metadata = { title: 'Billing · PolyBot' };
export const dynamic = 'force-dynamic';

export default async function BillingPage({ searchParams }: { searchParams: Promise<{ checkout?: string }> }) {
  const { checkout } = await searchParams;
  const claims = await requireClaims('/settings/billing');
  const { profile, plans } = await asUser(claims, async (tx) => ({ profile: await getOwnProfile(tx), plans: await listPlans(tx) }));
  if (!profile) throw new Error('signed-in user has no profile');
  const plan = plans.find((p) => p.tier === profile.subscription_tier);
  const deps = billing();
  // Stripe is the source of truth for invoices; if it cannot be reached the page still shows plan and usage.
  const payments = deps ? await listPayments(deps, claims.sub).catch(() => null) : [];
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
        {checkout === 'success' ? (
          <p className="banner banner-ok">
            {profile.subscription_tier === 'free'
              ? 'Thank you! Your plan changes as soon as Stripe confirms the payment — reload in a few seconds.'
              : `Thank you! You are on ${plan?.display_name ?? profile.subscription_tier} now.`}
          </p>
        ) : null}
        {checkout === 'cancelled' ? <p className="banner banner-error">Checkout was cancelled; nothing was charged.</p> : null}
        {deps && profile.subscription_tier !== 'free' ? (
          <ActionForm action={openPortal} label="Manage subscription">
            <Submit variant="secondary">Manage subscription, card and invoices</Submit>
          </ActionForm>
        ) : null}
        {deps ? null : <p className="muted">Card payments are not connected on this server, so upgrades are unavailable.</p>}
      </section>
      <section className="card" aria-labelledby="pay-h">
        <h2 id="pay-h">Payment history</h2>
        {payments === null ? (
          <p className="muted">Payment history could not be loaded from Stripe just now. Reload in a minute.</p>
        ) : payments.length === 0 ? (
          <p className="muted">No payments yet.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>Date</th>
                  <th>Invoice</th>
                  <th className="num">Amount</th>
                  <th>Status</th>
                </tr>
              </thead>
              <tbody>
                {payments.map((p) => (
                  <tr key={p.id}>
                    <td>{p.createdAt.toISOString().slice(0, 10)}</td>
                    <td>{p.url ? <a href={p.url}>{p.number ?? p.id}</a> : (p.number ?? p.id)}</td>
                    <td className="num">
                      {(p.amountPaid / 100).toFixed(2)} {p.currency.toUpperCase()}
                    </td>
                    <td>{p.status}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <PlanCards plans={plans} current={profile.subscription_tier} onboarding={false} checkout={deps !== null} />
    </div>
  );
}

// The current plan: its name, what Stripe says about the subscription (renews / ends on a date), the limits the bot
// runs with now, and this month's usage.
import type { Profile } from '@polybot/db/user';
import { FEATURE_LABELS, longDate, subscriptionStatus, usd } from './format.ts';

export function CurrentPlan({
  profile,
  planName,
  cancelAtPeriodEnd,
}: {
  profile: Profile;
  planName: string;
  cancelAtPeriodEnd: boolean;
}) {
  const paid = profile.subscription_tier !== 'free';
  const end = profile.subscription_expires_at;
  const features = Object.entries(FEATURE_LABELS).filter(([key]) => profile.features_enabled[key]);
  return (
    <>
      <h2 id="cur-h">Current plan: {planName}</h2>
      <p data-testid="billing-status">
        Status: {subscriptionStatus(profile.subscription_status, profile.subscription_tier)}
      </p>
      {paid && end ? (
        cancelAtPeriodEnd ? (
          <p className="banner banner-warn" data-testid="billing-period">
            Cancelled: you keep {planName} until <strong>{longDate(end)}</strong>, then your bot moves to the Free plan.
            Changed your mind? Choose “Don’t cancel” in Manage subscription.
          </p>
        ) : (
          <p data-testid="billing-period">Renews on {longDate(end)}.</p>
        )
      ) : null}
      <ul data-testid="plan-limits" aria-label="Your limits">
        <li>
          <strong>{profile.monthly_trade_limit.toLocaleString('en-US')}</strong> trades / month
        </li>
        <li>
          Up to <strong>{usd(profile.max_trade_size_usd)}</strong> per trade
        </li>
        <li>Daily loss limit {usd(profile.max_daily_loss_usd)}</li>
        <li>Up to {profile.max_positions.toLocaleString('en-US')} open positions</li>
        <li>{profile.live_trading_allowed ? 'Live and paper trading' : 'Paper trading only'}</li>
        <li>Strategies: {features.map(([, label]) => label).join(', ') || 'none'}</li>
      </ul>
      <p data-testid="billing-usage">
        Trades this month: <strong>{profile.trades_this_month.toLocaleString('en-US')}</strong> of{' '}
        {profile.monthly_trade_limit.toLocaleString('en-US')}
      </p>
    </>
  );
}

// The plan catalogue. Free is chosen at once; paid plans go through Stripe Checkout, shown as unavailable when
// billing is not configured (the free path never depends on it).
import type { Plan, Tier } from '@polybot/schemas';
import { startCheckout } from '~/app/actions/billing.ts';
import { choosePlan } from '~/app/actions/onboarding.ts';
import { ActionForm, FieldErrors, Submit } from './form.tsx';

export function PlanCards({
  plans,
  current,
  onboarding,
  checkout,
}: {
  plans: Plan[];
  current: Tier;
  onboarding: boolean;
  checkout: boolean;
}) {
  return (
    <div className="plans">
      {plans.map((p) => (
        <section key={p.tier} className="card" aria-label={`${p.display_name} plan`} data-plan={p.tier}>
          <h2>{p.display_name}</h2>
          <p className="stat">${p.price_usd_monthly}/mo</p>
          <p className="muted">{p.description}</p>
          <ul>
            <li>{p.monthly_trade_limit.toLocaleString('en-US')} trades / month</li>
            <li>Up to ${p.max_trade_size_usd.toLocaleString('en-US')} per trade</li>
            <li>{p.live_trading_allowed ? 'Live and paper trading' : 'Paper trading only'}</li>
          </ul>
          {/* The action sits at the card's foot, button last, so the plans' buttons line up whatever the text above. */}
          <div className="plan-action">
            {p.tier === current && !onboarding ? (
              <p>
                <strong>Your current plan</strong>
              </p>
            ) : p.tier === 'free' && onboarding ? (
              <ActionForm action={choosePlan} label={`Choose ${p.display_name}`}>
                <input type="hidden" name="tier" value="free" />
                <FieldErrors name="tier" />
                <p className="hint">No card needed.</p>
                <Submit>Start on Free</Submit>
              </ActionForm>
            ) : p.tier === 'free' ? null : checkout && current !== 'free' && !onboarding ? (
              // A paying user changes plan in the Stripe portal: a second Checkout would start a second subscription.
              <p className="hint">Switch to {p.display_name} with “Manage subscription” above.</p>
            ) : checkout ? (
              <ActionForm action={startCheckout} label={`Upgrade to ${p.display_name}`}>
                <input type="hidden" name="tier" value={p.tier} />
                <input type="hidden" name="from" value={onboarding ? 'onboarding' : 'billing'} />
                <FieldErrors name="tier" />
                <FieldErrors name="from" />
                <p className="hint">Secure payment with Stripe Checkout.</p>
                <Submit
                  variant={onboarding ? 'secondary' : undefined}
                >{`${onboarding ? 'Choose' : 'Upgrade to'} ${p.display_name}`}</Submit>
              </ActionForm>
            ) : (
              <div>
                <button type="button" className="btn btn-secondary" disabled aria-describedby={`co-${p.tier}`}>
                  Upgrade to {p.display_name}
                </button>
                <p id={`co-${p.tier}`} className="hint">
                  Checkout unavailable right now — card payments are not connected yet.
                </p>
              </div>
            )}
          </div>
        </section>
      ))}
    </div>
  );
}

// Risk limits and strategies. Same form (and the same shared schema on the server) in the wizard and in settings.
// Strategies the plan does not include are shown disabled, with the plan that unlocks them.
import type { Profile } from '@polybot/db/user';
import Link from 'next/link';
import {
  CONFIG_LABELS,
  configBounds,
  FEATURE_TOGGLES,
  strategyState,
  type Plan,
  VENUE_NAMES,
  type PaperVenue,
  type PlanFeature,
  type UserConfigRow,
} from '@polybot/schemas';
import type { FormState } from './form.tsx';
import { ActionForm, Check, Field, FieldErrors, Submit } from './form.tsx';

const STRATEGIES: Record<PlanFeature, { label: string; what: string }> = {
  single_platform: {
    label: 'Single-platform arbitrage',
    what: 'Buy every outcome of one market when together they cost less than $1 after fees.',
  },
  cross_platform: {
    label: 'Cross-platform arbitrage',
    what: 'The same question on Polymarket and Kalshi priced apart.',
  },
  overlapping_arb: { label: 'Overlapping-market arbitrage', what: 'Linked markets where one outcome implies another.' },
  news_arbitrage: { label: 'News signals', what: 'Your own keyword rules on news feeds.' },
  copy_trading: { label: 'Copy trading', what: 'Mirror wallets you follow, scaled and capped.' },
};

const LIMIT_FIELDS = [
  { key: 'min_profit_pct', step: '0.01' },
  { key: 'max_trade_size_usd', step: '0.01' },
  { key: 'max_daily_loss_usd', step: '0.01' },
  { key: 'max_open_positions', step: '1' },
] as const;

/** The field's hint: the range this user may save; where the plan caps it, which plan and that upgrading raises it. */
function boundsHint(key: (typeof LIMIT_FIELDS)[number]['key'], profile: Profile, planName: string): string {
  const { min, max, capped } = configBounds(key, profile);
  const range = `${min.toLocaleString('en-US')} – ${max.toLocaleString('en-US')}`;
  return capped ? `Allowed on your ${planName} plan: ${range}` : `Allowed: ${range}`;
}

export function unlockedBy(feature: PlanFeature, plans: Plan[]): string {
  const plan = plans.find((p) => p.features[feature]);
  return plan
    ? `Included in ${plan.display_name} ($${plan.price_usd_monthly}/month) and up`
    : 'Not available on any plan yet';
}

export function ConfigForm(props: {
  config: UserConfigRow;
  profile: Profile;
  plans: Plan[];
  action: (prev: FormState, form: FormData) => Promise<FormState>;
  submitLabel: string;
  /** Venues that would still trade paper with Live chosen (venuesStayingPaper); shown once Live is picked. */
  paperWithLive?: PaperVenue[];
}) {
  const { config, profile, plans } = props;
  const planName = plans.find((p) => p.tier === profile.subscription_tier)?.display_name ?? profile.subscription_tier;
  return (
    <ActionForm action={props.action} label="Risk and strategies">
      <fieldset>
        <legend>Risk limits</legend>
        <div className="grid">
          {LIMIT_FIELDS.map((f) => (
            <Field
              key={f.key}
              name={f.key}
              label={CONFIG_LABELS[f.key]}
              type="number"
              step={f.step}
              min={configBounds(f.key, profile).min}
              max={configBounds(f.key, profile).max}
              defaultValue={config[f.key]}
              hint={boundsHint(f.key, profile, planName)}
            />
          ))}
        </div>
      </fieldset>
      <fieldset>
        <legend>Strategies</legend>
        {(Object.keys(FEATURE_TOGGLES) as PlanFeature[]).map((feature) => {
          const toggle = FEATURE_TOGGLES[feature];
          const state = strategyState(feature, config, profile.features_enabled);
          const allowed = state === 'on' || state === 'off';
          const id = `toggle-${toggle}`;
          return (
            <div
              key={feature}
              className={`check ${allowed ? '' : 'disabled'} ${state === 'locked_on' ? 'locked-on' : ''}`}
              data-testid={`strategy-${feature}`}
              data-state={state}
            >
              {/* A locked strategy cannot be changed here; one left on by a downgrade shows ticked, and saving keeps
                  it on (the server leaves a toggle the user could not change alone). */}
              <Check
                id={id}
                name={toggle}
                defaultChecked={state === 'on' || state === 'locked_on'}
                disabled={!allowed}
                aria-describedby={`${id}-d`}
              />
              <div>
                <label htmlFor={id}>{STRATEGIES[feature].label}</label>
                <p id={`${id}-d`} className="hint">
                  {STRATEGIES[feature].what}
                  {state === 'locked' ? ` — ${unlockedBy(feature, plans)}.` : ''}
                </p>
                {state === 'locked_on' ? (
                  <p className="banner banner-warn" data-testid={`locked-on-${feature}`}>
                    On, but your {planName} plan does not include it —{' '}
                    <Link href="/settings/billing">upgrade to use it</Link>. Your bot does not run it until then.
                  </p>
                ) : null}
                <FieldErrors name={toggle} />
              </div>
            </div>
          );
        })}
      </fieldset>
      <fieldset>
        <legend>Platforms and mode</legend>
        <label className="check">
          <Check name="enable_polymarket" defaultChecked={config.enable_polymarket} /> Trade on Polymarket
        </label>
        <label className="check">
          <Check name="enable_kalshi" defaultChecked={config.enable_kalshi} /> Trade on Kalshi
        </label>
        <label className="check">
          <Check type="radio" name="trading_mode" value="paper" defaultChecked={config.dry_run} /> Paper trading (no
          real money)
        </label>
        <ul className="hint" data-testid="paper-explained">
          <li>
            <strong>Paper on Polymarket:</strong> simulated fills against Polymarket&apos;s real public order books. No
            key needed.
          </li>
          <li>
            <strong>Paper on Kalshi:</strong> the same against Kalshi&apos;s real public books — or, when you saved a
            Kalshi paper (demo) key and this service has Kalshi&apos;s demo environment set up, real orders on
            Kalshi&apos;s demo exchange with play money.
          </li>
        </ul>
        <label className={`check ${profile.live_trading_allowed ? '' : 'disabled'}`}>
          <Check
            type="radio"
            name="trading_mode"
            value="live"
            defaultChecked={!config.dry_run}
            disabled={!profile.live_trading_allowed}
          />{' '}
          Live trading
          {profile.live_trading_allowed ? '' : ' — needs a paid plan'}
        </label>
        <FieldErrors name="trading_mode" />
        {props.paperWithLive && props.paperWithLive.length > 0 ? (
          // Shown by CSS only while Live is picked (globals.css .live-warning): a warning before saving, no script.
          <div className="banner banner-warn live-warning" data-testid="live-warning">
            With Live chosen, your bot still trades paper on{' '}
            {props.paperWithLive.map((p, i) => (
              <span key={p.venue}>
                {i > 0 ? ' and ' : ''}
                {VENUE_NAMES[p.venue]} ({p.why})
              </span>
            ))}{' '}
            until it has a validated live key there — add one in <Link href="/settings/keys">API keys</Link>.
          </div>
        ) : null}
      </fieldset>
      <Submit>{props.submitLabel}</Submit>
    </ActionForm>
  );
}

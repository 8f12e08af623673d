// Risk limits and strategies. Same form (and the same shared schema on the server) in the wizard and in settings.
// Strategies the plan does not include are shown disabled, with the plan that unlocks them.
import type { Profile } from '@polybot/db/user';
import {
  CONFIG_LIMITS,
  FEATURE_TOGGLES,
  strategyState,
  type Plan,
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
  { key: 'min_profit_pct', label: 'Minimum profit (%)', step: '0.01' },
  { key: 'max_trade_size_usd', label: 'Max trade size (USD)', step: '0.01' },
  { key: 'max_daily_loss_usd', label: 'Max daily loss (USD)', step: '0.01' },
  { key: 'max_open_positions', label: 'Max open positions', step: '1' },
] as const;

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
}) {
  const { config, profile, plans } = props;
  return (
    <ActionForm action={props.action} label="Risk and strategies">
      <fieldset>
        <legend>Risk limits</legend>
        <div className="grid">
          {LIMIT_FIELDS.map((f) => (
            <Field
              key={f.key}
              name={f.key}
              label={f.label}
              type="number"
              step={f.step}
              min={CONFIG_LIMITS[f.key].min}
              max={CONFIG_LIMITS[f.key].max}
              defaultValue={config[f.key]}
              hint={`Allowed: ${CONFIG_LIMITS[f.key].min.toLocaleString('en-US')} – ${CONFIG_LIMITS[f.key].max.toLocaleString('en-US')}`}
            />
          ))}
        </div>
      </fieldset>
      <fieldset>
        <legend>Strategies</legend>
        {(Object.keys(FEATURE_TOGGLES) as PlanFeature[]).map((feature) => {
          const toggle = FEATURE_TOGGLES[feature];
          const state = strategyState(feature, config, profile.features_enabled);
          const allowed = state !== 'locked';
          const id = `toggle-${toggle}`;
          return (
            <div key={feature} className={`check ${allowed ? '' : 'disabled'}`}>
              <Check
                id={id}
                name={toggle}
                defaultChecked={state === 'on'}
                disabled={!allowed}
                aria-describedby={`${id}-d`}
              />
              <div>
                <label htmlFor={id}>{STRATEGIES[feature].label}</label>
                <p id={`${id}-d`} className="hint">
                  {STRATEGIES[feature].what}
                  {allowed ? '' : ` — ${unlockedBy(feature, plans)}.`}
                </p>
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
      </fieldset>
      <Submit>{props.submitLabel}</Submit>
    </ActionForm>
  );
}

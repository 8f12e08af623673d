// One line above a strategy's parameters: whether the bot uses them now, and if not, what the user has to do
// (switch the strategy on above, or a plan that includes it). Entries can be prepared either way.
import { strategyState, type FeatureFlags, type Plan, type PlanFeature, type StrategyToggles } from '@polybot/schemas';
import { unlockedBy } from './config-form.tsx';

export function StrategyState(props: {
  feature: PlanFeature;
  label: string;
  /** The user's config (its strategy toggles) and their plan's features: strategyState decides from both. */
  config: StrategyToggles;
  features: FeatureFlags;
  plans: Plan[];
  uses: string;
}) {
  const state = strategyState(props.feature, props.config, props.features);
  return (
    <p className={`strategy-state strategy-${state}`} data-testid={`state-${props.feature}`}>
      <strong>
        {state === 'on'
          ? 'On'
          : state === 'off'
            ? 'Off'
            : state === 'locked_on'
              ? 'Switched on, but not in your plan'
              : 'Not in your plan'}
      </strong>
      {' — '}
      {state === 'on'
        ? `the bot ${props.uses}.`
        : state === 'off'
          ? `Switch on “${props.label}” above and save; until then the bot ignores these.`
          : `${unlockedBy(props.feature, props.plans)}. You can prepare these now; the bot uses them once your plan includes ${props.label.toLowerCase()} and it is switched on.`}
    </p>
  );
}

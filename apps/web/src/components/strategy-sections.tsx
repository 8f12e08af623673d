// The config page's parameters for the strategies that need them. Shown whatever the toggle or plan says, with
// what the bot does with them now; the toggles themselves stay in the config form above.
import type { Profile } from '@polybot/db/user';
import type { Plan, UserConfigRow } from '@polybot/schemas';
import { FollowedWallets } from './followed-wallets.tsx';
import { NewsRules } from './news-rules.tsx';
import { StrategyState } from './strategy-state.tsx';

/** AdvancedConfigSchema's limit for each list. */
const MAX_ENTRIES = 50;

export function StrategySections(props: {
  config: UserConfigRow;
  profile: Profile;
  plans: Plan[];
  removed?: string;
  ignoredRules: Record<string, string>;
}) {
  const { config, profile, plans, removed } = props;
  const { followedWallets, newsRules } = config.advanced_config;
  return (
    <>
      <section className="card stack" id="followed-wallets" aria-labelledby="wallets-h">
        <h2 id="wallets-h">Followed wallets</h2>
        <p className="hint">
          Copy trading mirrors the buys of these Polymarket wallets: their size times your scale, never more than your
          cap per trade (or your max trade size).
        </p>
        <StrategyState
          feature="copy_trading"
          label="Copy trading"
          config={config}
          features={profile.features_enabled}
          plans={plans}
          uses="copies these wallets"
        />
        {removed === 'wallet' ? (
          <p role="status" className="banner banner-ok">
            Wallet removed. Configuration version {config.config_version} is on its way to your bot.
          </p>
        ) : null}
        <FollowedWallets wallets={followedWallets} max={MAX_ENTRIES} />
      </section>
      <section className="card stack" id="news-rules" aria-labelledby="rules-h">
        <h2 id="rules-h">News rules</h2>
        <p className="hint">
          When a headline on the feed has one of the keywords, the bot buys the side you chose for the window you set —
          only while price plus fees is below your confidence and at most your max price.
        </p>
        <StrategyState
          feature="news_arbitrage"
          label="News signals"
          config={config}
          features={profile.features_enabled}
          plans={plans}
          uses="acts on these rules"
        />
        {removed === 'rule' ? (
          <p role="status" className="banner banner-ok">
            News rule removed. Configuration version {config.config_version} is on its way to your bot.
          </p>
        ) : null}
        <NewsRules rules={newsRules} max={MAX_ENTRIES} ignored={props.ignoredRules} />
      </section>
    </>
  );
}

import { getOwnBotStatus, getOwnConfig, getOwnProfile, listActivePlans, listOwnSecretMetadata } from '@polybot/db/user';
import { venuesStayingPaper } from '@polybot/schemas';
import { ConfigForm } from '~/components/config-form.tsx';
import { StrategySections } from '~/components/strategy-sections.tsx';
import { ignoredNewsRules } from '~/lib/ignored-rules.ts';
import { asUser, requireClaims } from '~/lib/session.ts';
import { saveConfig } from '~/app/actions/config.ts';

export const metadata = { title: 'Config · PolyBot' };
export const dynamic = 'force-dynamic';

export default async function ConfigPage({ searchParams }: { searchParams: Promise<{ removed?: string }> }) {
  const { removed } = await searchParams;
  const claims = await requireClaims('/settings/config');
  const { profile, config, bot, plans, keys } = await asUser(claims, async (tx) => ({
    profile: await getOwnProfile(tx),
    config: await getOwnConfig(tx),
    bot: await getOwnBotStatus(tx),
    plans: await listActivePlans(tx),
    keys: await listOwnSecretMetadata(tx),
  }));
  if (!profile || !config) throw new Error('signed-in user has no profile or config row');
  const applied = bot?.config_version ?? null;
  const ignored = ignoredNewsRules(
    bot?.stats,
    config.advanced_config.newsRules.map((r) => r.id),
  );
  return (
    <div className="stack">
      <h1>Bot configuration</h1>
      <p className="card" data-testid="config-applied">
        Saved version <strong data-testid="saved-version">{config.config_version}</strong> (changed{' '}
        {config.updated_at.toISOString().slice(0, 16).replace('T', ' ')} UTC).{' '}
        {applied === null
          ? 'Your bot has not picked up a configuration yet.'
          : applied === config.config_version
            ? `Your bot applied it${bot?.config_applied_at ? ` at ${bot.config_applied_at.toISOString().slice(0, 19).replace('T', ' ')} UTC` : ''}.`
            : `Your bot is still on version ${applied}; changes reach it within seconds while it runs.`}
      </p>
      <section className="card">
        <ConfigForm
          config={config}
          profile={profile}
          plans={plans}
          action={saveConfig}
          submitLabel="Save configuration"
          // Every venue, not only the enabled ones: the user may tick one on in this same form.
          paperWithLive={venuesStayingPaper({ polymarket: true, kalshi: true }, profile.live_trading_allowed, keys)}
        />
      </section>
      <StrategySections config={config} profile={profile} plans={plans} removed={removed} ignoredRules={ignored} />
    </div>
  );
}

// The wizard. The step lives in the profile (onboarding_step), so leaving and coming back resumes where you were.
import { getOwnConfig, getOwnProfile, listActivePlans, listOwnSecretMetadata } from '@polybot/db/user';
import { redirect } from 'next/navigation';
import { ConfigForm } from '~/components/config-form.tsx';
import { ActionForm, Check, FieldErrors, Submit } from '~/components/form.tsx';
import { KalshiKeyForm, PolymarketKeyForm } from '~/components/key-forms.tsx';
import { KeyList } from '~/components/key-list.tsx';
import { PlanCards } from '~/components/plan-cards.tsx';
import Link from 'next/link';
import { RefreshWhileConfirming } from '~/components/refresh-while-confirming.tsx';
import { billing } from '~/lib/billing.ts';
import { asUser, requireClaims } from '~/lib/session.ts';
import { TERMS_SUMMARY, TERMS_VERSION } from '~/lib/terms.ts';
import { saveRiskAndContinue } from '~/app/actions/config.ts';
import { acceptTermsAction, finishAfterCheckout, finishPlatforms } from '~/app/actions/onboarding.ts';
import { signOut } from '~/app/auth/actions.ts';

export const metadata = { title: 'Set up your bot · PolyBot' };

const STEPS = [
  { key: 'terms', label: 'Terms' },
  { key: 'platforms', label: 'Platforms' },
  { key: 'risk', label: 'Risk & strategies' },
  { key: 'plan', label: 'Plan' },
] as const;

export default async function OnboardingPage({ searchParams }: { searchParams: Promise<{ checkout?: string }> }) {
  const { checkout } = await searchParams;
  const claims = await requireClaims('/onboarding');
  const data = await asUser(claims, async (tx) => ({
    profile: await getOwnProfile(tx),
    config: await getOwnConfig(tx),
    keys: await listOwnSecretMetadata(tx),
    plans: await listActivePlans(tx),
  }));
  const { profile, config, keys, plans } = data;
  if (!profile || !config) throw new Error('signed-in user has no profile or config row');
  if (profile.onboarding_completed || profile.onboarding_step === 'done') redirect('/dashboard');
  const current = STEPS.findIndex((s) => s.key === profile.onboarding_step);
  const paidPlan =
    profile.subscription_tier === 'free'
      ? null
      : (plans.find((p) => p.tier === profile.subscription_tier)?.display_name ?? profile.subscription_tier);

  return (
    <>
      <header className="topbar">
        <span className="brand">PolyBot</span>
        <form action={signOut}>
          <button type="submit" className="btn btn-secondary">
            Sign out
          </button>
        </form>
      </header>
      <main className="shell stack">
        <h1>Set up your bot</h1>
        <nav aria-label="Setup progress">
          <ol className="steps">
            {STEPS.map((s, i) => (
              <li key={s.key} className={i < current ? 'done' : ''} aria-current={i === current ? 'step' : undefined}>
                {i + 1}. {s.label}
                {i < current ? <span className="sr-only"> (done)</span> : null}
              </li>
            ))}
          </ol>
        </nav>
        <p className="muted">
          Step {current + 1} of {STEPS.length}. You can leave at any time and continue here later.
        </p>

        {profile.onboarding_step === 'terms' ? (
          <section className="card stack" aria-labelledby="terms-h">
            <h2 id="terms-h">Terms of service</h2>
            <p>{TERMS_SUMMARY}</p>
            <p>
              <Link href="/terms">Read the full terms (version {TERMS_VERSION})</Link>
            </p>
            <ActionForm action={acceptTermsAction} label="Accept terms">
              <label className="check">
                <Check name="accept" /> I have read and accept the terms (version {TERMS_VERSION})
              </label>
              <FieldErrors name="accept" />
              <Submit>Accept and continue</Submit>
            </ActionForm>
          </section>
        ) : null}

        {profile.onboarding_step === 'platforms' ? (
          <>
            <section className="card stack" aria-labelledby="connected-h">
              <h2 id="connected-h">Connected</h2>
              <KeyList keys={keys} allowDelete={false} />
              {keys.length === 0 ? (
                <p className="hint" data-testid="paper-without-keys">
                  No keys? You can start on paper without any. Paper trading simulates fills against Polymarket&apos;s
                  and Kalshi&apos;s real public order books, with no real money, and needs no account at either venue.
                  Keys are needed only to trade live; you can add them later under Settings → API keys.
                </p>
              ) : null}
              <ActionForm action={finishPlatforms} label="Continue to risk">
                <Submit>{keys.length === 0 ? 'Continue on paper without keys' : 'Continue'}</Submit>
              </ActionForm>
            </section>
            <div className="grid">
              <section className="card stack" aria-labelledby="pm-h">
                <h2 id="pm-h">Polymarket</h2>
                <PolymarketKeyForm />
              </section>
              <section className="card stack" aria-labelledby="k-h">
                <h2 id="k-h">Kalshi</h2>
                <KalshiKeyForm />
              </section>
            </div>
          </>
        ) : null}

        {profile.onboarding_step === 'risk' ? (
          <section className="card stack" aria-labelledby="risk-h">
            <h2 id="risk-h">Risk limits and strategies</h2>
            <p className="hint">
              Copy trading and news signals need parameters: add the wallets to follow and your news rules later in
              Settings → Config.
            </p>
            <ConfigForm
              config={config}
              profile={profile}
              plans={plans}
              action={saveRiskAndContinue}
              submitLabel="Save and continue"
            />
          </section>
        ) : null}

        {profile.onboarding_step === 'plan' ? (
          <section className="stack" aria-labelledby="plan-h">
            <h2 id="plan-h">{paidPlan ? 'Your plan' : 'Choose a plan'}</h2>
            {checkout === 'cancelled' ? (
              <p className="banner banner-error">
                Checkout was cancelled; nothing was charged. Pick a plan to continue.
              </p>
            ) : null}
            {checkout === 'success' || paidPlan ? (
              <div className="card stack" data-testid="checkout-status" role="status">
                <p style={{ margin: 0 }}>
                  {paidPlan
                    ? `Payment confirmed: your ${paidPlan} plan is active. Finish setup to start your bot with it.`
                    : 'Thank you! Stripe is confirming your payment — this page updates by itself in a few seconds.'}
                </p>
                {paidPlan ? null : <RefreshWhileConfirming />}
                {paidPlan ? null : (
                  <p className="muted" style={{ margin: 0 }}>
                    Taking longer than a minute? <Link href="/onboarding">Show the plans again</Link>.
                  </p>
                )}
                <ActionForm action={finishAfterCheckout} label="Finish setup">
                  <Submit>Go to my dashboard</Submit>
                </ActionForm>
              </div>
            ) : null}
            {/* Once a paid plan is active, or while Stripe confirms one just paid for, the only step left is finishing:
                no second Checkout from here. */}
            {paidPlan || checkout === 'success' ? null : (
              <PlanCards plans={plans} current={profile.subscription_tier} onboarding checkout={billing() !== null} />
            )}
          </section>
        ) : null}
      </main>
    </>
  );
}

// The onboarding wizard's writes on the user's own profile (RLS: their row only; the profile guard lets users set
// exactly these columns).
import type { UserTx } from '../with-user.ts';

/** The wizard's steps in order (the profile's onboarding_step check constraint lists the same values). */
export const ONBOARDING_STEPS = ['terms', 'platforms', 'risk', 'plan', 'done'] as const;
export type OnboardingStep = (typeof ONBOARDING_STEPS)[number];

/** Records acceptance of `termsVersion` now and moves a user still on the terms step to the platforms step. */
export async function acceptTerms(tx: UserTx, termsVersion: string): Promise<void> {
  await tx`update public.polybot_user_profiles
              set accepted_terms_at = now(), accepted_terms_version = ${termsVersion},
                  onboarding_step = case when onboarding_step = 'terms' then 'platforms' else onboarding_step end
            where id = auth.uid()`;
}

/** Moves the wizard forward to `step` (never backwards: a finished user stays finished). */
export async function advanceOnboarding(tx: UserTx, step: OnboardingStep): Promise<void> {
  const rank = ONBOARDING_STEPS.indexOf(step);
  await tx`update public.polybot_user_profiles
              set onboarding_step = ${step}, onboarding_completed = ${step === 'done'}
            where id = auth.uid()
              and array_position(${tx.array([...ONBOARDING_STEPS])}::text[], onboarding_step) < ${rank + 1}`;
}

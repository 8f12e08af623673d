// The onboarding wizard's moves on the user's own profile, through functions the Data API cannot skip
// (20261207000320): users cannot write the onboarding and terms columns themselves.
import type { UserTx } from '../with-user.ts';

/** The wizard's steps in order (the profile's onboarding_step check and advance_onboarding list the same values). */
export const ONBOARDING_STEPS = ['terms', 'platforms', 'risk', 'plan', 'done'] as const;
export type OnboardingStep = (typeof ONBOARDING_STEPS)[number];

/**
 * Records acceptance of `termsVersion` at the database's time and moves a user still on the terms step to the
 * platforms step. The database refuses any version but the current one (TERMS_VERSION).
 */
export async function acceptTerms(tx: UserTx, termsVersion: string): Promise<void> {
  await tx`select public.accept_terms(${termsVersion})`;
}

/**
 * Moves the wizard forward to `step`, the next one (never backwards: a step already reached changes nothing). The
 * database refuses a skipped step or unmet conditions (terms accepted; config present; done only from the plan step).
 */
export async function advanceOnboarding(tx: UserTx, step: OnboardingStep): Promise<void> {
  await tx`select public.advance_onboarding(${step})`;
}

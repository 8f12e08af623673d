-- =====================================================================================================================
-- Billing: the bookkeeping the Stripe webhook needs to converge on Stripe's latest subscription state when events
-- arrive twice or out of order (see docs/BILLING.md and supabase/functions/_shared/billing/apply-event.ts).
--
-- Writes come only from the service connection (postgres / service_role) inside one transaction that also records
-- the event id in polybot_stripe_events. The new column is not in the profile guard's user-editable list, so
-- private.protect_profile_fields refuses it to users with the same clear error as every billing column.
-- =====================================================================================================================

alter table public.polybot_user_profiles
  add column if not exists stripe_event_at timestamptz;

comment on column public.polybot_user_profiles.stripe_event_at is
  'Stripe `created` time of the newest webhook event applied to this subscription state. Older events are ignored, so redelivered or reordered events cannot roll the plan back. Written only by billing.';

-- Users read their own profile row through RLS; they need no new grant. The service already has update on the table.

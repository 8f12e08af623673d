// Row types billing tests read back from the database. Types only, so a test in another workspace can import them
// (@polybot/billing/testing/rows) without type-checking the whole billing stack under its own compiler options.

/** The billing columns of a polybot_user_profiles row, as postgres.js reads them: what billing tests assert on. */
export interface ProfileBillingColumns {
  subscription_tier: string;
  subscription_status: string;
  subscription_expires_at: Date | null;
  subscription_cancel_at_period_end: boolean;
  stripe_customer_id: string | null;
  stripe_subscription_id: string | null;
  monthly_trade_limit: number;
}

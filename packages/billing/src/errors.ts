// Mistakes a user can make (buying a plan they already have, a tier that is not for sale): the web app shows the
// message. Anything else is thrown as is.
export type BillingErrorCode = 'not_purchasable' | 'already_subscribed' | 'no_profile' | 'no_customer';

export class BillingError extends Error {
  constructor(
    readonly code: BillingErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'BillingError';
  }
}

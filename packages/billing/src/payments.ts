// Payment history for the billing page: the user's invoices, newest first, straight from Stripe (the source of
// truth; we keep no copy to drift).
import { readProfileBilling, type BillingDeps } from './customers.ts';

export interface Payment {
  id: string;
  number: string | null;
  createdAt: Date;
  periodStart: Date;
  periodEnd: Date;
  amountDue: number;
  amountPaid: number;
  currency: string;
  status: string;
  url: string | null;
}

export async function listPayments(deps: BillingDeps, userId: string, limit = 24): Promise<Payment[]> {
  const profile = await readProfileBilling(deps.sql, userId);
  if (!profile.stripe_customer_id) return [];
  const invoices = await deps.stripe.invoices.list({ customer: profile.stripe_customer_id, limit });
  return invoices.data.map((invoice) => ({
    id: invoice.id ?? '',
    number: invoice.number,
    createdAt: new Date(invoice.created * 1000),
    periodStart: new Date(invoice.period_start * 1000),
    periodEnd: new Date(invoice.period_end * 1000),
    amountDue: invoice.amount_due,
    amountPaid: invoice.amount_paid,
    currency: invoice.currency,
    status: invoice.status ?? 'draft',
    url: invoice.hosted_invoice_url ?? null,
  }));
}

// Invoices straight from Stripe, newest first; each links to Stripe's hosted invoice (receipt, PDF). Amount and
// status come right after the date so a phone shows them without scrolling the table.
import type { Payment } from '@polybot/billing';
import { invoiceStatus, money, shortDate } from './format.ts';

export function PaymentHistory({ payments }: { payments: Payment[] | null }) {
  if (payments === null)
    return <p className="muted">Payment history could not be loaded from Stripe just now. Reload in a minute.</p>;
  if (payments.length === 0) {
    return (
      <p className="muted" data-testid="payments-empty">
        No payments yet. Invoices appear here once you subscribe to a paid plan.
      </p>
    );
  }
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th>Date</th>
            <th className="num">Amount</th>
            <th>Status</th>
            <th>Invoice</th>
            <th>Period</th>
          </tr>
        </thead>
        <tbody>
          {payments.map((p) => (
            <tr key={p.id} data-invoice={p.id}>
              <td>{shortDate(p.createdAt)}</td>
              <td className="num">{money(p.status === 'paid' ? p.amountPaid : p.amountDue, p.currency)}</td>
              <td>{invoiceStatus(p.status)}</td>
              <td>{p.url ? <a href={p.url}>{p.number ?? p.id}</a> : (p.number ?? p.id)}</td>
              <td>
                {shortDate(p.periodStart)} – {shortDate(p.periodEnd)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

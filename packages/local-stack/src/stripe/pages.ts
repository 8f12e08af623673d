// The hosted pages a browser sees: Checkout (pay with a test card or go back), the Customer Portal (cancel at
// period end, undo, switch plan, go back) and a hosted invoice. Plain server-rendered HTML; ids are stable for tests.
import type { CheckoutSession, Invoice, Price, Product, Subscription } from './objects.ts';
import { escapeHtml as esc } from '../html.ts';
import { TEST_CARDS } from './store.ts';

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}
.error{color:#b00020}label{display:block;margin:1rem 0 .25rem}button{margin:.5rem .5rem 0 0}</style></head>
<body><p><small>Stripe emulator (test mode)</small></p>${body}</body></html>`;
}

function money(price: Price): string {
  return `${(price.unit_amount / 100).toFixed(2)} ${price.currency.toUpperCase()} / ${price.recurring?.interval ?? 'once'}`;
}

export function checkoutPage(
  session: CheckoutSession,
  lines: { price: Price; product: Product | undefined }[],
  error?: string,
): string {
  const items = lines
    .map((l) => `<li>${esc(l.product?.name ?? l.price.product)} — ${esc(money(l.price))}</li>`)
    .join('');
  const cancel = session.cancel_url ? `<a id="cancel" href="${esc(session.cancel_url)}">Cancel and go back</a>` : '';
  return page(
    'Checkout',
    `<h1>Subscribe</h1><ul>${items}</ul>
${error ? `<p class="error" role="alert">${esc(error)}</p>` : ''}
<form method="post"><label for="card">Card number</label>
<input id="card" name="card" inputmode="numeric" autocomplete="cc-number" value="${TEST_CARDS.succeeds.replace(/(\d{4})(?=\d)/g, '$1 ')}">
<p><small>Test cards: 4242 4242 4242 4242 pays, 4000 0000 0000 0002 is declined.</small></p>
<button type="submit" id="pay">Subscribe</button></form>${cancel}`,
  );
}

export function portalPage(
  subscriptions: Subscription[],
  prices: { price: Price; product: Product | undefined }[],
  returnUrl: string | null,
  notice?: string,
): string {
  const subs = subscriptions
    .filter((s) => s.status !== 'canceled')
    .map((s) => {
      const item = s.items.data[0];
      const end = new Date(Math.max(...s.items.data.map((i) => i.current_period_end)) * 1000)
        .toISOString()
        .slice(0, 10);
      const current = item?.price.id;
      const switches = prices
        .filter((p) => p.price.id !== current && p.price.active && p.price.recurring)
        .map(
          (p) => `<form method="post"><input type="hidden" name="subscription" value="${esc(s.id)}">
<input type="hidden" name="action" value="switch"><input type="hidden" name="price" value="${esc(p.price.id)}">
<button type="submit">Switch to ${esc(p.product?.name ?? p.price.id)}</button></form>`,
        )
        .join('');
      const toggle = s.cancel_at_period_end
        ? `<p>Cancels on ${end}.</p><form method="post"><input type="hidden" name="subscription" value="${esc(s.id)}">
<input type="hidden" name="action" value="renew"><button type="submit" id="renew">Don't cancel</button></form>`
        : `<p>Renews on ${end}.</p><form method="post"><input type="hidden" name="subscription" value="${esc(s.id)}">
<input type="hidden" name="action" value="cancel"><button type="submit" id="cancel-plan">Cancel plan</button></form>`;
      const name = item ? (prices.find((p) => p.price.id === item.price.id)?.product?.name ?? item.price.id) : '';
      return `<section data-subscription="${esc(s.id)}"><h2>${esc(name)} (${esc(s.status)})</h2>${toggle}${switches}</section>`;
    })
    .join('');
  const back = returnUrl ? `<p><a id="return" href="${esc(returnUrl)}">Return to the app</a></p>` : '';
  return page(
    'Billing portal',
    `<h1>Manage your subscription</h1>${notice ? `<p role="status">${esc(notice)}</p>` : ''}
${subs || '<p>No active subscription.</p>'}${back}`,
  );
}

export function invoicePage(invoice: Invoice, error?: string): string {
  const amount = (cents: number): string => `${(cents / 100).toFixed(2)} ${invoice.currency.toUpperCase()}`;
  const day = (s: number): string => new Date(s * 1000).toISOString().slice(0, 10);
  const lines = invoice.lines.data.map((l) => `<li>${esc(l.description)} — ${esc(amount(l.amount))}</li>`).join('');
  return page(
    `Invoice ${invoice.number ?? invoice.id}`,
    `<h1>Invoice ${esc(invoice.number ?? invoice.id)}</h1>
<p>Status: <strong id="invoice-status">${esc(invoice.status)}</strong></p>
<p>Period ${day(invoice.period_start)} – ${day(invoice.period_end)}</p><ul>${lines}</ul>
<p>Amount due ${esc(amount(invoice.amount_due))} · paid ${esc(amount(invoice.amount_paid))}</p>
${error ? `<p class="error" role="alert">${esc(error)}</p>` : ''}${
      invoice.status === 'open'
        ? `<form method="post" id="pay-invoice">
<label for="card">Card number</label><input id="card" name="card" inputmode="numeric" autocomplete="cc-number">
<p><small>Test cards: 4242 4242 4242 4242 pays, 4000 0000 0000 0002 is declined.</small></p>
<button type="submit" id="pay">Pay ${esc(amount(invoice.amount_remaining))}</button></form>`
        : ''
    }`,
  );
}

export function messagePage(title: string, message: string): string {
  return page(title, `<h1>${esc(title)}</h1><p>${esc(message)}</p>`);
}

/** The sandbox's hosted checkout page: what is being bought, and Pay and Cancel buttons. */

export interface PageLine {
  name: string;
  amount: string;
}

export interface PageView {
  provider: 'Stripe' | 'Midtrans';
  reference: string;
  lines: PageLine[];
  total: string;
  /** Form targets (POST); `payLaterPath` is the Stripe delayed payment method. */
  payPath: string;
  payLaterPath?: string;
  cancelPath: string;
  /** Set once the checkout is no longer open: the page then shows it instead of buttons. */
  closedMessage?: string;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/**
 * Currencies that Stripe takes in whole units (its zero-decimal list). Every other currency,
 * IDR included, arrives in hundredths.
 */
const ZERO_DECIMAL_CURRENCIES = new Set([
  'BIF',
  'CLP',
  'DJF',
  'GNF',
  'JPY',
  'KMF',
  'KRW',
  'MGA',
  'PYG',
  'RWF',
  'UGX',
  'VND',
  'VUV',
  'XAF',
  'XOF',
  'XPF'
]);

/**
 * Formats a gateway amount in minor units, e.g. 1000000 IDR as "IDR 10,000". Intl's own
 * digits cannot be used to divide, because CLDR gives IDR no decimals.
 */
export function formatMinor(amount: number, currency: string): string {
  const code = currency.toUpperCase();
  const exponent = ZERO_DECIMAL_CURRENCIES.has(code) ? 0 : 2;
  return new Intl.NumberFormat('en', { style: 'currency', currency: code }).format(
    amount / 10 ** exponent
  );
}

export function checkoutPage(view: PageView): string {
  const lines = view.lines
    .map(
      (line) =>
        `<tr><td>${escapeHtml(line.name)}</td><td class="amount">${escapeHtml(line.amount)}</td></tr>`
    )
    .join('\n');
  const actions = view.closedMessage
    ? `<p class="closed" role="status">${escapeHtml(view.closedMessage)}</p>`
    : `<div class="actions">
        <form method="post" action="${escapeHtml(view.payPath)}"><button type="submit" class="pay">Pay</button></form>
        ${
          view.payLaterPath
            ? `<form method="post" action="${escapeHtml(view.payLaterPath)}"><button type="submit">Pay by bank debit (confirms later)</button></form>`
            : ''
        }
        <form method="post" action="${escapeHtml(view.cancelPath)}"><button type="submit" class="cancel">Cancel</button></form>
      </div>`;

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(view.provider)} sandbox checkout</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 32rem; margin: 3rem auto; padding: 0 1rem; color: #1f2933; }
  .badge { display: inline-block; padding: 0.1rem 0.5rem; border-radius: 0.25rem; background: #fde68a; font-size: 0.8rem; }
  table { width: 100%; border-collapse: collapse; margin: 1.5rem 0; }
  td { padding: 0.5rem 0; border-bottom: 1px solid #e4e7eb; }
  .amount { text-align: right; white-space: nowrap; }
  tfoot td { font-weight: 600; border-bottom: none; }
  .actions { display: flex; flex-direction: column; gap: 0.5rem; }
  button { width: 100%; padding: 0.75rem; font-size: 1rem; border-radius: 0.375rem; border: 1px solid #9aa5b1; background: #fff; cursor: pointer; }
  button.pay { background: #2563eb; border-color: #2563eb; color: #fff; }
  .closed { padding: 0.75rem; background: #f5f7fa; border-radius: 0.375rem; }
</style>
</head>
<body>
<main>
  <p class="badge">Test mode: no money moves</p>
  <h1>${escapeHtml(view.provider)} checkout</h1>
  <p>Order ${escapeHtml(view.reference)}</p>
  <table>
    <tbody>
${lines}
    </tbody>
    <tfoot><tr><td>Total</td><td class="amount" data-testid="total">${escapeHtml(view.total)}</td></tr></tfoot>
  </table>
  ${actions}
</main>
</body>
</html>`;
}

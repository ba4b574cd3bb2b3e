/**
 * Conversions between the database's ISO 4217 minor units and what each gateway takes.
 * Prices, currencies and totals come from the database. These functions only change the unit
 * at the edge, and reject amounts that a gateway cannot represent exactly.
 */

/** Raised when an amount cannot be sent to a gateway without rounding or in that currency. */
export class AmountError extends Error {
  constructor(
    readonly code: 'currency_not_supported' | 'amount_not_supported',
    message: string,
  ) {
    super(message);
    this.name = 'AmountError';
  }
}

/**
 * Currencies whose Stripe amounts differ from ISO 4217 minor units or must be rounded to whole
 * units (ISK, HUF, TWD and UGX are special cases on Stripe's supported-currencies page).
 */
const STRIPE_SPECIAL_CASE_CURRENCIES = new Set(['ISK', 'HUF', 'TWD', 'UGX']);

/** Currencies with three ISO 4217 decimals; Stripe takes them only with a last digit of 0. */
const THREE_DECIMAL_CURRENCIES = new Set(['BHD', 'JOD', 'KWD', 'OMR', 'TND']);

function assertMinorUnits(minor: number): void {
  if (!Number.isSafeInteger(minor) || minor <= 0) {
    throw new AmountError(
      'amount_not_supported',
      `Amount ${minor} is not a positive whole number of minor units.`,
    );
  }
}

function assertCurrencyCode(currency: string): void {
  if (!/^[A-Z]{3}$/.test(currency)) {
    throw new AmountError(
      'currency_not_supported',
      `Currency "${currency}" is not an upper-case ISO 4217 code such as IDR or USD.`,
    );
  }
}

/**
 * Returns the Stripe `unit_amount` for an amount in minor units. Stripe also counts in the
 * currency's smallest unit (cents for USD, 1/100 rupiah for IDR, yen for JPY), so the number
 * is unchanged for the currencies accepted here.
 */
export function toStripeAmount(minor: number, currency: string): number {
  assertMinorUnits(minor);
  assertCurrencyCode(currency);
  if (STRIPE_SPECIAL_CASE_CURRENCIES.has(currency)) {
    throw new AmountError(
      'currency_not_supported',
      `Currency ${currency} has special amount rules on Stripe and is not supported here: ` +
        'sell the product in another currency.',
    );
  }
  if (THREE_DECIMAL_CURRENCIES.has(currency) && minor % 10 !== 0) {
    throw new AmountError(
      'amount_not_supported',
      `Stripe takes ${currency} amounts only in multiples of 10 minor units, and ${minor} is not.`,
    );
  }
  return minor;
}

/** Returns the lower-case currency code Stripe sends and expects. */
export function toStripeCurrency(currency: string): string {
  assertCurrencyCode(currency);
  return currency.toLowerCase();
}

/**
 * Returns the Midtrans `gross_amount` (whole rupiah) for an IDR amount in minor units. Midtrans
 * takes no decimals, so an amount that is not a multiple of 100 minor units is rejected
 * rather than rounded.
 */
export function toMidtransGrossAmount(minor: number, currency: string): number {
  assertMinorUnits(minor);
  if (currency !== 'IDR') {
    throw new AmountError(
      'currency_not_supported',
      `Midtrans takes payments in IDR only, and this order is in ${currency}: pay with Stripe.`,
    );
  }
  if (minor % 100 !== 0) {
    throw new AmountError(
      'amount_not_supported',
      `IDR amount ${minor} (minor units) is not a whole number of rupiah, which Midtrans needs.`,
    );
  }
  return minor / 100;
}

/**
 * Parses a Midtrans `gross_amount` string such as "145000.00" into minor units (14500000).
 * Returns null for anything that is not a non-negative decimal with at most two decimals.
 */
export function parseMidtransAmount(value: string): number | null {
  const match = /^(\d{1,15})(?:\.(\d{1,2}))?$/.exec(value);
  if (!match) return null;

  const whole = Number(match[1]);
  const fraction = Number((match[2] ?? '').padEnd(2, '0'));
  const minor = whole * 100 + fraction;
  return Number.isSafeInteger(minor) ? minor : null;
}

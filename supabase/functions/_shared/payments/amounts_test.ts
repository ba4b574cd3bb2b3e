/**
 * Unit tests of the amount conversions at each gateway's edge.
 * Run: deno test --config supabase/functions/deno.json
 */
import assert from 'node:assert/strict';
import {
  AmountError,
  parseMidtransAmount,
  toMidtransGrossAmount,
  toStripeAmount,
  toStripeCurrency,
} from './amounts.ts';

const midtransCases: { minor: number; currency: string; gross?: number; code?: string }[] = [
  { minor: 1_000_000, currency: 'IDR', gross: 10_000 },
  { minor: 7_500_000, currency: 'IDR', gross: 75_000 },
  { minor: 100, currency: 'IDR', gross: 1 },
  { minor: 1_000_050, currency: 'IDR', code: 'amount_not_supported' },
  { minor: 99, currency: 'IDR', code: 'amount_not_supported' },
  { minor: 0, currency: 'IDR', code: 'amount_not_supported' },
  { minor: -100, currency: 'IDR', code: 'amount_not_supported' },
  { minor: 1.5, currency: 'IDR', code: 'amount_not_supported' },
  { minor: 1_500, currency: 'USD', code: 'currency_not_supported' },
];

for (const { minor, currency, gross, code } of midtransCases) {
  Deno.test(`Midtrans gross_amount of ${minor} ${currency}`, () => {
    if (gross !== undefined) {
      assert.equal(toMidtransGrossAmount(minor, currency), gross);
      return;
    }
    assert.throws(
      () => toMidtransGrossAmount(minor, currency),
      (error) => error instanceof AmountError && error.code === code,
    );
  });
}

const stripeCases: { minor: number; currency: string; amount?: number; code?: string }[] = [
  { minor: 1_500, currency: 'USD', amount: 1_500 },
  { minor: 1_000_000, currency: 'IDR', amount: 1_000_000 },
  { minor: 500, currency: 'JPY', amount: 500 },
  { minor: 1_230, currency: 'KWD', amount: 1_230 },
  { minor: 1_234, currency: 'KWD', code: 'amount_not_supported' },
  { minor: 10_000, currency: 'HUF', code: 'currency_not_supported' },
  { minor: 0, currency: 'USD', code: 'amount_not_supported' },
  { minor: 2 ** 60, currency: 'USD', code: 'amount_not_supported' },
  { minor: 100, currency: 'usd', code: 'currency_not_supported' },
];

for (const { minor, currency, amount, code } of stripeCases) {
  Deno.test(`Stripe unit_amount of ${minor} ${currency}`, () => {
    if (amount !== undefined) {
      assert.equal(toStripeAmount(minor, currency), amount);
      return;
    }
    assert.throws(
      () => toStripeAmount(minor, currency),
      (error) => error instanceof AmountError && error.code === code,
    );
  });
}

Deno.test('Stripe currency is lower case', () => {
  assert.equal(toStripeCurrency('IDR'), 'idr');
});

const parseCases: [string, number | null][] = [
  ['145000.00', 14_500_000],
  ['145000', 14_500_000],
  ['145000.5', 14_500_050],
  ['0.01', 1],
  ['10000.00', 1_000_000],
  ['145,000.00', null],
  ['-1.00', null],
  ['1e5', null],
  ['145000.001', null],
  ['', null],
  [' 100.00', null],
];

for (const [text, minor] of parseCases) {
  Deno.test(`Midtrans amount "${text}" parses to ${minor}`, () => {
    assert.equal(parseMidtransAmount(text), minor);
  });
}

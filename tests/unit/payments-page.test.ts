import { describe, expect, it } from 'vitest';
import { formatMinor } from '../../stack/payments/page.ts';

describe('sandbox formatMinor', () => {
  it.each([
    [7_500_000, 'IDR', 'IDR\u00a075,000'],
    [1200, 'usd', '$12.00'],
    [500, 'JPY', '¥500']
  ])('formats %d %s as %s', (amount, currency, text) => {
    expect(formatMinor(amount, currency)).toBe(text);
  });
});

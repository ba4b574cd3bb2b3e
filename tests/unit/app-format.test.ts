import { describe, expect, it } from 'vitest';
import {
  currencyExponent,
  formatBytes,
  formatDate,
  formatDateTime,
  formatMoney
} from '../../src/lib/format';

const NBSP = '\u00a0';

describe('formatMoney', () => {
  it.each([
    { amount: 15000000, currency: 'IDR', locale: 'en-US', expected: `Rp${NBSP}150.000` },
    { amount: 15000000, currency: 'IDR', locale: 'id-ID', expected: `Rp${NBSP}150.000` },
    { amount: 7500000, currency: 'idr', locale: 'en-US', expected: `Rp${NBSP}75.000` },
    { amount: 12345678, currency: 'IDR', locale: 'en-US', expected: `Rp${NBSP}123.457` },
    { amount: 450, currency: 'USD', locale: 'en-US', expected: '$4.50' },
    { amount: 123456, currency: 'USD', locale: 'en-US', expected: '$1,234.56' },
    { amount: 450, currency: 'USD', locale: 'id-ID', expected: 'US$4,50' },
    { amount: 500, currency: 'JPY', locale: 'en-US', expected: '¥500' },
    { amount: 1234, currency: 'KWD', locale: 'en-US', expected: `KWD${NBSP}1.234` }
  ])(
    'formats $amount $currency in $locale as $expected',
    ({ amount, currency, locale, expected }) => {
      expect(formatMoney(amount, currency, locale)).toBe(expected);
    }
  );
});

describe('currencyExponent', () => {
  it.each([
    ['IDR', 2],
    ['USD', 2],
    ['JPY', 0],
    ['KWD', 3],
    ['eur', 2]
  ])('gives %s %i decimals', (currency, expected) => {
    expect(currencyExponent(currency)).toBe(expected);
  });
});

describe('formatBytes', () => {
  it.each([
    { bytes: 0, locale: 'en-US', expected: '0 bytes' },
    { bytes: 999, locale: 'en-US', expected: '999 bytes' },
    { bytes: 13370, locale: 'en-US', expected: '13.4 kB' },
    { bytes: 140429, locale: 'en-US', expected: '140.4 kB' },
    { bytes: 1500000, locale: 'en-US', expected: '1.5 MB' },
    { bytes: 1500000, locale: 'id-ID', expected: '1,5 MB' },
    { bytes: 2_000_000_000, locale: 'en-US', expected: '2 GB' }
  ])('formats $bytes bytes in $locale as $expected', ({ bytes, locale, expected }) => {
    expect(formatBytes(bytes, locale)).toBe(expected);
  });
});

describe('formatDate', () => {
  it('writes the full date in each language', () => {
    const value = '2026-03-01T10:00:00Z';

    expect(formatDate(value, 'en-US', 'UTC')).toBe('March 1, 2026');
    expect(formatDate(value, 'id-ID', 'UTC')).toBe('1 Maret 2026');
  });

  it('uses the given time zone for the calendar day', () => {
    expect(formatDate('2026-03-01T20:00:00Z', 'en-US', 'Asia/Jakarta')).toBe('March 2, 2026');
  });

  it('formats date and time', () => {
    expect(formatDateTime('2026-03-01T07:05:00Z', 'en-US', 'Asia/Jakarta')).toBe(
      'Mar 1, 2026, 2:05 PM'
    );
    expect(formatDateTime('2026-03-01T07:05:00Z', 'id-ID', 'Asia/Jakarta')).toBe(
      '1 Mar 2026, 14.05'
    );
  });
});

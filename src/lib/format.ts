/**
 * ISO 4217 exponents that differ from the usual 2. Intl's own digits follow CLDR, which
 * reports 0 for IDR although IDR amounts are stored with 2 decimals, so the table is explicit.
 */
const CURRENCY_EXPONENTS: Record<string, number> = {
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0
};

/** Currencies shown in whole units even though they are stored with decimals. */
const WHOLE_UNIT_DISPLAY = new Set(['IDR']);

/** Returns how many decimals a currency's minor unit has (IDR 2, JPY 0, KWD 3). */
export function currencyExponent(currency: string): number {
  return CURRENCY_EXPONENTS[currency.toUpperCase()] ?? 2;
}

/**
 * Formats an amount in minor units, e.g. `formatMoney(15000000, 'IDR', 'en-US')` is
 * "Rp 150.000". IDR always uses `id-ID` conventions and shows no fraction digits; other
 * currencies use `locale`.
 */
export function formatMoney(amountMinor: number, currency: string, locale: string): string {
  const code = currency.toUpperCase();
  const exponent = currencyExponent(code);
  const fractionDigits = WHOLE_UNIT_DISPLAY.has(code) ? 0 : exponent;
  const formatter = new Intl.NumberFormat(code === 'IDR' ? 'id-ID' : locale, {
    style: 'currency',
    currency: code,
    minimumFractionDigits: fractionDigits,
    maximumFractionDigits: fractionDigits
  });
  return formatter.format(amountMinor / 10 ** exponent);
}

const BYTE_UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;

/** Formats a size in bytes with SI units (1 kB = 1000 bytes), e.g. "1.5 MB" or "1,5 MB". */
export function formatBytes(bytes: number, locale: string): string {
  let value = bytes;
  let unitIndex = 0;
  while (value >= 1000 && unitIndex < BYTE_UNITS.length - 1) {
    value /= 1000;
    unitIndex += 1;
  }
  return new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: BYTE_UNITS[unitIndex],
    unitDisplay: unitIndex === 0 ? 'long' : 'short',
    maximumFractionDigits: unitIndex === 0 ? 0 : 1
  }).format(value);
}

/** Formats a date as the locale writes it in full, e.g. "1 March 2026" or "1 Maret 2026". */
export function formatDate(value: string | Date, locale: string, timeZone?: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone }).format(new Date(value));
}

/** Formats a date and time, e.g. "1 Mar 2026, 14:05". */
export function formatDateTime(value: string | Date, locale: string, timeZone?: string): string {
  return new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone
  }).format(new Date(value));
}

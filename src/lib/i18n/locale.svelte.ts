import { formatBytes, formatDate, formatDateTime, formatMoney } from '../format';
import {
  createI18n,
  INTL_LOCALES,
  pickLocale,
  translate,
  type Locale,
  type MessageKey,
  type MessageValues
} from './index';

const STORAGE_KEY = 'brankas.locale';

const i18n = createI18n();

class LocaleState {
  current = $state<Locale>('en');
}

/** The UI language. Reading `locale.current` in a template re-renders it on a switch. */
export const locale = new LocaleState();

/** Translates a message key into the current UI language. */
export function t(key: MessageKey, values?: MessageValues): string {
  return translate(i18n, locale.current, key, values);
}

export function intlLocale(): string {
  return INTL_LOCALES[locale.current];
}

/** Switches the UI language, remembers it in localStorage and updates `<html lang>`. */
export function setLocale(next: Locale): void {
  locale.current = next;
  document.documentElement.lang = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // Private windows may refuse storage; the switch still applies to this visit.
  }
}

/** Restores the stored language, or picks one from the browser's languages. */
export function initLocale(): void {
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(STORAGE_KEY);
  } catch {
    stored = null;
  }
  locale.current = pickLocale(stored, navigator.languages ?? [navigator.language]);
  document.documentElement.lang = locale.current;
}

/** Formatters bound to the current UI language. */
export const format = {
  money: (amountMinor: number, currency: string) =>
    formatMoney(amountMinor, currency, intlLocale()),
  bytes: (bytes: number) => formatBytes(bytes, intlLocale()),
  date: (value: string | Date) => formatDate(value, intlLocale()),
  dateTime: (value: string | Date) => formatDateTime(value, intlLocale())
};

import i18next, { type i18n as I18nInstance } from 'i18next';
import { en, type Messages } from './en';
import { id } from './id';

export const LOCALES = ['en', 'id'] as const;
export type Locale = (typeof LOCALES)[number];

/** The BCP 47 tag each UI language formats numbers and dates with. */
export const INTL_LOCALES: Record<Locale, string> = { en: 'en-US', id: 'id-ID' };

/** Each language's name written in that language, for the switcher. */
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', id: 'Bahasa Indonesia' };

type WithoutPluralSuffix<K extends string> = K extends `${infer Base}_one`
  ? Base
  : K extends `${infer Base}_other`
    ? Base
    : K;

type MessagePaths<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends string
    ? `${Prefix}${WithoutPluralSuffix<K>}`
    : MessagePaths<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

/** Every message key, with plural forms folded into their base key (`library.downloadsLeft`). */
export type MessageKey = MessagePaths<Messages>;

export type MessageValues = Record<string, string | number>;

/** Creates an i18next instance with both languages loaded synchronously, for offline use. */
export function createI18n(initial: Locale = 'en'): I18nInstance {
  const instance = i18next.createInstance();
  void instance.init({
    resources: { en: { translation: en }, id: { translation: id } },
    lng: initial,
    fallbackLng: 'en',
    supportedLngs: [...LOCALES],
    initAsync: false,
    returnNull: false,
    // Svelte escapes text when it renders, so i18next must not escape it a second time.
    interpolation: { escapeValue: false }
  });
  return instance;
}

/** Translates `key` into `locale`; `values.count` selects a plural form. */
export function translate(
  instance: I18nInstance,
  locale: Locale,
  key: MessageKey,
  values?: MessageValues
): string {
  return instance.t(key, { ...values, lng: locale }) as string;
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/**
 * Picks the UI language: a stored choice when valid, else the first browser language
 * that is Indonesian or English, else English.
 */
export function pickLocale(stored: string | null, browserLanguages: readonly string[]): Locale {
  if (isLocale(stored)) return stored;

  for (const language of browserLanguages) {
    const base = language.toLowerCase().split('-')[0];
    if (isLocale(base)) return base;
  }
  return 'en';
}

import { describe, expect, it } from 'vitest';
import { en } from '../../src/lib/i18n/en';
import { id } from '../../src/lib/i18n/id';
import { createI18n, pickLocale, translate } from '../../src/lib/i18n/index';

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const entries = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === 'string') entries.set(`${prefix}${key}`, value);
    else for (const [inner, text] of flatten(value, `${prefix}${key}.`)) entries.set(inner, text);
  }
  return entries;
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{(\w+)\}\}/g)].map((match) => match[1]).sort();
}

const english = flatten(en);
const indonesian = flatten(id);

describe('message catalogues', () => {
  it('have the same keys in both languages', () => {
    expect([...indonesian.keys()].sort()).toEqual([...english.keys()].sort());
  });

  it('have no empty messages', () => {
    const empty = [...english, ...indonesian].filter(([, text]) => text.trim() === '');

    expect(empty).toEqual([]);
  });

  it('use the same placeholders in both languages', () => {
    const mismatched = [...english]
      .filter(
        ([key, text]) =>
          placeholders(text).join() !== placeholders(indonesian.get(key) ?? '').join()
      )
      .map(([key]) => key);

    expect(mismatched).toEqual([]);
  });
});

describe('translate', () => {
  const i18n = createI18n();

  it('translates into each language', () => {
    expect(translate(i18n, 'en', 'library.title')).toBe('My library');
    expect(translate(i18n, 'id', 'library.title')).toBe('Pustaka saya');
  });

  it('fills placeholders without escaping them', () => {
    expect(translate(i18n, 'en', 'signin.linkSent', { email: 'a&b@example.com' })).toBe(
      'Check your inbox: we sent a sign-in link to a&b@example.com.'
    );
  });

  it('picks plural forms by count', () => {
    expect(translate(i18n, 'en', 'library.downloadsLeft', { count: 1 })).toBe('1 download left');
    expect(translate(i18n, 'en', 'library.downloadsLeft', { count: 8 })).toBe('8 downloads left');
    expect(translate(i18n, 'id', 'library.downloadsLeft', { count: 1 })).toBe('Sisa 1 unduhan');
    expect(translate(i18n, 'id', 'library.downloadsLeft', { count: 8 })).toBe('Sisa 8 unduhan');
  });

  it('translates nested refusal codes', () => {
    expect(translate(i18n, 'en', 'library.refusals.access_expired')).toBe(
      'Your access to this product has expired.'
    );
    expect(translate(i18n, 'id', 'library.refusals.download_limit_reached')).toBe(
      'Anda sudah memakai semua jatah unduhan produk ini.'
    );
  });
});

describe('pickLocale', () => {
  it.each([
    { stored: 'id', browser: ['en-US'], expected: 'id' },
    { stored: 'en', browser: ['id-ID'], expected: 'en' },
    { stored: null, browser: ['id-ID', 'en-US'], expected: 'id' },
    { stored: null, browser: ['fr-FR', 'en-GB'], expected: 'en' },
    { stored: 'de', browser: ['fr-FR'], expected: 'en' },
    { stored: null, browser: [], expected: 'en' }
  ])(
    'picks $expected from stored $stored and browser $browser',
    ({ stored, browser, expected }) => {
      expect(pickLocale(stored, browser)).toBe(expected);
    }
  );
});

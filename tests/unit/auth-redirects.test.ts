import { describe, expect, it } from 'vitest';
import { globToRegExp, isRedirectAllowed, resolveRedirect } from '../../stack/auth/redirects.ts';

const settings = {
  siteUrl: 'http://127.0.0.1:5173',
  additionalRedirectUrls: ['https://*.brankas.example/**', 'myapp://auth/{callback,done}']
};

describe('globToRegExp', () => {
  it.each([
    ['http://127.0.0.1:5173/**', 'http://127.0.0.1:5173/library/item', true],
    ['http://127.0.0.1:5173/**', 'http://127.0.0.1:5173', false],
    ['http://127.0.0.1:5173/*', 'http://127.0.0.1:5173/library', true],
    ['http://127.0.0.1:5173/*', 'http://127.0.0.1:5173/library/item', false],
    ['https://*.example.com', 'https://shop.example.com', true],
    ['https://*.example.com', 'https://a.b.example.com', false],
    ['https://**.example.com', 'https://a.b.example.com', true],
    ['https://example.com/?', 'https://example.com/a', true],
    ['https://example.com/[ab]', 'https://example.com/c', false],
    ['https://example.com/[!ab]', 'https://example.com/c', true],
    ['app://{login,logout}', 'app://logout', true],
    ['https://example.com', 'https://exampleXcom', false]
  ])('%s against %s is %s', (pattern, url, expected) => {
    expect(globToRegExp(pattern).test(url)).toBe(expected);
  });
});

describe('isRedirectAllowed', () => {
  it.each([
    ['http://127.0.0.1:5173/library', true],
    ['http://127.0.0.1:4173/library', true],
    ['https://127.0.0.1:5173/library', false],
    ['http://localhost:5173/library', false],
    ['https://shop.brankas.example/account', true],
    ['https://brankas.example.attacker.test/', false],
    ['myapp://auth/callback', true],
    ['javascript:alert(1)', false],
    ['not a url', false]
  ])('%s is %s', (url, expected) => {
    expect(isRedirectAllowed(url, settings)).toBe(expected);
  });

  it('requires the same port on a host that is not loopback', () => {
    const site = { siteUrl: 'https://brankas.example:8443', additionalRedirectUrls: [] };

    expect(isRedirectAllowed('https://brankas.example:8443/a', site)).toBe(true);
    expect(isRedirectAllowed('https://brankas.example/a', site)).toBe(false);
  });
});

describe('resolveRedirect', () => {
  it('keeps an allowed redirect_to', () => {
    expect(resolveRedirect(settings, 'http://127.0.0.1:5173/library', null)).toBe(
      'http://127.0.0.1:5173/library'
    );
  });

  it('falls back to an allowed Referer', () => {
    expect(resolveRedirect(settings, 'https://attacker.test/', 'myapp://auth/done')).toBe(
      'myapp://auth/done'
    );
  });

  it('falls back to the site URL', () => {
    expect(resolveRedirect(settings, 'https://attacker.test/', 'https://attacker.test/')).toBe(
      'http://127.0.0.1:5173'
    );
  });
});

/**
 * Crafted `next` values of the sign-in page. A signed-in buyer who opens `/signin?next=…` is
 * redirected there by the page's load function, which SvelteKit follows with a full page load
 * when the URL leaves the site. These values start with one slash but a URL parser reads them
 * as another host, so each must fall back to the library.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_AFTER_SIGN_IN, safeNextPath } from '../../src/lib/auth/redirect.ts';

const SITE = 'http://127.0.0.1:5173';

describe('sign-in next path', () => {
  it.each([
    ['tab', '/\t/evil.test/phish'],
    ['line feed', '/\n/evil.test/phish'],
    ['carriage return and line feed', '/\r\n/evil.test/phish'],
    ['backslash after the slash', '/\\evil.test/phish'],
    ['tab before a backslash', '/\t\\evil.test']
  ])('rejects a path with a %s', (_label, value) => {
    expect(new URL(value, SITE).origin).not.toBe(SITE);

    expect(safeNextPath(value)).toBe(DEFAULT_AFTER_SIGN_IN);
  });

  it.each([
    [
      '/orders/5e0c9a9e-2f43-4d1e-9d3c-5a1f1b2c3d4e',
      '/orders/5e0c9a9e-2f43-4d1e-9d3c-5a1f1b2c3d4e'
    ],
    ['/library?tab=history', '/library?tab=history'],
    ['/products/gnu-grep-manual#files', '/products/gnu-grep-manual#files'],
    ['/admin/orders?q=%2F%2Fevil.test', '/admin/orders?q=%2F%2Fevil.test']
  ])('keeps the site path %s', (value, expected) => {
    expect(safeNextPath(value)).toBe(expected);
  });
});

import { describe, expect, it } from 'vitest';
import { safeNextPath, signInUrl } from '../../src/lib/auth/redirect';

describe('safeNextPath', () => {
  it.each([
    ['/orders/123?x=1', '/orders/123?x=1'],
    ['/admin', '/admin'],
    [null, '/library'],
    ['', '/library'],
    ['https://evil.test/', '/library'],
    ['//evil.test/path', '/library'],
    ['/\\evil.test', '/library'],
    ['javascript:alert(1)', '/library'],
    ['/signin?next=/admin', '/library'],
    ['/auth/callback', '/library']
  ])('turns %s into %s', (value, expected) => {
    expect(safeNextPath(value)).toBe(expected);
  });
});

describe('signInUrl', () => {
  it('returns to the page with its query', () => {
    expect(signInUrl(new URL('http://127.0.0.1:4173/orders/abc?tab=2'))).toBe(
      '/signin?next=%2Forders%2Fabc%3Ftab%3D2'
    );
  });
});

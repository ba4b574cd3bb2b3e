/** The page the app opens after sign-in when no other page was requested. */
export const DEFAULT_AFTER_SIGN_IN = '/library';

/** Stands in for this site's origin when checking where a path leads. */
const PLACEHOLDER_ORIGIN = 'http://brankas.invalid';

// URL parsers drop tabs and newlines and read `\` as `/`, so "/\t/evil.test" and "/\\evil.test"
// lead to another host although they start with a single slash.
const CONTROL_OR_BACKSLASH = /[\u0000-\u001f\u007f\\]/;

/**
 * Returns `value` when it is a path on this site (`/orders/1?x=y`), else the library. It
 * rejects absolute and protocol-relative URLs (`//evil.test`), and paths that a URL parser
 * turns into one, so a crafted sign-in link cannot send the buyer to another site.
 */
export function safeNextPath(value: string | null | undefined): string {
  if (!value || !value.startsWith('/') || value.startsWith('//')) return DEFAULT_AFTER_SIGN_IN;
  if (CONTROL_OR_BACKSLASH.test(value)) return DEFAULT_AFTER_SIGN_IN;
  if (new URL(value, PLACEHOLDER_ORIGIN).origin !== PLACEHOLDER_ORIGIN) {
    return DEFAULT_AFTER_SIGN_IN;
  }
  if (value.startsWith('/signin') || value.startsWith('/auth/')) return DEFAULT_AFTER_SIGN_IN;
  return value;
}

/** Builds the sign-in URL that returns to `url` afterwards. */
export function signInUrl(url: URL): string {
  const next = `${url.pathname}${url.search}`;
  return `/signin?next=${encodeURIComponent(next)}`;
}

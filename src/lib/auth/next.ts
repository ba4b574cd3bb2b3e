import { safeNextPath } from './redirect';

const NEXT_PATH_KEY = 'brankas.next';

/**
 * Remembers where to go after an email link signs the buyer in. It is kept in localStorage
 * because the link often opens in a new tab, and the callback URL itself must stay exactly
 * as the Auth redirect allow-list has it.
 */
export function rememberNextPath(path: string): void {
  try {
    localStorage.setItem(NEXT_PATH_KEY, safeNextPath(path));
  } catch {
    // Without storage the callback falls back to the library.
  }
}

/** Returns the remembered path once and clears it, or the library when none was stored. */
export function takeNextPath(): string {
  try {
    const stored = localStorage.getItem(NEXT_PATH_KEY);
    localStorage.removeItem(NEXT_PATH_KEY);
    return safeNextPath(stored);
  } catch {
    return safeNextPath(null);
  }
}

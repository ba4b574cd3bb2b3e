import { toasts } from './state/toasts.svelte';

/** Prefix of every line the app writes to the browser console. */
export const LOG_PREFIX = '[brankas]';

/** Returns whether `error` is a cancelled request (navigating away, a timeout we set), not a failure. */
export function isAbortError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;

  const { name, code } = error as { name?: unknown; code?: unknown };
  return name === 'AbortError' || code === 'ABORT_ERR' || code === 20;
}

/** Logs a failure the page already shows in its own words; aborted requests are skipped. */
export function logError(error: unknown, context: string): void {
  if (isAbortError(error)) return;

  console.error(LOG_PREFIX, context, error);
}

/**
 * The app's one handler for failures the user should hear about: ignores aborted requests,
 * logs the error with LOG_PREFIX and shows `friendlyMessage` as a toast.
 */
export function handleError(error: unknown, friendlyMessage: string): void {
  if (isAbortError(error)) return;

  logError(error, friendlyMessage);
  toasts.show('error', friendlyMessage);
}

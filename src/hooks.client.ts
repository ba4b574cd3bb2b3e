import type { HandleClientError } from '@sveltejs/kit';
import { LOG_PREFIX } from '$lib/errors';

/** Logs unexpected errors thrown while loading or rendering a page, with the app's prefix. */
export const handleError: HandleClientError = ({ error, status, message }) => {
  if (status !== 404) console.error(LOG_PREFIX, `Unexpected error (${status}): ${message}`, error);

  return { message: error instanceof Error ? error.message : message, code: 'unexpected' };
};

import { env } from '$env/dynamic/public';
import { parsePublicConfig } from '$lib/config';
import type { LayoutLoad } from './$types';

// A single-page app: the Node server only serves the shell, and every page talks to
// Supabase from the browser.
export const ssr = false;
export const prerender = false;

export const load: LayoutLoad = () => {
  const result = parsePublicConfig(env);
  return { configProblems: result.ok ? [] : result.problems };
};

import { redirect } from '@sveltejs/kit';
import { safeNextPath } from '$lib/auth/redirect';
import { getSupabase } from '$lib/services/supabase';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ url }) => {
  const next = safeNextPath(url.searchParams.get('next'));
  const { data } = await getSupabase().auth.getSession();
  if (data.session) redirect(307, next);

  return { next };
};

import { error } from '@sveltejs/kit';
import type { Ownership } from '$lib/access';
import { getOwnership, getProduct } from '$lib/services/catalog';
import { getSupabase } from '$lib/services/supabase';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ params }) => {
  const { data: product, error: failure } = await getProduct(params.slug);
  if (failure) error(failure.status ?? 500, { message: failure.message, code: failure.code });

  const { data: auth } = await getSupabase().auth.getSession();
  let ownership: Ownership = { kind: 'none' };
  if (auth.session) {
    const owned = await getOwnership(product.id);
    ownership = owned.data ?? ownership;
  }

  return { product, isSignedIn: auth.session !== null, ownership };
};

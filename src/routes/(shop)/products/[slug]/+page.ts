import { error } from '@sveltejs/kit';
import { getProduct, ownsProduct } from '$lib/services/catalog';
import { getSupabase } from '$lib/services/supabase';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ params }) => {
  const { data: product, error: failure } = await getProduct(params.slug);
  if (failure) error(failure.status ?? 500, { message: failure.message, code: failure.code });

  const { data: auth } = await getSupabase().auth.getSession();
  let isOwned = false;
  if (auth.session) {
    const owned = await ownsProduct(product.id);
    isOwned = owned.data ?? false;
  }

  return { product, isSignedIn: auth.session !== null, isOwned };
};

import { error } from '@sveltejs/kit';
import { listProducts } from '$lib/services/catalog';
import type { PageLoad } from './$types';

export const load: PageLoad = async () => {
  const { data, error: failure } = await listProducts();
  if (failure) error(failure.status ?? 500, { message: failure.message, code: failure.code });

  return { products: data };
};

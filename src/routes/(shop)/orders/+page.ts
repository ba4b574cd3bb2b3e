import { error } from '@sveltejs/kit';
import { requireUser } from '$lib/auth/guard';
import { listOrders } from '$lib/services/orders';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ url }) => {
  await requireUser(url);

  const { data, error: failure } = await listOrders();
  if (failure) error(failure.status ?? 500, { message: failure.message, code: failure.code });

  return { orders: data };
};

import { error } from '@sveltejs/kit';
import { requireUser } from '$lib/auth/guard';
import { idSchema } from '$lib/schemas';
import { getOrder } from '$lib/services/orders';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ url, params }) => {
  const user = await requireUser(url);
  if (!idSchema.safeParse(params.id).success) {
    error(404, { message: `"${params.id}" is not an order id.`, code: 'order_not_found' });
  }

  const { data, error: failure } = await getOrder(params.id);
  if (failure) error(failure.status ?? 500, { message: failure.message, code: failure.code });

  return { order: data, userId: user.id };
};

import { error } from '@sveltejs/kit';
import { requireAdmin } from '$lib/auth/guard';
import { listRecentOrders, listReviewQueue, proofUrl } from '$lib/services/admin';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ url, depends }) => {
  await requireAdmin(url);
  depends('app:admin');

  const [queue, orders] = await Promise.all([listReviewQueue(), listRecentOrders()]);
  if (queue.error)
    error(queue.error.status ?? 500, { message: queue.error.message, code: queue.error.code });
  if (orders.error)
    error(orders.error.status ?? 500, { message: orders.error.message, code: orders.error.code });

  const reviews = await Promise.all(
    queue.data.map(async (item) => {
      const link = item.proof_path ? await proofUrl(item.proof_path) : null;
      return { ...item, proofUrl: link?.data ?? null };
    })
  );
  return { reviews, orders: orders.data };
};

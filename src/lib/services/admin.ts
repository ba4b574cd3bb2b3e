import { z } from 'zod';
import {
  idSchema,
  manualPaymentSchema,
  orderSchema,
  orderStatusSchema,
  type Order
} from '../schemas';
import { ok, parseRows, readFunctionError, toServiceError, type Result } from './result';
import { getSupabase } from './supabase';

const PROOF_BUCKET = 'payment-proofs';
const PROOF_LINK_SECONDS = 300;

const reviewItemSchema = manualPaymentSchema.extend({
  order: z.object({
    id: idSchema,
    user_id: idSchema,
    reference: z.string().nullable(),
    total_amount: z.number().int(),
    currency: z.string(),
    status: orderStatusSchema,
    created_at: z.string()
  })
});
export type ReviewItem = z.infer<typeof reviewItemSchema>;

/** Lists bank transfers whose proof was sent and not yet reviewed, oldest first. */
export async function listReviewQueue(): Promise<Result<ReviewItem[]>> {
  const { data, error } = await getSupabase()
    .from('manual_payments')
    .select(
      `order_id, proof_path, submitted_at, reviewed_at, decision, reject_reason,
      order:orders!inner(id, user_id, reference, total_amount, currency, status, created_at)`
    )
    .not('proof_path', 'is', null)
    .is('reviewed_at', null)
    .order('submitted_at', { ascending: true });
  if (error) return { data: null, error: toServiceError(error, 'review_queue_failed') };

  return parseRows(z.array(reviewItemSchema), data, 'payments awaiting review');
}

/** Returns a signed URL, valid for five minutes, to a proof in the `payment-proofs` bucket. */
export async function proofUrl(proofPath: string): Promise<Result<string>> {
  const { data, error } = await getSupabase()
    .storage.from(PROOF_BUCKET)
    .createSignedUrl(proofPath, PROOF_LINK_SECONDS);
  if (error) return { data: null, error: toServiceError(error, 'proof_unavailable') };

  return ok(data.signedUrl);
}

/** Approves a bank transfer: the manual-payment function marks the order paid and grants it. */
export async function approvePayment(orderId: string): Promise<Result<null>> {
  const { error } = await getSupabase().functions.invoke('manual-payment/approve', {
    body: { order_id: orderId }
  });
  if (error) return { data: null, error: await readFunctionError(error) };

  return ok(null);
}

/** Rejects a bank transfer with a reason, which the order page shows to the buyer. */
export async function rejectPayment(orderId: string, reason: string): Promise<Result<null>> {
  const { error } = await getSupabase().functions.invoke('manual-payment/reject', {
    body: { order_id: orderId, reason }
  });
  if (error) return { data: null, error: await readFunctionError(error) };

  return ok(null);
}

/** Lists the most recent orders of every buyer (RLS lets only admins see them all). */
export async function listRecentOrders(limit = 20): Promise<Result<Order[]>> {
  const { data, error } = await getSupabase()
    .from('orders')
    .select(
      `id, user_id, status, provider, currency, total_amount, reference, created_at, paid_at,
      order_items(id, product_id, title, unit_amount, currency, status)`
    )
    .order('created_at', { ascending: false })
    .limit(limit);
  if (error) return { data: null, error: toServiceError(error, 'orders_failed') };

  return parseRows(z.array(orderSchema), data, 'orders');
}

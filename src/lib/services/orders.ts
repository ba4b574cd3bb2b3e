import { z } from 'zod';
import {
  checkoutResponseSchema,
  orderSchema,
  type CheckoutResponse,
  type Order,
  type Provider
} from '../schemas';
import { proofObjectPath } from '../orders';
import { fail, ok, parseRows, readFunctionError, toServiceError, type Result } from './result';
import { getSupabase } from './supabase';

const PROOF_BUCKET = 'payment-proofs';

const ORDER_COLUMNS = `id, user_id, status, provider, currency, total_amount, reference,
  created_at, paid_at,
  order_items(id, product_id, title, unit_amount, currency, status),
  manual_payments(order_id, proof_path, submitted_at, reviewed_at, decision, reject_reason)`;

/** Starts checkout for one product with the chosen provider. */
export async function startCheckout(
  productId: string,
  provider: Provider
): Promise<Result<CheckoutResponse>> {
  const { data, error } = await getSupabase().functions.invoke('checkout', {
    body: { items: [{ product_id: productId }], provider }
  });
  if (error) return { data: null, error: await readFunctionError(error) };

  return parseRows(checkoutResponseSchema, data, 'checkout response');
}

/** Lists the signed-in buyer's orders, newest first (RLS limits them to the buyer's own). */
export async function listOrders(): Promise<Result<Order[]>> {
  const { data, error } = await getSupabase()
    .from('orders')
    .select(ORDER_COLUMNS)
    .order('created_at', { ascending: false });
  if (error) return { data: null, error: toServiceError(error, 'orders_failed') };

  return parseRows(z.array(orderSchema), data, 'orders');
}

/** Returns one order with its items and bank-transfer review, or `order_not_found`. */
export async function getOrder(orderId: string): Promise<Result<Order>> {
  const { data, error } = await getSupabase()
    .from('orders')
    .select(ORDER_COLUMNS)
    .eq('id', orderId)
    .maybeSingle();
  if (error) return { data: null, error: toServiceError(error, 'orders_failed') };
  if (!data) return fail('order_not_found', `No order with id ${orderId} is visible to you.`, 404);

  return parseRows(orderSchema, data, 'order');
}

/**
 * Uploads a proof of bank transfer to `payment-proofs/<user>/<order>/<file>`, then submits its
 * path to the manual-payment function, which puts the order up for review.
 */
export async function submitProof(
  userId: string,
  orderId: string,
  file: File
): Promise<Result<null>> {
  const supabase = getSupabase();
  const path = proofObjectPath(userId, orderId, file.name);

  const upload = await supabase.storage.from(PROOF_BUCKET).upload(path, file, {
    upsert: true,
    contentType: file.type || 'application/octet-stream'
  });
  if (upload.error)
    return { data: null, error: toServiceError(upload.error, 'proof_upload_failed') };

  const { error } = await supabase.functions.invoke('manual-payment/proof', {
    body: { order_id: orderId, proof_path: path }
  });
  if (error) return { data: null, error: await readFunctionError(error) };

  return ok(null);
}

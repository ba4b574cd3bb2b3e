import { z } from 'zod';
import {
  checkoutResponseSchema,
  orderSchema,
  type CheckoutResponse,
  type Order,
  type Provider
} from '../schemas';
import { checkProofFile, PROOF_MAX_BYTES, PROOF_MIME_TYPES, proofObjectPath } from '../orders';
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
  const problem = checkProofFile(file);
  if (problem) {
    return fail(
      problem,
      `Proof "${file.name}" (${file.type || 'unknown type'}, ${file.size} bytes) is not accepted: ` +
        `send one of ${PROOF_MIME_TYPES.join(', ')} of at most ${PROOF_MAX_BYTES} bytes.`
    );
  }

  const supabase = getSupabase();
  const path = proofObjectPath(userId, orderId, file.name);

  const upload = await supabase.storage.from(PROOF_BUCKET).upload(path, file, {
    upsert: true,
    contentType: file.type || 'application/octet-stream'
  });
  if (upload.error) {
    const failure = toServiceError(upload.error, 'proof_upload_failed');
    // Storage returns 415 for a type outside the bucket's allowed_mime_types and 413 over its limit.
    if (failure.status === 415) failure.code = 'proof_invalid_type';
    if (failure.status === 413) failure.code = 'proof_too_large';
    return { data: null, error: failure };
  }

  const { error } = await supabase.functions.invoke('manual-payment/proof', {
    body: { order_id: orderId, proof_path: path }
  });
  if (error) return { data: null, error: await readFunctionError(error) };

  return ok(null);
}

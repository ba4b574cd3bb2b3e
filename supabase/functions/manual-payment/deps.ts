/** The manual-payment handler's dependencies backed by Supabase Auth and the database. */
import { z } from 'zod';
import type { SupabaseClient } from '@supabase/supabase-js';
import { callerFromToken } from '../_shared/payments/caller.ts';
import { orderErrorFrom } from '../_shared/payments/errors.ts';
import type { ManualPaymentDeps } from './handler.ts';

const submittedProofSchema = z.object({
  order_id: z.uuid(),
  proof_path: z.string(),
  submitted_at: z.string(),
});

const reviewResultSchema = z.object({
  order_id: z.uuid(),
  decision: z.enum(['approved', 'rejected']),
  outcome: z.string(),
  order_status: z.string(),
});

export function createSupabaseManualPaymentDeps(
  anonClient: SupabaseClient,
  serviceClient: SupabaseClient,
): ManualPaymentDeps {
  async function call(name: string, args: Record<string, unknown>, subject: string) {
    const { data, error } = await serviceClient.rpc(name, args);
    if (error) {
      const rejection = orderErrorFrom(error);
      if (rejection) throw rejection;
      throw new Error(`${name} failed for ${subject}: ${error.message}`, { cause: error });
    }
    return data as unknown;
  }

  return {
    getCaller: (token) => callerFromToken(anonClient, token),

    async submitProof(userId, orderId, proofPath) {
      const data = await call(
        'submit_payment_proof',
        { p_user_id: userId, p_order_id: orderId, p_proof_path: proofPath },
        `order ${orderId}`,
      );
      return submittedProofSchema.parse(data);
    },

    async review(adminId, orderId, decision, reason) {
      const data = await call(
        'review_manual_payment',
        { p_admin_id: adminId, p_order_id: orderId, p_decision: decision, p_reason: reason },
        `order ${orderId}`,
      );
      return reviewResultSchema.parse(data);
    },

    logError: (message, error) => console.error(message, error),
  };
}

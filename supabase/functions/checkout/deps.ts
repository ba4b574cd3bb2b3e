/** The checkout handler's dependencies backed by Supabase Auth, the database and the gateways. */
import { z } from 'zod';
import type { SupabaseClient } from '@supabase/supabase-js';
import { callerFromToken } from '../_shared/payments/caller.ts';
import { orderErrorFrom } from '../_shared/payments/errors.ts';
import type { CheckoutDeps, CreatedOrder } from './handler.ts';
import { createSnapTransaction, createStripeCheckout } from './providers.ts';

const orderSummarySchema = z.object({
  id: z.uuid(),
  reference: z.string(),
  status: z.string(),
  currency: z.string(),
  total_amount: z.number().int().positive(),
  items: z.array(
    z.object({
      id: z.uuid(),
      product_id: z.uuid(),
      title: z.string(),
      unit_amount: z.number().int().positive(),
    }),
  ),
});

export interface SupabaseCheckoutOptions {
  anonClient: SupabaseClient;
  serviceClient: SupabaseClient;
  env?: (name: string) => string | undefined;
}

export function createSupabaseCheckoutDeps(options: SupabaseCheckoutOptions): CheckoutDeps {
  const { anonClient, serviceClient } = options;

  return {
    getCaller: (token) => callerFromToken(anonClient, token),

    async createOrder(userId, provider, productIds): Promise<CreatedOrder> {
      const { data, error } = await serviceClient.rpc('create_order', {
        p_user_id: userId,
        p_provider: provider,
        p_product_ids: productIds,
      });
      if (error) {
        const rejection = orderErrorFrom(error);
        if (rejection) throw rejection;
        throw new Error(`create_order failed for user ${userId}: ${error.message}`, {
          cause: error,
        });
      }
      return orderSummarySchema.parse(data);
    },

    async attachSession(orderId, sessionId) {
      const { error } = await serviceClient.rpc('attach_checkout_session', {
        p_order_id: orderId,
        p_session_id: sessionId,
      });
      if (error) {
        throw new Error(`attach_checkout_session failed for order ${orderId}: ${error.message}`, {
          cause: error,
        });
      }
    },

    async failCheckout(orderId, reason) {
      const { error } = await serviceClient.rpc('fail_checkout', {
        p_order_id: orderId,
        p_reason: reason,
      });
      if (error) {
        throw new Error(`fail_checkout failed for order ${orderId}: ${error.message}`, {
          cause: error,
        });
      }
    },

    openStripeCheckout: createStripeCheckout,
    openSnapTransaction: createSnapTransaction,

    env: options.env ?? ((name) => Deno.env.get(name)),

    logError: (message, error) => console.error(message, error),
  };
}

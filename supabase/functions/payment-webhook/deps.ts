/** The webhook handler's dependencies backed by the database. */
import { z } from 'zod';
import type { SupabaseClient } from '@supabase/supabase-js';
import type { NormalizedEvent } from '../_shared/payments/events.ts';
import type { RecordedEvent, WebhookDeps } from './handler.ts';

const recordedEventSchema = z.object({
  event_id: z.string(),
  duplicate: z.boolean(),
  outcome: z.string(),
  order_id: z.uuid().nullable(),
  order_status: z.string().nullable(),
});

export function createSupabaseWebhookDeps(
  serviceClient: SupabaseClient,
  env: (name: string) => string | undefined = (name) => Deno.env.get(name),
): WebhookDeps {
  return {
    env,

    async recordEvent(event: NormalizedEvent, payload: unknown): Promise<RecordedEvent> {
      const { data, error } = await serviceClient.rpc('record_payment_event', {
        p_provider: event.provider,
        p_event_id: event.eventId,
        p_event_type: event.eventType,
        p_action: event.action,
        p_payload: payload,
        p_order_id: event.orderId,
        p_payment_ref: event.paymentRef,
        p_object_ref: event.objectRef,
        p_amount: event.amount,
        p_currency: event.currency,
        p_item_id: event.itemId,
      });
      if (error) {
        throw new Error(
          `record_payment_event failed for ${event.provider} event ${event.eventId}: ${error.message}`,
          { cause: error },
        );
      }
      return recordedEventSchema.parse(data);
    },

    logError: (message, error) => console.error(message, ...(error === undefined ? [] : [error])),
    logWarning: (message) => console.warn(message),
  };
}

/**
 * Payment notifications, each verified and stored once.
 *   POST /functions/v1/payment-webhook/stripe    Stripe events, `Stripe-Signature` header
 *   POST /functions/v1/payment-webhook/midtrans  Midtrans HTTP notifications, `signature_key`
 * Returns 200 `{"received": true, "event_id", "duplicate", "outcome"}` once the event is stored
 * (repeats and unhandled types included), 400 for a missing, wrong or stale signature with
 * nothing stored, and 500 when the database fails, so the provider delivers again later.
 */
import { z } from 'zod';
import { errorResponse, jsonResponse, readBodyBytes } from '../_shared/http.ts';
import {
  EventShapeError,
  midtransNotificationSchema,
  type NormalizedEvent,
  normalizeMidtransNotification,
  normalizeStripeEvent,
} from '../_shared/payments/events.ts';
import { verifyMidtransSignature, verifyStripeEvent } from '../_shared/payments/signatures.ts';
import { Stripe } from '../_shared/payments/stripe_sdk.ts';

/** Provider events are a few kilobytes; anything this large is not one. */
export const MAX_BODY_BYTES = 512 * 1024;

export interface RecordedEvent {
  event_id: string;
  duplicate: boolean;
  outcome: string;
  order_id: string | null;
  order_status: string | null;
}

export interface WebhookDeps {
  /** Reads one environment variable; an empty value counts as unset. */
  env(name: string): string | undefined;
  /** Calls public.record_payment_event, which stores and applies the event atomically. */
  recordEvent(event: NormalizedEvent, payload: unknown): Promise<RecordedEvent>;
  logError(message: string, error?: unknown): void;
  logWarning(message: string): void;
}

class BodyTooLargeError extends Error {}

async function readRawBody(request: Request): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) throw new BodyTooLargeError();

  const bytes = await readBodyBytes(request, MAX_BODY_BYTES);
  if (bytes === null) throw new BodyTooLargeError();
  return new TextDecoder().decode(bytes);
}

function notConfigured(provider: string, variable: string): Response {
  return errorResponse(
    500,
    'provider_not_configured',
    `${provider} notifications cannot be verified because ${variable} is not set in the ` +
      'functions environment.',
  );
}

function receivedResponse(recorded: RecordedEvent): Response {
  return jsonResponse(200, {
    received: true,
    event_id: recorded.event_id,
    duplicate: recorded.duplicate,
    outcome: recorded.outcome,
  });
}

export function createWebhookHandler(deps: WebhookDeps): (request: Request) => Promise<Response> {
  async function store(event: NormalizedEvent, payload: unknown): Promise<Response> {
    const recorded = await deps.recordEvent(event, payload);
    if (recorded.outcome === 'amount_mismatch') {
      deps.logWarning(
        `${event.provider} event ${event.eventId} reported ${event.amount} ${event.currency}, ` +
          `which does not match order ${recorded.order_id}; the order needs review.`,
      );
    }
    return receivedResponse(recorded);
  }

  async function handleStripe(request: Request): Promise<Response> {
    const secret = deps.env('STRIPE_WEBHOOK_SECRET')?.trim();
    if (!secret) {
      deps.logError('STRIPE_WEBHOOK_SECRET is not set, so a Stripe event was rejected.');
      return notConfigured('Stripe', 'STRIPE_WEBHOOK_SECRET');
    }

    const signature = request.headers.get('stripe-signature');
    if (!signature) {
      return errorResponse(400, 'missing_signature', 'The Stripe-Signature header is missing.');
    }
    const body = await readRawBody(request);

    let event;
    try {
      event = await verifyStripeEvent(body, signature, secret);
    } catch (error) {
      if (!(error instanceof Stripe.errors.StripeSignatureVerificationError)) throw error;
      // The SDK's message can quote the end of the secret, so only the kind of failure is used.
      if (error.message === 'Timestamp outside the tolerance zone') {
        deps.logWarning('Rejected a Stripe event whose signature timestamp is older than 300 s.');
        return errorResponse(
          400,
          'stale_signature',
          'The Stripe-Signature timestamp is more than 300 seconds old: the event was not stored.',
        );
      }
      deps.logWarning(
        'Rejected a Stripe event whose signature does not match: check STRIPE_WEBHOOK_SECRET.',
      );
      return errorResponse(
        400,
        'invalid_signature',
        "The Stripe-Signature header does not match the request body for this endpoint's " +
          'secret: the event was not stored.',
      );
    }

    let normalized: NormalizedEvent;
    try {
      normalized = normalizeStripeEvent(event);
    } catch (error) {
      if (!(error instanceof EventShapeError)) throw error;
      deps.logError(`Stripe event ${(event as { id?: string }).id} was not stored.`, error);
      return errorResponse(422, 'invalid_event', error.message);
    }
    return await store(normalized, event);
  }

  async function handleMidtrans(request: Request): Promise<Response> {
    const serverKey = deps.env('MIDTRANS_SERVER_KEY')?.trim();
    if (!serverKey) {
      deps.logError('MIDTRANS_SERVER_KEY is not set, so a Midtrans notification was rejected.');
      return notConfigured('Midtrans', 'MIDTRANS_SERVER_KEY');
    }

    const body = await readRawBody(request);
    let payload: unknown;
    try {
      payload = JSON.parse(body);
    } catch {
      return errorResponse(400, 'invalid_json', 'The notification body is not valid JSON.');
    }

    const parsed = midtransNotificationSchema.safeParse(payload);
    if (!parsed.success) {
      return errorResponse(
        400,
        'invalid_notification',
        `The Midtrans notification is missing fields: ${z.prettifyError(parsed.error)}`,
      );
    }
    if (!(await verifyMidtransSignature(parsed.data, serverKey))) {
      deps.logWarning(
        `Rejected a Midtrans notification for order_id ${parsed.data.order_id} whose ` +
          'signature_key does not match: check MIDTRANS_SERVER_KEY.',
      );
      return errorResponse(
        400,
        'invalid_signature',
        'The signature_key does not match order_id, status_code and gross_amount for this ' +
          'server key: the notification was not stored.',
      );
    }
    const normalized = normalizeMidtransNotification(parsed.data);
    // The signature covers order_id, status_code and gross_amount but not transaction_status or
    // fraud_status, so a payment counts only with the status_code Midtrans sends for one. A
    // pending (201) notification's signature cannot then be reused to claim a settlement.
    if (normalized.action === 'payment_succeeded' && parsed.data.status_code !== '200') {
      return errorResponse(
        400,
        'invalid_notification',
        `A Midtrans "${parsed.data.transaction_status}" notification must have status_code ` +
          `200, not ${parsed.data.status_code}: the notification was not stored.`,
      );
    }
    return await store(normalized, payload);
  }

  async function handle(request: Request): Promise<Response> {
    const route = /\/payment-webhook\/(stripe|midtrans)\/?$/.exec(new URL(request.url).pathname);
    if (!route) {
      return errorResponse(
        404,
        'not_found',
        'No such webhook: post Stripe events to /payment-webhook/stripe and Midtrans ' +
          'notifications to /payment-webhook/midtrans.',
      );
    }
    if (request.method !== 'POST') {
      return errorResponse(
        405,
        'method_not_allowed',
        `Use POST for webhooks, not ${request.method}.`,
        {
          allow: 'POST',
        },
      );
    }
    return route[1] === 'stripe' ? await handleStripe(request) : await handleMidtrans(request);
  }

  return async (request) => {
    try {
      return await handle(request);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        return errorResponse(
          413,
          'payload_too_large',
          `The notification is larger than ${MAX_BODY_BYTES} bytes.`,
        );
      }
      deps.logError(`Payment webhook ${new URL(request.url).pathname} failed.`, error);
      return errorResponse(
        500,
        'internal_error',
        'The event could not be stored: deliver it again later.',
      );
    }
  };
}

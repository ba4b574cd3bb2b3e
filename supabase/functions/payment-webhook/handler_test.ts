/**
 * Unit tests of the payment-webhook handler with an in-memory event store: which requests are
 * stored, and the status of every response.
 * Run: deno test --config supabase/functions/deno.json
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { NormalizedEvent } from '../_shared/payments/events.ts';
import { Stripe } from '../_shared/payments/stripe_sdk.ts';
import { createWebhookHandler, MAX_BODY_BYTES, type WebhookDeps } from './handler.ts';

const WEBHOOK_SECRET = 'whsec_handler_test';
const SERVER_KEY = 'SB-Mid-server-handler-test';
const ORDER_ID = '7b0c1d5e-8f8e-4b4e-9d53-0d4c1b1f4a11';
const BASE = 'http://127.0.0.1/payment-webhook';

function fakeDeps(overrides: Partial<WebhookDeps> = {}) {
  const stored: NormalizedEvent[] = [];
  const errors: string[] = [];
  const environment: Record<string, string> = {
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    MIDTRANS_SERVER_KEY: SERVER_KEY,
  };
  const deps: WebhookDeps = {
    env: (name) => environment[name],
    recordEvent: (event) => {
      stored.push(event);
      return Promise.resolve({
        event_id: event.eventId,
        duplicate: false,
        outcome: 'granted',
        order_id: ORDER_ID,
        order_status: 'paid',
      });
    },
    logError: (message) => {
      errors.push(message);
    },
    logWarning: () => {},
    ...overrides,
  };
  return { deps, stored, errors, environment };
}

const stripePayload = JSON.stringify({
  id: 'evt_handler',
  object: 'event',
  type: 'checkout.session.completed',
  data: {
    object: {
      id: 'cs_test_1',
      object: 'checkout.session',
      amount_total: 1500,
      currency: 'usd',
      client_reference_id: ORDER_ID,
      metadata: { order_id: ORDER_ID },
      payment_status: 'paid',
      payment_intent: 'pi_1',
    },
  },
});

async function stripeRequest(
  options: { secret?: string; timestamp?: number; body?: string; signature?: string | null } = {},
) {
  const body = options.body ?? stripePayload;
  const signature = options.signature !== undefined
    ? options.signature
    : await Stripe.webhooks.generateTestHeaderStringAsync({
      payload: body,
      secret: options.secret ?? WEBHOOK_SECRET,
      timestamp: options.timestamp,
    });
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (signature !== null) headers['stripe-signature'] = signature;
  return new Request(`${BASE}/stripe`, { method: 'POST', headers, body });
}

function midtransRequest(overrides: Record<string, string> = {}, key = SERVER_KEY) {
  const notification = {
    order_id: ORDER_ID,
    status_code: '200',
    gross_amount: '10000.00',
    transaction_status: 'settlement',
    transaction_id: 'tx-1',
    fraud_status: 'accept',
    currency: 'IDR',
    ...overrides,
  };
  const signature = createHash('sha512')
    .update(notification.order_id + notification.status_code + notification.gross_amount + key)
    .digest('hex');
  return new Request(`${BASE}/midtrans`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ signature_key: signature, ...notification }),
  });
}

async function errorCode(response: Response): Promise<string> {
  return (await response.json()).error.code;
}

Deno.test('signed Stripe event is stored and acknowledged', async () => {
  const { deps, stored } = fakeDeps();

  const response = await createWebhookHandler(deps)(await stripeRequest());

  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), {
    received: true,
    event_id: 'evt_handler',
    duplicate: false,
    outcome: 'granted',
  });
  assert.equal(stored.length, 1);
  assert.equal(stored[0].action, 'payment_succeeded');
  assert.equal(stored[0].amount, 1500);
});

Deno.test('Stripe event with a wrong signature is not stored', async () => {
  const { deps, stored } = fakeDeps();

  const response = await createWebhookHandler(deps)(await stripeRequest({ secret: 'whsec_other' }));

  assert.equal(response.status, 400);
  assert.equal(await errorCode(response), 'invalid_signature');
  assert.equal(stored.length, 0);
});

Deno.test('Stripe event with a stale signature is not stored', async () => {
  const { deps, stored } = fakeDeps();
  const stale = Math.floor(Date.now() / 1000) - 3600;

  const response = await createWebhookHandler(deps)(await stripeRequest({ timestamp: stale }));

  assert.equal(response.status, 400);
  assert.equal(await errorCode(response), 'stale_signature');
  assert.equal(stored.length, 0);
});

Deno.test('Stripe event without a signature header is not stored', async () => {
  const { deps, stored } = fakeDeps();

  const response = await createWebhookHandler(deps)(await stripeRequest({ signature: null }));

  assert.equal(response.status, 400);
  assert.equal(await errorCode(response), 'missing_signature');
  assert.equal(stored.length, 0);
});

Deno.test('Stripe error message never quotes the secret', async () => {
  const { deps } = fakeDeps();
  const request = await stripeRequest({ secret: 'whsec_other' });

  const text = await (await createWebhookHandler(deps)(request)).text();

  assert.equal(text.includes(WEBHOOK_SECRET.slice(-4)), false);
});

Deno.test('signed Stripe event of a handled type with a bad shape returns 422', async () => {
  const { deps, stored } = fakeDeps();
  const body = JSON.stringify({
    id: 'evt_bad',
    type: 'charge.refunded',
    data: { object: { id: 'ch_1' } },
  });

  const response = await createWebhookHandler(deps)(await stripeRequest({ body }));

  assert.equal(response.status, 422);
  assert.equal(await errorCode(response), 'invalid_event');
  assert.equal(stored.length, 0);
});

Deno.test('Stripe endpoint without a secret returns 500', async () => {
  const { deps, environment, stored } = fakeDeps();
  delete environment.STRIPE_WEBHOOK_SECRET;

  const response = await createWebhookHandler(deps)(await stripeRequest());

  assert.equal(response.status, 500);
  const body = await response.json();
  assert.equal(body.error.code, 'provider_not_configured');
  assert.match(body.error.message, /STRIPE_WEBHOOK_SECRET/);
  assert.equal(stored.length, 0);
});

Deno.test('database failure returns 500 so the provider retries', async () => {
  const { deps, errors } = fakeDeps({
    recordEvent: () => Promise.reject(new Error('connection refused')),
  });

  const response = await createWebhookHandler(deps)(await stripeRequest());

  assert.equal(response.status, 500);
  assert.equal(await errorCode(response), 'internal_error');
  assert.equal(errors.length, 1);
});

Deno.test('signed Midtrans notification is stored in minor units', async () => {
  const { deps, stored } = fakeDeps();

  const response = await createWebhookHandler(deps)(midtransRequest());

  assert.equal(response.status, 200);
  assert.equal(stored.length, 1);
  assert.equal(stored[0].amount, 1_000_000);
  assert.equal(stored[0].orderId, ORDER_ID);
});

Deno.test('Midtrans notification with a wrong signature is not stored', async () => {
  const { deps, stored } = fakeDeps();

  const response = await createWebhookHandler(deps)(midtransRequest({}, 'SB-Mid-server-other'));

  assert.equal(response.status, 400);
  assert.equal(await errorCode(response), 'invalid_signature');
  assert.equal(stored.length, 0);
});

Deno.test('Midtrans notification that is not JSON returns 400', async () => {
  const { deps } = fakeDeps();
  const request = new Request(`${BASE}/midtrans`, { method: 'POST', body: 'order_id=1' });

  const response = await createWebhookHandler(deps)(request);

  assert.equal(response.status, 400);
  assert.equal(await errorCode(response), 'invalid_json');
});

Deno.test('oversized notification returns 413', async () => {
  const { deps, stored } = fakeDeps();
  const request = new Request(`${BASE}/midtrans`, {
    method: 'POST',
    body: 'x'.repeat(MAX_BODY_BYTES + 1),
  });

  const response = await createWebhookHandler(deps)(request);

  assert.equal(response.status, 413);
  assert.equal(stored.length, 0);
});

Deno.test('GET on a webhook returns 405', async () => {
  const { deps } = fakeDeps();

  const response = await createWebhookHandler(deps)(new Request(`${BASE}/stripe`));

  assert.equal(response.status, 405);
  assert.equal(await errorCode(response), 'method_not_allowed');
});

Deno.test('unknown provider path returns 404', async () => {
  const { deps } = fakeDeps();

  const response = await createWebhookHandler(deps)(
    new Request(`${BASE}/xendit`, { method: 'POST', body: '{}' }),
  );

  assert.equal(response.status, 404);
  assert.equal(await errorCode(response), 'not_found');
});

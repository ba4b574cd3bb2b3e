/**
 * Unit tests of notification signature checks: Stripe's header through the SDK, and the
 * Midtrans signature_key computed independently with node:crypto.
 * Run: deno test --config supabase/functions/deno.json
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Stripe } from './stripe_sdk.ts';
import {
  midtransSignature,
  timingSafeEqual,
  verifyMidtransSignature,
  verifyStripeEvent,
} from './signatures.ts';

const SECRET = 'whsec_unit_test_secret_0123456789';
const PAYLOAD = JSON.stringify({
  id: 'evt_1',
  object: 'event',
  type: 'checkout.session.completed',
});
const SERVER_KEY = 'SB-Mid-server-unit-test';

function header(options: { payload?: string; secret?: string; timestamp?: number } = {}) {
  return Stripe.webhooks.generateTestHeaderStringAsync({
    payload: options.payload ?? PAYLOAD,
    secret: options.secret ?? SECRET,
    timestamp: options.timestamp,
  });
}

async function verificationError(body: string, signature: string): Promise<Error> {
  try {
    await verifyStripeEvent(body, signature, SECRET);
  } catch (error) {
    assert.ok(error instanceof Stripe.errors.StripeSignatureVerificationError);
    return error;
  }
  throw new Error('verification passed');
}

Deno.test('Stripe event with a valid signature is parsed', async () => {
  const event = await verifyStripeEvent(PAYLOAD, await header(), SECRET);

  assert.equal(event.id, 'evt_1');
  assert.equal(event.type, 'checkout.session.completed');
});

Deno.test('Stripe event signed with another secret is rejected', async () => {
  const error = await verificationError(PAYLOAD, await header({ secret: 'whsec_other' }));

  assert.match(error.message, /No signatures found matching the expected signature/);
});

Deno.test('Stripe event with an altered body is rejected', async () => {
  const signature = await header();

  await verificationError(PAYLOAD.replace('evt_1', 'evt_2'), signature);
});

Deno.test('Stripe event with a stale timestamp is rejected', async () => {
  const stale = Math.floor(Date.now() / 1000) - 301;

  const error = await verificationError(PAYLOAD, await header({ timestamp: stale }));

  assert.equal(error.message, 'Timestamp outside the tolerance zone');
});

Deno.test('Stripe signature header without v1 is rejected', async () => {
  const error = await verificationError(PAYLOAD, `t=${Math.floor(Date.now() / 1000)}`);

  assert.equal(error.message, 'No signatures found with expected scheme');
});

Deno.test('Stripe header with a rotated secret passes on either v1', async () => {
  const valid = await header();
  const timestamp = valid.split(',')[0];
  const signature = valid.split(',')[1];

  const event = await verifyStripeEvent(
    PAYLOAD,
    `${timestamp},v1=${'0'.repeat(64)},${signature}`,
    SECRET,
  );

  assert.equal(event.id, 'evt_1');
});

const notification = {
  order_id: '7b0c1d5e-8f8e-4b4e-9d53-0d4c1b1f4a11',
  status_code: '200',
  gross_amount: '145000.00',
};

function nodeSignature(fields: typeof notification, key = SERVER_KEY): string {
  return createHash('sha512')
    .update(fields.order_id + fields.status_code + fields.gross_amount + key)
    .digest('hex');
}

Deno.test('Midtrans signature is SHA-512 of the concatenated fields', async () => {
  assert.equal(
    await midtransSignature(
      notification.order_id,
      notification.status_code,
      notification.gross_amount,
      SERVER_KEY,
    ),
    nodeSignature(notification),
  );
});

Deno.test('Midtrans notification with the right signature passes', async () => {
  const valid = { ...notification, signature_key: nodeSignature(notification) };

  assert.equal(await verifyMidtransSignature(valid, SERVER_KEY), true);
});

Deno.test('Midtrans signature in upper-case hex passes', async () => {
  const valid = { ...notification, signature_key: nodeSignature(notification).toUpperCase() };

  assert.equal(await verifyMidtransSignature(valid, SERVER_KEY), true);
});

const tampered: [string, Partial<typeof notification>][] = [
  ['gross_amount', { gross_amount: '1.00' }],
  ['status_code', { status_code: '201' }],
  ['order_id', { order_id: '7b0c1d5e-8f8e-4b4e-9d53-0d4c1b1f4a12' }],
];

for (const [field, change] of tampered) {
  Deno.test(`Midtrans notification with a changed ${field} fails`, async () => {
    const signed = { ...notification, signature_key: nodeSignature(notification) };

    assert.equal(await verifyMidtransSignature({ ...signed, ...change }, SERVER_KEY), false);
  });
}

Deno.test('Midtrans notification signed with another key fails', async () => {
  const signed = { ...notification, signature_key: nodeSignature(notification, 'SB-Mid-server-x') };

  assert.equal(await verifyMidtransSignature(signed, SERVER_KEY), false);
});

Deno.test('timing-safe comparison matches only equal strings', () => {
  assert.equal(timingSafeEqual('abc', 'abc'), true);
  assert.equal(timingSafeEqual('abc', 'abd'), false);
  assert.equal(timingSafeEqual('abc', 'abcd'), false);
  assert.equal(timingSafeEqual('', ''), true);
});

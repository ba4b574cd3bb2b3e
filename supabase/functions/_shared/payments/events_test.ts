/**
 * Unit tests of how verified provider events are reduced to state-machine actions.
 * Run: deno test --config supabase/functions/deno.json
 */
import assert from 'node:assert/strict';
import {
  EventShapeError,
  type MidtransNotification,
  normalizeMidtransNotification,
  normalizeStripeEvent,
  type PaymentAction,
} from './events.ts';

const ORDER_ID = '7b0c1d5e-8f8e-4b4e-9d53-0d4c1b1f4a11';
const ITEM_ID = '9c2a4e61-0d7b-4f55-8a1e-3b8f0c6d2e77';

function event(type: string, object: Record<string, unknown>) {
  return { id: 'evt_1', object: 'event', type, data: { object } };
}

const session = (overrides: Record<string, unknown> = {}) => ({
  id: 'cs_test_1',
  object: 'checkout.session',
  amount_total: 1500,
  currency: 'usd',
  client_reference_id: ORDER_ID,
  metadata: { order_id: ORDER_ID },
  payment_status: 'paid',
  payment_intent: 'pi_1',
  ...overrides,
});

const charge = (overrides: Record<string, unknown> = {}) => ({
  id: 'ch_1',
  object: 'charge',
  amount: 1500,
  amount_refunded: 1500,
  refunded: true,
  currency: 'usd',
  payment_intent: 'pi_1',
  metadata: {},
  ...overrides,
});

const refund = (overrides: Record<string, unknown> = {}) => ({
  id: 're_1',
  object: 'refund',
  amount: 500,
  currency: 'usd',
  status: 'succeeded',
  payment_intent: 'pi_1',
  metadata: { order_item_id: ITEM_ID },
  ...overrides,
});

const dispute = (status: string) => ({
  id: 'dp_1',
  object: 'dispute',
  amount: 1500,
  currency: 'usd',
  status,
  payment_intent: 'pi_1',
});

const stripeActions: [string, string, Record<string, unknown>, PaymentAction][] = [
  ['paid completion', 'checkout.session.completed', session(), 'payment_succeeded'],
  [
    'free completion',
    'checkout.session.completed',
    session({ payment_status: 'no_payment_required' }),
    'payment_succeeded',
  ],
  [
    'unpaid completion',
    'checkout.session.completed',
    session({ payment_status: 'unpaid' }),
    'payment_pending',
  ],
  ['async success', 'checkout.session.async_payment_succeeded', session(), 'payment_succeeded'],
  ['async failure', 'checkout.session.async_payment_failed', session(), 'payment_failed'],
  ['expiry', 'checkout.session.expired', session({ payment_intent: null }), 'payment_expired'],
  ['full refund', 'charge.refunded', charge(), 'refund_full'],
  [
    'partial refund',
    'charge.refunded',
    charge({ amount_refunded: 500, refunded: false }),
    'refund_partial',
  ],
  ['item refund', 'refund.created', refund(), 'item_refunded'],
  ['refund without item', 'refund.created', refund({ metadata: {} }), 'none'],
  ['pending item refund', 'refund.updated', refund({ status: 'pending' }), 'none'],
  ['opened dispute', 'charge.dispute.created', dispute('needs_response'), 'dispute_opened'],
  ['won dispute', 'charge.dispute.closed', dispute('won'), 'dispute_won'],
  ['lost dispute', 'charge.dispute.closed', dispute('lost'), 'dispute_lost'],
  ['unhandled type', 'customer.created', { id: 'cus_1' }, 'none'],
];

for (const [name, type, object, action] of stripeActions) {
  Deno.test(`Stripe ${name} becomes ${action}`, () => {
    assert.equal(normalizeStripeEvent(event(type, object)).action, action);
  });
}

Deno.test('Stripe session event carries the order, payment and amount', () => {
  assert.deepEqual(normalizeStripeEvent(event('checkout.session.completed', session())), {
    provider: 'stripe',
    eventId: 'evt_1',
    eventType: 'checkout.session.completed',
    action: 'payment_succeeded',
    orderId: ORDER_ID,
    paymentRef: 'pi_1',
    objectRef: 'cs_test_1',
    amount: 1500,
    currency: 'USD',
    itemId: null,
  });
});

Deno.test('Stripe session falls back to client_reference_id', () => {
  const normalized = normalizeStripeEvent(
    event('checkout.session.completed', session({ metadata: {} })),
  );

  assert.equal(normalized.orderId, ORDER_ID);
});

Deno.test('Stripe order id that is not a UUID is dropped', () => {
  const normalized = normalizeStripeEvent(
    event(
      'checkout.session.completed',
      session({ metadata: { order_id: "x' or 1=1" }, client_reference_id: null }),
    ),
  );

  assert.equal(normalized.orderId, null);
});

Deno.test('Stripe refund carries the cumulative refunded amount', () => {
  const normalized = normalizeStripeEvent(
    event('charge.refunded', charge({ amount_refunded: 700, refunded: false })),
  );

  assert.equal(normalized.amount, 700);
  assert.equal(normalized.paymentRef, 'pi_1');
});

Deno.test('Stripe item refund names the item', () => {
  const normalized = normalizeStripeEvent(event('refund.created', refund()));

  assert.equal(normalized.itemId, ITEM_ID);
  assert.equal(normalized.amount, 500);
  assert.equal(normalized.objectRef, 're_1');
});

Deno.test('Stripe expanded payment_intent is reduced to its id', () => {
  const normalized = normalizeStripeEvent(
    event('checkout.session.completed', session({ payment_intent: { id: 'pi_9' } })),
  );

  assert.equal(normalized.paymentRef, 'pi_9');
});

Deno.test('Stripe handled event without amount fields is rejected', () => {
  assert.throws(
    () => normalizeStripeEvent(event('charge.refunded', { id: 'ch_1' })),
    EventShapeError,
  );
});

const notification = (overrides: Partial<MidtransNotification> = {}): MidtransNotification => ({
  order_id: ORDER_ID,
  status_code: '200',
  gross_amount: '145000.00',
  signature_key: 'x',
  transaction_status: 'settlement',
  transaction_id: 'tx-1',
  fraud_status: 'accept',
  currency: 'IDR',
  ...overrides,
});

const midtransActions: [string, string | undefined, PaymentAction][] = [
  ['settlement', 'accept', 'payment_succeeded'],
  ['capture', 'accept', 'payment_succeeded'],
  ['capture', 'challenge', 'payment_review'],
  ['capture', undefined, 'payment_review'],
  ['capture', 'deny', 'payment_denied'],
  ['pending', 'accept', 'none'],
  ['authorize', 'accept', 'none'],
  ['deny', 'deny', 'payment_denied'],
  ['cancel', 'accept', 'payment_denied'],
  ['expire', 'accept', 'payment_expired'],
  ['failure', 'accept', 'payment_failed'],
  ['refund', 'accept', 'refund_full'],
  ['chargeback', 'accept', 'refund_full'],
  ['partial_refund', 'accept', 'refund_partial'],
  ['partial_chargeback', 'accept', 'refund_partial'],
];

for (const [status, fraud, action] of midtransActions) {
  Deno.test(`Midtrans ${status} with fraud_status ${fraud} becomes ${action}`, () => {
    const normalized = normalizeMidtransNotification(
      notification({ transaction_status: status, fraud_status: fraud }),
    );

    assert.equal(normalized.action, action);
  });
}

Deno.test('Midtrans amounts are converted to minor units', () => {
  const normalized = normalizeMidtransNotification(notification());

  assert.equal(normalized.amount, 14_500_000);
  assert.equal(normalized.currency, 'IDR');
  assert.equal(normalized.eventId, 'tx-1:settlement:accept:');
});

Deno.test('Midtrans partial refund carries the refunded amount', () => {
  const normalized = normalizeMidtransNotification(
    notification({ transaction_status: 'partial_refund', refund_amount: '5000.00' }),
  );

  assert.equal(normalized.amount, 500_000);
  assert.equal(normalized.eventId, 'tx-1:partial_refund:accept:5000.00');
});

Deno.test('Midtrans notification without currency is taken as IDR', () => {
  assert.equal(
    normalizeMidtransNotification(notification({ currency: undefined })).currency,
    'IDR',
  );
});

Deno.test('Midtrans repeated notification keeps its event id', () => {
  assert.equal(
    normalizeMidtransNotification(notification()).eventId,
    normalizeMidtransNotification(notification({ signature_key: 'y' })).eventId,
  );
});

/**
 * The order state machine as seen through the payment-webhook function. Each case creates its
 * own order and delivers signed Stripe events or Midtrans notifications in a given sequence.
 * It checks every HTTP response, then the order's status, its purchases (count, revoked,
 * suspended) and how many events were stored for it.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  countEvents,
  createOrder,
  createProduct,
  createUser,
  db,
  midtransSignature,
  orderState,
  type OrderState,
  type OrderSummary,
  postMidtrans,
  postStripe,
  type ProductOptions,
  stripeEvent,
  stripeId,
  type TestUser,
  type WebhookResult
} from './payments-fixtures.ts';

let buyer: TestUser;

beforeAll(async () => {
  buyer = await createUser('webhook-buyer');
});

afterAll(async () => {
  await db.end();
});

/** Ids a case's events share, so refunds and disputes name the payment the session made. */
interface Context {
  order: OrderSummary;
  sessionId: string;
  paymentIntent: string;
  chargeId: string;
  disputeId: string;
  transactionId: string;
  /** Events built once and delivered more than once. */
  saved: Map<string, object>;
}

interface Step {
  deliver: (ctx: Context) => Promise<WebhookResult>;
  status: number;
  outcome?: string;
  duplicate?: boolean;
  errorCode?: string;
}

interface Case {
  name: string;
  provider: 'stripe' | 'midtrans';
  products?: ProductOptions[];
  steps: Step[];
  expected: Omit<OrderState, 'refundedAmount' | 'paid'> & { refundedAmount?: number };
}

/* Stripe objects, shaped as the Stripe API sends them, for the case's order. */

function session(ctx: Context, overrides: Record<string, unknown> = {}) {
  return {
    id: ctx.sessionId,
    object: 'checkout.session',
    amount_total: ctx.order.total_amount,
    amount_subtotal: ctx.order.total_amount,
    currency: ctx.order.currency.toLowerCase(),
    client_reference_id: ctx.order.id,
    metadata: { order_id: ctx.order.id, reference: ctx.order.reference },
    mode: 'payment',
    payment_intent: ctx.paymentIntent,
    payment_status: 'paid',
    status: 'complete',
    ...overrides
  };
}

function charge(ctx: Context, overrides: Record<string, unknown> = {}) {
  return {
    id: ctx.chargeId,
    object: 'charge',
    amount: ctx.order.total_amount,
    amount_refunded: 0,
    refunded: false,
    currency: ctx.order.currency.toLowerCase(),
    payment_intent: ctx.paymentIntent,
    metadata: {},
    status: 'succeeded',
    ...overrides
  };
}

function refund(ctx: Context, amount: number, metadata: Record<string, string> = {}) {
  return {
    id: stripeId('re'),
    object: 'refund',
    amount,
    charge: ctx.chargeId,
    currency: ctx.order.currency.toLowerCase(),
    metadata,
    payment_intent: ctx.paymentIntent,
    status: 'succeeded'
  };
}

function dispute(ctx: Context, status: string) {
  return {
    id: ctx.disputeId,
    object: 'dispute',
    amount: ctx.order.total_amount,
    charge: ctx.chargeId,
    currency: ctx.order.currency.toLowerCase(),
    payment_intent: ctx.paymentIntent,
    status
  };
}

const stripeStep = (
  build: (ctx: Context) => object,
  status: number,
  outcome?: string,
  extra: Partial<Step> = {}
): Step => ({ deliver: (ctx) => postStripe(build(ctx)), status, outcome, ...extra });

const completed =
  (overrides: Record<string, unknown> = {}) =>
  (ctx: Context) =>
    stripeEvent('checkout.session.completed', session(ctx, overrides));

/** Delivers the event saved under `key`, building it the first time. */
const savedStripe = (
  key: string,
  build: (ctx: Context) => object,
  status: number,
  outcome: string,
  duplicate: boolean
): Step => ({
  deliver: (ctx) => {
    if (!ctx.saved.has(key)) ctx.saved.set(key, build(ctx));
    return postStripe(ctx.saved.get(key)!);
  },
  status,
  outcome,
  duplicate
});

/* Midtrans notifications for the case's order; gross_amount is whole rupiah with two decimals. */

function notification(ctx: Context, status: string, overrides: Record<string, string> = {}) {
  const fraud = overrides.fraud_status ?? 'accept';
  const statusCode =
    status === 'pending' || (status === 'capture' && fraud === 'challenge')
      ? '201'
      : ['deny', 'cancel', 'expire', 'failure'].includes(status)
        ? '202'
        : '200';
  return {
    order_id: ctx.order.id,
    transaction_id: ctx.transactionId,
    transaction_status: status,
    transaction_time: '2026-12-04 21:00:00',
    status_code: statusCode,
    status_message: 'midtrans payment notification',
    gross_amount: (ctx.order.total_amount / 100).toFixed(2),
    fraud_status: fraud,
    payment_type: status === 'capture' ? 'credit_card' : 'bank_transfer',
    currency: 'IDR',
    merchant_id: 'G000000000',
    ...overrides
  };
}

const midtransStep = (
  status: string,
  httpStatus: number,
  outcome?: string,
  overrides: Record<string, string> = {},
  extra: Partial<Step> = {}
): Step => ({
  deliver: (ctx) => postMidtrans(notification(ctx, status, overrides)),
  status: httpStatus,
  outcome,
  ...extra
});

const nothing = { purchases: 0, revoked: 0, suspended: 0 };

const stripeCases: Case[] = [
  {
    name: 'paid checkout grants the order',
    provider: 'stripe',
    steps: [stripeStep(completed(), 200, 'granted')],
    expected: { status: 'paid', purchases: 1, revoked: 0, suspended: 0, events: 1 }
  },
  {
    name: 'wrong signing secret is rejected unstored',
    provider: 'stripe',
    steps: [
      {
        deliver: (ctx) => postStripe(completed()(ctx), { secret: 'whsec_not_the_endpoint_secret' }),
        status: 400,
        errorCode: 'invalid_signature'
      }
    ],
    expected: { status: 'pending', ...nothing, events: 0 }
  },
  {
    name: 'stale timestamp is rejected unstored',
    provider: 'stripe',
    steps: [
      {
        deliver: (ctx) =>
          postStripe(completed()(ctx), { timestamp: Math.floor(Date.now() / 1000) - 600 }),
        status: 400,
        errorCode: 'stale_signature'
      }
    ],
    expected: { status: 'pending', ...nothing, events: 0 }
  },
  {
    name: 'duplicate delivery grants once',
    provider: 'stripe',
    steps: [
      savedStripe('completed', completed(), 200, 'granted', false),
      savedStripe('completed', completed(), 200, 'granted', true)
    ],
    expected: { status: 'paid', purchases: 1, revoked: 0, suspended: 0, events: 1 }
  },
  {
    name: 'amount mismatch needs review',
    provider: 'stripe',
    steps: [
      stripeStep(
        (ctx) => completed({ amount_total: ctx.order.total_amount - 1 })(ctx),
        200,
        'amount_mismatch'
      )
    ],
    expected: { status: 'needs_review', ...nothing, events: 1 }
  },
  {
    name: 'currency mismatch needs review',
    provider: 'stripe',
    steps: [stripeStep(completed({ currency: 'eur' }), 200, 'amount_mismatch')],
    expected: { status: 'needs_review', ...nothing, events: 1 }
  },
  {
    name: 'unpaid completion waits, async success grants',
    provider: 'stripe',
    steps: [
      stripeStep(completed({ payment_status: 'unpaid' }), 200, 'awaiting_payment'),
      stripeStep(
        (ctx) => stripeEvent('checkout.session.async_payment_succeeded', session(ctx)),
        200,
        'granted'
      )
    ],
    expected: { status: 'paid', purchases: 1, revoked: 0, suspended: 0, events: 2 }
  },
  {
    name: 'unpaid completion alone grants nothing',
    provider: 'stripe',
    steps: [stripeStep(completed({ payment_status: 'unpaid' }), 200, 'awaiting_payment')],
    expected: { status: 'awaiting_payment', ...nothing, events: 1 }
  },
  {
    name: 'async payment failure fails the order',
    provider: 'stripe',
    steps: [
      stripeStep(completed({ payment_status: 'unpaid' }), 200, 'awaiting_payment'),
      stripeStep(
        (ctx) =>
          stripeEvent(
            'checkout.session.async_payment_failed',
            session(ctx, { payment_status: 'unpaid' })
          ),
        200,
        'closed'
      )
    ],
    expected: { status: 'failed', ...nothing, events: 2 }
  },
  {
    name: 'late unpaid completion keeps a paid order paid',
    provider: 'stripe',
    steps: [
      stripeStep(
        (ctx) => stripeEvent('checkout.session.async_payment_succeeded', session(ctx)),
        200,
        'granted'
      ),
      stripeStep(completed({ payment_status: 'unpaid' }), 200, 'ignored')
    ],
    expected: { status: 'paid', purchases: 1, revoked: 0, suspended: 0, events: 2 }
  },
  {
    name: 'expired session expires the order',
    provider: 'stripe',
    steps: [
      stripeStep(
        (ctx) =>
          stripeEvent(
            'checkout.session.expired',
            session(ctx, { payment_status: 'unpaid', status: 'expired', payment_intent: null })
          ),
        200,
        'closed'
      )
    ],
    expected: { status: 'expired', ...nothing, events: 1 }
  },
  {
    name: 'full refund revokes every purchase',
    provider: 'stripe',
    products: [{}, {}],
    steps: [
      stripeStep(completed(), 200, 'granted'),
      stripeStep(
        (ctx) =>
          stripeEvent(
            'charge.refunded',
            charge(ctx, { amount_refunded: ctx.order.total_amount, refunded: true })
          ),
        200,
        'refunded'
      )
    ],
    expected: {
      status: 'refunded',
      purchases: 2,
      revoked: 2,
      suspended: 0,
      events: 2,
      refundedAmount: 3000
    }
  },
  {
    name: 'item refund revokes only that item',
    provider: 'stripe',
    products: [{}, {}],
    steps: [
      stripeStep(completed(), 200, 'granted'),
      stripeStep(
        (ctx) =>
          stripeEvent(
            'refund.created',
            refund(ctx, 1500, { order_item_id: ctx.order.items[1].id })
          ),
        200,
        'item_revoked'
      ),
      stripeStep(
        (ctx) => stripeEvent('charge.refunded', charge(ctx, { amount_refunded: 1500 })),
        200,
        'partially_refunded'
      )
    ],
    expected: {
      status: 'partially_refunded',
      purchases: 2,
      revoked: 1,
      suspended: 0,
      events: 3,
      refundedAmount: 1500
    }
  },
  {
    name: 'partial refund without an item revokes nothing',
    provider: 'stripe',
    products: [{}, {}],
    steps: [
      stripeStep(completed(), 200, 'granted'),
      stripeStep((ctx) => stripeEvent('refund.created', refund(ctx, 1500)), 200, 'ignored'),
      stripeStep(
        (ctx) => stripeEvent('charge.refunded', charge(ctx, { amount_refunded: 1500 })),
        200,
        'partially_refunded'
      )
    ],
    expected: {
      status: 'partially_refunded',
      purchases: 2,
      revoked: 0,
      suspended: 0,
      events: 3,
      refundedAmount: 1500
    }
  },
  {
    name: 'item refund below the item price revokes nothing',
    provider: 'stripe',
    products: [{}, {}],
    steps: [
      stripeStep(completed(), 200, 'granted'),
      stripeStep(
        (ctx) =>
          stripeEvent('refund.created', refund(ctx, 500, { order_item_id: ctx.order.items[0].id })),
        200,
        'partially_refunded'
      )
    ],
    expected: { status: 'partially_refunded', purchases: 2, revoked: 0, suspended: 0, events: 2 }
  },
  {
    name: 'opened dispute suspends access',
    provider: 'stripe',
    steps: [
      stripeStep(completed(), 200, 'granted'),
      stripeStep(
        (ctx) => stripeEvent('charge.dispute.created', dispute(ctx, 'needs_response')),
        200,
        'suspended'
      )
    ],
    expected: { status: 'disputed', purchases: 1, revoked: 0, suspended: 1, events: 2 }
  },
  {
    name: 'won dispute resumes access',
    provider: 'stripe',
    steps: [
      stripeStep(completed(), 200, 'granted'),
      stripeStep(
        (ctx) => stripeEvent('charge.dispute.created', dispute(ctx, 'needs_response')),
        200,
        'suspended'
      ),
      stripeStep((ctx) => stripeEvent('charge.dispute.closed', dispute(ctx, 'won')), 200, 'resumed')
    ],
    expected: { status: 'paid', purchases: 1, revoked: 0, suspended: 0, events: 3 }
  },
  {
    name: 'lost dispute revokes access',
    provider: 'stripe',
    steps: [
      stripeStep(completed(), 200, 'granted'),
      stripeStep(
        (ctx) => stripeEvent('charge.dispute.created', dispute(ctx, 'needs_response')),
        200,
        'suspended'
      ),
      stripeStep(
        (ctx) => stripeEvent('charge.dispute.closed', dispute(ctx, 'lost')),
        200,
        'revoked'
      )
    ],
    expected: { status: 'refunded', purchases: 1, revoked: 1, suspended: 1, events: 3 }
  },
  {
    name: 'dispute closure before its opening ends as paid',
    provider: 'stripe',
    steps: [
      stripeStep(completed(), 200, 'granted'),
      stripeStep(
        (ctx) => stripeEvent('charge.dispute.closed', dispute(ctx, 'won')),
        200,
        'ignored'
      ),
      stripeStep(
        (ctx) => stripeEvent('charge.dispute.created', dispute(ctx, 'needs_response')),
        200,
        'ignored'
      )
    ],
    expected: { status: 'paid', purchases: 1, revoked: 0, suspended: 0, events: 3 }
  },
  {
    name: 'refund before payment ends refunded and revoked',
    provider: 'stripe',
    steps: [
      stripeStep(
        (ctx) =>
          stripeEvent(
            'charge.refunded',
            charge(ctx, { amount_refunded: ctx.order.total_amount, refunded: true })
          ),
        200,
        'order_not_found'
      ),
      stripeStep(completed(), 200, 'granted')
    ],
    expected: { status: 'refunded', purchases: 1, revoked: 1, suspended: 0, events: 2 }
  },
  {
    name: 'payment after a refund grants nothing',
    provider: 'stripe',
    steps: [
      stripeStep(completed(), 200, 'granted'),
      stripeStep(
        (ctx) =>
          stripeEvent(
            'charge.refunded',
            charge(ctx, { amount_refunded: ctx.order.total_amount, refunded: true })
          ),
        200,
        'refunded'
      ),
      stripeStep(
        (ctx) => stripeEvent('checkout.session.async_payment_succeeded', session(ctx)),
        200,
        'ignored_closed'
      )
    ],
    expected: { status: 'refunded', purchases: 1, revoked: 1, suspended: 0, events: 3 }
  },
  {
    name: 'unhandled event type is acknowledged and ignored',
    provider: 'stripe',
    steps: [
      stripeStep(
        (ctx) =>
          stripeEvent('payment_intent.created', {
            id: ctx.paymentIntent,
            object: 'payment_intent',
            metadata: { order_id: ctx.order.id }
          }),
        200,
        'ignored'
      )
    ],
    expected: { status: 'pending', ...nothing, events: 0 }
  }
];

const midtransCases: Case[] = [
  {
    name: 'settlement grants the order',
    provider: 'midtrans',
    steps: [midtransStep('settlement', 200, 'granted')],
    expected: { status: 'paid', purchases: 1, revoked: 0, suspended: 0, events: 1 }
  },
  {
    name: 'wrong signature_key is rejected unstored',
    provider: 'midtrans',
    steps: [
      {
        deliver: (ctx) => {
          const body = notification(ctx, 'settlement');
          return postMidtrans({
            ...body,
            signature_key: midtransSignature(
              body.order_id,
              body.status_code,
              body.gross_amount,
              'SB-Mid-server-wrong'
            )
          });
        },
        status: 400,
        errorCode: 'invalid_signature'
      }
    ],
    expected: { status: 'pending', ...nothing, events: 0 }
  },
  {
    name: 'signature over another amount is rejected',
    provider: 'midtrans',
    steps: [
      {
        deliver: (ctx) => {
          const body = notification(ctx, 'settlement');
          const signedForLess = midtransSignature(body.order_id, body.status_code, '1.00');
          return postMidtrans({ ...body, signature_key: signedForLess });
        },
        status: 400,
        errorCode: 'invalid_signature'
      }
    ],
    expected: { status: 'pending', ...nothing, events: 0 }
  },
  {
    name: 'duplicate settlement grants once',
    provider: 'midtrans',
    steps: [
      midtransStep('settlement', 200, 'granted', {}, { duplicate: false }),
      midtransStep('settlement', 200, 'granted', {}, { duplicate: true })
    ],
    expected: { status: 'paid', purchases: 1, revoked: 0, suspended: 0, events: 1 }
  },
  {
    name: 'amount mismatch needs review',
    provider: 'midtrans',
    steps: [midtransStep('settlement', 200, 'amount_mismatch', { gross_amount: '9999.00' })],
    expected: { status: 'needs_review', ...nothing, events: 1 }
  },
  {
    name: 'currency mismatch needs review',
    provider: 'midtrans',
    steps: [midtransStep('settlement', 200, 'amount_mismatch', { currency: 'USD' })],
    expected: { status: 'needs_review', ...nothing, events: 1 }
  },
  {
    name: 'pending changes nothing',
    provider: 'midtrans',
    steps: [midtransStep('pending', 200, 'ignored')],
    expected: { status: 'pending', ...nothing, events: 1 }
  },
  {
    name: 'accepted capture grants the order',
    provider: 'midtrans',
    steps: [midtransStep('capture', 200, 'granted')],
    expected: { status: 'paid', purchases: 1, revoked: 0, suspended: 0, events: 1 }
  },
  {
    name: 'challenged capture waits for review, settlement grants',
    provider: 'midtrans',
    steps: [
      midtransStep('capture', 200, 'needs_review', { fraud_status: 'challenge' }),
      midtransStep('settlement', 200, 'granted')
    ],
    expected: { status: 'paid', purchases: 1, revoked: 0, suspended: 0, events: 2 }
  },
  {
    name: 'challenged capture alone grants nothing',
    provider: 'midtrans',
    steps: [midtransStep('capture', 200, 'needs_review', { fraud_status: 'challenge' })],
    expected: { status: 'needs_review', ...nothing, events: 1 }
  },
  {
    name: 'deny after settlement reverses the order',
    provider: 'midtrans',
    steps: [
      midtransStep('settlement', 200, 'granted'),
      midtransStep('deny', 200, 'reversed', { fraud_status: 'deny' })
    ],
    expected: { status: 'failed', purchases: 1, revoked: 1, suspended: 0, events: 2 }
  },
  {
    name: 'deny before settlement never grants',
    provider: 'midtrans',
    steps: [
      midtransStep('deny', 200, 'closed', { fraud_status: 'deny' }),
      midtransStep('settlement', 200, 'ignored_closed')
    ],
    expected: { status: 'failed', ...nothing, events: 2 }
  },
  {
    name: 'expire closes an unpaid order',
    provider: 'midtrans',
    steps: [midtransStep('pending', 200, 'ignored'), midtransStep('expire', 200, 'closed')],
    expected: { status: 'expired', ...nothing, events: 2 }
  },
  {
    name: 'cancel closes an unpaid order',
    provider: 'midtrans',
    steps: [midtransStep('cancel', 200, 'closed')],
    expected: { status: 'failed', ...nothing, events: 1 }
  },
  {
    name: 'refund after settlement revokes access',
    provider: 'midtrans',
    steps: [
      midtransStep('settlement', 200, 'granted'),
      midtransStep('refund', 200, 'refunded', { refund_amount: '10000.00' })
    ],
    expected: {
      status: 'refunded',
      purchases: 1,
      revoked: 1,
      suspended: 0,
      events: 2,
      refundedAmount: 1_000_000
    }
  },
  {
    name: 'partial refund marks the order and keeps access',
    provider: 'midtrans',
    steps: [
      midtransStep('settlement', 200, 'granted'),
      midtransStep('partial_refund', 200, 'partially_refunded', { refund_amount: '2500.00' })
    ],
    expected: {
      status: 'partially_refunded',
      purchases: 1,
      revoked: 0,
      suspended: 0,
      events: 2,
      refundedAmount: 250_000
    }
  },
  {
    name: 'chargeback after settlement revokes access',
    provider: 'midtrans',
    steps: [
      midtransStep('settlement', 200, 'granted'),
      midtransStep('chargeback', 200, 'refunded')
    ],
    expected: { status: 'refunded', purchases: 1, revoked: 1, suspended: 0, events: 2 }
  }
];

async function runCase(testCase: Case): Promise<void> {
  const products = await Promise.all(
    (testCase.products ?? [{}]).map((options) =>
      createProduct({ currency: testCase.provider === 'stripe' ? 'USD' : 'IDR', ...options })
    )
  );
  const order = await createOrder(
    buyer.id,
    testCase.provider,
    products.map((product) => product.id)
  );
  const ctx: Context = {
    order,
    sessionId: stripeId('cs_test'),
    paymentIntent: stripeId('pi'),
    chargeId: stripeId('ch'),
    disputeId: stripeId('dp'),
    transactionId: crypto.randomUUID(),
    saved: new Map()
  };

  for (const [index, step] of testCase.steps.entries()) {
    const result = await step.deliver(ctx);
    const label = `step ${index + 1}`;
    expect(result.status, label).toBe(step.status);
    if (step.outcome !== undefined) expect(result.body.outcome, label).toBe(step.outcome);
    if (step.duplicate !== undefined) expect(result.body.duplicate, label).toBe(step.duplicate);
    if (step.errorCode !== undefined) expect(result.body.error?.code, label).toBe(step.errorCode);
  }

  const state = await orderState(order.id);
  expect(state.status).toBe(testCase.expected.status);
  expect(state.purchases).toBe(testCase.expected.purchases);
  expect(state.revoked).toBe(testCase.expected.revoked);
  expect(state.suspended).toBe(testCase.expected.suspended);
  expect(state.events).toBe(testCase.expected.events);
  if (testCase.expected.refundedAmount !== undefined) {
    expect(state.refundedAmount).toBe(testCase.expected.refundedAmount);
  }
}

describe('Stripe webhooks', () => {
  test.each(stripeCases.map((testCase) => [testCase.name, testCase] as const))(
    '%s',
    async (_name, testCase) => {
      await runCase(testCase);
    }
  );
});

describe('Midtrans webhooks', () => {
  test.each(midtransCases.map((testCase) => [testCase.name, testCase] as const))(
    '%s',
    async (_name, testCase) => {
      await runCase(testCase);
    }
  );
});

describe('concurrent deliveries', () => {
  test('twenty identical deliveries grant once', async () => {
    const product = await createProduct({ currency: 'USD' });
    const order = await createOrder(buyer.id, 'stripe', [product.id]);
    const event = stripeEvent(
      'checkout.session.completed',
      session({
        order,
        sessionId: stripeId('cs_test'),
        paymentIntent: stripeId('pi'),
        chargeId: '',
        disputeId: '',
        transactionId: '',
        saved: new Map()
      })
    );

    const results = await Promise.all(Array.from({ length: 20 }, () => postStripe(event)));

    expect(results.map((result) => result.status)).toEqual(Array(20).fill(200));
    expect(results.filter((result) => result.body.duplicate === false)).toHaveLength(1);
    expect(results.filter((result) => result.body.duplicate === true)).toHaveLength(19);
    expect(new Set(results.map((result) => result.body.outcome))).toEqual(new Set(['granted']));
    expect(await countEvents('stripe', event.id)).toBe(1);
    const state = await orderState(order.id);
    expect(state.status).toBe('paid');
    expect(state.purchases).toBe(1);
  });

  test('distinct payment events at once grant once', async () => {
    const product = await createProduct({ currency: 'USD' });
    const order = await createOrder(buyer.id, 'stripe', [product.id]);
    const ctx: Context = {
      order,
      sessionId: stripeId('cs_test'),
      paymentIntent: stripeId('pi'),
      chargeId: '',
      disputeId: '',
      transactionId: '',
      saved: new Map()
    };
    const events = [
      stripeEvent('checkout.session.completed', session(ctx)),
      stripeEvent('checkout.session.async_payment_succeeded', session(ctx)),
      stripeEvent('checkout.session.completed', session(ctx)),
      stripeEvent('checkout.session.async_payment_succeeded', session(ctx))
    ];

    const results = await Promise.all(events.map((event) => postStripe(event)));

    expect(results.map((result) => result.status)).toEqual([200, 200, 200, 200]);
    expect(results.filter((result) => result.body.outcome === 'granted')).toHaveLength(1);
    expect(results.filter((result) => result.body.outcome === 'already_paid')).toHaveLength(3);
    const state = await orderState(order.id);
    expect(state.purchases).toBe(1);
    expect(state.events).toBe(4);
  });
});

describe('concurrent mixed deliveries', () => {
  test('payment, refund and dispute at once end refunded', async () => {
    const product = await createProduct({ currency: 'USD' });
    const order = await createOrder(buyer.id, 'stripe', [product.id]);
    const ctx: Context = {
      order,
      sessionId: stripeId('cs_test'),
      paymentIntent: stripeId('pi'),
      chargeId: stripeId('ch'),
      disputeId: stripeId('dp'),
      transactionId: '',
      saved: new Map()
    };
    const events = [
      stripeEvent('checkout.session.completed', session(ctx)),
      stripeEvent(
        'charge.refunded',
        charge(ctx, { amount_refunded: order.total_amount, refunded: true })
      ),
      stripeEvent('charge.dispute.created', dispute(ctx, 'needs_response')),
      stripeEvent('checkout.session.async_payment_succeeded', session(ctx))
    ];

    const results = await Promise.all(events.map((event) => postStripe(event)));

    expect(results.map((result) => result.status)).toEqual([200, 200, 200, 200]);
    const state = await orderState(order.id);
    expect(state.status).toBe('refunded');
    expect(state.purchases).toBe(1);
    expect(state.revoked).toBe(1);
    expect(state.events).toBe(4);
  });
});

describe('webhook requests', () => {
  test('missing Stripe-Signature header is rejected', async () => {
    const response = await fetch(
      `${process.env.SUPABASE_URL}/functions/v1/payment-webhook/stripe`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}'
      }
    );

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: { code: 'missing_signature', message: 'The Stripe-Signature header is missing.' }
    });
  });

  test('unknown webhook path returns 404', async () => {
    const response = await fetch(
      `${process.env.SUPABASE_URL}/functions/v1/payment-webhook/paypal`,
      { method: 'POST', body: '{}' }
    );

    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });

  test('Midtrans notification without fields is rejected', async () => {
    const response = await fetch(
      `${process.env.SUPABASE_URL}/functions/v1/payment-webhook/midtrans`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ order_id: 'x' })
      }
    );

    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
      'invalid_notification'
    );
  });
});

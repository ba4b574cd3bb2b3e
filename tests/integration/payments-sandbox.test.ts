/**
 * Whole payments through the payment sandbox. The checkout function opens a session there and
 * the buyer presses Pay or Cancel on its page, or a test control simulates a delayed payment, a
 * refund or a dispute. The sandbox's signed webhooks then move the order. Also covers the
 * sandbox's own Stripe and Midtrans error responses.
 */
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  callFunction,
  createProduct,
  createUser,
  db,
  orderState,
  type ProductOptions,
  sandboxUrl,
  SITE_URL,
  STRIPE_SECRET_KEY,
  type TestUser
} from './payments-fixtures.ts';

let buyer: TestUser;

beforeAll(async () => {
  buyer = await createUser('sandbox-buyer');
});

afterAll(async () => {
  await db.end();
});

interface Checkout {
  orderId: string;
  itemIds: string[];
  checkoutId: string;
}

async function checkout(
  provider: 'stripe' | 'midtrans',
  products: ProductOptions[] = [{}]
): Promise<Checkout> {
  const currency = provider === 'stripe' ? 'USD' : 'IDR';
  const created = await Promise.all(
    products.map((options) => createProduct({ currency, ...options }))
  );
  const { status, body } = await callFunction(
    'checkout',
    { items: created.map((product) => ({ product_id: product.id })), provider },
    buyer
  );
  expect(status).toBe(201);
  const { rows } = await db.query<{ id: string }>(
    'select id from public.order_items where order_id = $1 order by position',
    [body.order_id]
  );
  return {
    orderId: body.order_id,
    itemIds: rows.map((row) => row.id),
    checkoutId: new URL(body.redirect_url).pathname.split('/')[2]
  };
}

async function control(path: string, body: unknown = {}) {
  const response = await fetch(`${sandboxUrl()}/sandbox${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body)
  });
  const json = (await response.json()) as {
    deliveries: { type: string; status: number; body: { outcome: string } }[];
    dispute_id?: string;
  };
  expect(response.status).toBe(200);
  return json;
}

async function pressButton(checkoutId: string, button: 'pay' | 'pay-later' | 'cancel') {
  return fetch(`${sandboxUrl()}/pay/${checkoutId}/${button}`, {
    method: 'POST',
    redirect: 'manual'
  });
}

describe('Stripe through the sandbox', () => {
  test('checkout page lists the items and the total', async () => {
    const { checkoutId } = await checkout('stripe', [{ price: 1200 }, { price: 450 }]);

    const response = await fetch(`${sandboxUrl()}/pay/${checkoutId}`);
    const html = await response.text();

    expect(response.status).toBe(200);
    expect(html).toContain('<td class="amount" data-testid="total">$16.50</td>');
    expect(html).toContain('<button type="submit" class="pay">Pay</button>');
    expect(html).toContain('<button type="submit" class="cancel">Cancel</button>');
  });

  test('Pay grants the order and returns the buyer to it', async () => {
    const { orderId, checkoutId } = await checkout('stripe');

    const response = await pressButton(checkoutId, 'pay');

    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`${SITE_URL}/orders/${orderId}`);
    expect(await orderState(orderId)).toMatchObject({
      status: 'paid',
      purchases: 1,
      revoked: 0,
      events: 1
    });
  });

  test('Cancel expires the order', async () => {
    const { orderId, checkoutId } = await checkout('stripe');

    const response = await pressButton(checkoutId, 'cancel');

    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`${SITE_URL}/orders/${orderId}`);
    expect(await orderState(orderId)).toMatchObject({ status: 'expired', purchases: 0 });
  });

  test('delayed payment waits, then grants', async () => {
    const { orderId, checkoutId } = await checkout('stripe');

    const paid = await control(`/stripe/sessions/${checkoutId}/pay`, { delayed: true });
    expect(
      paid.deliveries.map((delivery) => [delivery.type, delivery.status, delivery.body.outcome])
    ).toEqual([['checkout.session.completed', 200, 'awaiting_payment']]);
    expect(await orderState(orderId)).toMatchObject({ status: 'awaiting_payment', purchases: 0 });

    const settled = await control(`/stripe/sessions/${checkoutId}/async-payment`, {
      outcome: 'succeeded'
    });

    expect(
      settled.deliveries.map((delivery) => [delivery.type, delivery.status, delivery.body.outcome])
    ).toEqual([['checkout.session.async_payment_succeeded', 200, 'granted']]);
    expect(await orderState(orderId)).toMatchObject({ status: 'paid', purchases: 1 });
  });

  test('refund of one item revokes that item', async () => {
    const { orderId, checkoutId, itemIds } = await checkout('stripe', [
      { price: 1000 },
      { price: 500 }
    ]);
    await control(`/stripe/sessions/${checkoutId}/pay`);

    const refunded = await control(`/stripe/sessions/${checkoutId}/refund`, {
      amount: 500,
      order_item_id: itemIds[1]
    });

    expect(
      refunded.deliveries.map((delivery) => [delivery.type, delivery.status, delivery.body.outcome])
    ).toEqual([
      ['refund.created', 200, 'item_revoked'],
      ['charge.refunded', 200, 'partially_refunded']
    ]);
    expect(await orderState(orderId)).toMatchObject({
      status: 'partially_refunded',
      refundedAmount: 500,
      purchases: 2,
      revoked: 1
    });
    const { rows } = await db.query(
      'select id, status from public.order_items where order_id = $1 order by position',
      [orderId]
    );
    expect(rows).toEqual([
      { id: itemIds[0], status: 'paid' },
      { id: itemIds[1], status: 'refunded' }
    ]);
  });

  test('refund of the rest revokes everything', async () => {
    const { orderId, checkoutId } = await checkout('stripe', [{ price: 1000 }, { price: 500 }]);
    await control(`/stripe/sessions/${checkoutId}/pay`);
    await control(`/stripe/sessions/${checkoutId}/refund`, { amount: 300 });

    const refunded = await control(`/stripe/sessions/${checkoutId}/refund`, {});

    expect(refunded.deliveries.map((delivery) => delivery.body.outcome)).toEqual([
      'ignored',
      'refunded'
    ]);
    expect(await orderState(orderId)).toMatchObject({
      status: 'refunded',
      refundedAmount: 1500,
      purchases: 2,
      revoked: 2
    });
  });

  test('dispute suspends, and winning it resumes', async () => {
    const { orderId, checkoutId } = await checkout('stripe');
    await control(`/stripe/sessions/${checkoutId}/pay`);

    const opened = await control(`/stripe/sessions/${checkoutId}/dispute`);
    expect(opened.deliveries[0].body.outcome).toBe('suspended');
    expect(await orderState(orderId)).toMatchObject({ status: 'disputed', suspended: 1 });

    const closed = await control(`/stripe/disputes/${opened.dispute_id}/close`, { status: 'won' });

    expect(closed.deliveries[0].body.outcome).toBe('resumed');
    expect(await orderState(orderId)).toMatchObject({ status: 'paid', suspended: 0, revoked: 0 });
  });

  test('sandbox rejects a wrong secret key like Stripe', async () => {
    const url = new URL(sandboxUrl());
    const stripe = new Stripe('sk_test_wrong_key_0000000000', {
      host: url.hostname,
      port: Number(url.port),
      protocol: 'http'
    });

    const failure = await stripe.checkout.sessions
      .retrieve('cs_test_unknown')
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect((failure as Stripe.errors.StripeError).statusCode).toBe(401);
  });

  test('sandbox reports an unknown session like Stripe', async () => {
    const response = await fetch(`${sandboxUrl()}/v1/checkout/sessions/cs_test_unknown`, {
      headers: { authorization: `Bearer ${STRIPE_SECRET_KEY}` }
    });

    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: {
        type: 'invalid_request_error',
        code: 'resource_missing',
        message: "No such checkout.session: 'cs_test_unknown'",
        param: 'session'
      }
    });
  });
});

describe('Midtrans through the sandbox', () => {
  test('Pay settles the order and returns the buyer to it', async () => {
    const { orderId, checkoutId } = await checkout('midtrans');

    const response = await pressButton(checkoutId, 'pay');

    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(
      `${SITE_URL}/orders/${orderId}?order_id=${orderId}&status_code=200&transaction_status=settlement`
    );
    expect(await orderState(orderId)).toMatchObject({ status: 'paid', purchases: 1 });
  });

  test('deny after settlement reverses the order', async () => {
    const { orderId, checkoutId } = await checkout('midtrans');
    await pressButton(checkoutId, 'pay');

    const denied = await control(`/midtrans/orders/${orderId}/notify`, {
      transaction_status: 'deny'
    });

    expect(
      denied.deliveries.map((delivery) => [delivery.type, delivery.status, delivery.body.outcome])
    ).toEqual([['deny', 200, 'reversed']]);
    expect(await orderState(orderId)).toMatchObject({ status: 'failed', purchases: 1, revoked: 1 });
  });

  test('Cancel expires the order', async () => {
    const { orderId, checkoutId } = await checkout('midtrans');

    const response = await pressButton(checkoutId, 'cancel');

    expect(response.status).toBe(303);
    expect(await orderState(orderId)).toMatchObject({ status: 'expired', purchases: 0 });
  });

  test('Snap rejects a wrong server key', async () => {
    const response = await fetch(`${sandboxUrl()}/snap/v1/transactions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from('SB-Mid-server-wrong:').toString('base64')}`
      },
      body: JSON.stringify({ transaction_details: { order_id: 'x', gross_amount: 1 } })
    });

    expect(response.status).toBe(401);
  });
});

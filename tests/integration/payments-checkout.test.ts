/**
 * The checkout function against the running stack and its payment sandbox: what each provider
 * returns, that prices always come from the database, and every rejection with its status.
 */
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  callFunction,
  createProduct,
  createUser,
  db,
  env,
  MIDTRANS_SERVER_KEY,
  sandboxUrl,
  SITE_URL,
  STRIPE_SECRET_KEY,
  type TestUser
} from './payments-fixtures.ts';

let buyer: TestUser;

beforeAll(async () => {
  buyer = await createUser('checkout-buyer');
});

afterAll(async () => {
  await db.end();
});

function sandboxStripe(): Stripe {
  const url = new URL(sandboxUrl());
  return new Stripe(STRIPE_SECRET_KEY, {
    host: url.hostname,
    port: Number(url.port),
    protocol: 'http'
  });
}

async function storedOrder(orderId: string) {
  const { rows } = await db.query(
    `select o.status, o.provider, o.currency, o.total_amount::int, o.provider_session_id, o.user_id,
            array_agg(i.unit_amount::int order by i.position) as unit_amounts
       from public.orders o join public.order_items i on i.order_id = o.id
      where o.id = $1 group by o.id`,
    [orderId]
  );
  return rows[0];
}

describe('successful checkouts', () => {
  test('stripe opens a Checkout Session at database prices', async () => {
    const first = await createProduct({ currency: 'USD', price: 1200 });
    const second = await createProduct({ currency: 'USD', price: 450 });

    const { status, body } = await callFunction(
      'checkout',
      {
        items: [
          { product_id: first.id, unit_amount: 1 },
          { product_id: second.id, price: 1 }
        ],
        provider: 'stripe'
      },
      buyer
    );

    expect(status).toBe(201);
    expect(body).toEqual({
      order_id: expect.any(String),
      reference: expect.stringMatching(/^BRK-[2-9A-HJ-NP-Z]{6}$/),
      status: 'pending',
      amount: 1650,
      currency: 'USD',
      provider: 'stripe',
      redirect_url: expect.stringMatching(new RegExp(`^${sandboxUrl()}/pay/cs_test_`))
    });
    const order = await storedOrder(body.order_id);
    expect(order).toMatchObject({
      status: 'pending',
      provider: 'stripe',
      currency: 'USD',
      total_amount: 1650,
      user_id: buyer.id
    });
    expect(order.unit_amounts).toEqual([1200, 450]);

    const session = await sandboxStripe().checkout.sessions.retrieve(order.provider_session_id);
    expect(session.amount_total).toBe(1650);
    expect(session.currency).toBe('usd');
    expect(session.mode).toBe('payment');
    expect(session.client_reference_id).toBe(body.order_id);
    expect(session.metadata).toEqual({ order_id: body.order_id, reference: body.reference });
    expect(session.success_url).toBe(`${SITE_URL}/orders/${body.order_id}`);
    expect(session.cancel_url).toBe(`${SITE_URL}/orders/${body.order_id}`);
    expect(session.url).toBe(body.redirect_url);
  });

  test('midtrans opens a Snap transaction in whole rupiah', async () => {
    const product = await createProduct({ currency: 'IDR', price: 7_500_000 });

    const { status, body } = await callFunction(
      'checkout',
      { items: [{ product_id: product.id }], provider: 'midtrans' },
      buyer
    );

    expect(status).toBe(201);
    expect(body).toMatchObject({
      status: 'pending',
      amount: 7_500_000,
      currency: 'IDR',
      provider: 'midtrans'
    });
    expect(body.redirect_url).toMatch(new RegExp(`^${sandboxUrl()}/pay/`));
    const response = await fetch(`${sandboxUrl()}/v2/${body.order_id}/status`, {
      headers: {
        authorization: `Basic ${Buffer.from(`${MIDTRANS_SERVER_KEY}:`).toString('base64')}`
      }
    });
    const transaction = await response.json();
    expect(response.status).toBe(200);
    expect(transaction).toMatchObject({
      order_id: body.order_id,
      gross_amount: '75000.00',
      transaction_status: 'pending',
      currency: 'IDR'
    });
  });

  test('manual returns bank transfer instructions', async () => {
    const product = await createProduct({ currency: 'IDR', price: 4_500_000 });

    const { status, body } = await callFunction(
      'checkout',
      { items: [{ product_id: product.id }], provider: 'manual' },
      buyer
    );

    expect(status).toBe(201);
    expect(body).toEqual({
      order_id: expect.any(String),
      reference: expect.stringMatching(/^BRK-/),
      status: 'awaiting_payment',
      amount: 4_500_000,
      currency: 'IDR',
      provider: 'manual',
      instructions: {
        bank_name: 'Bank Demo Indonesia',
        account_name: 'PT Brankas Digital Demo',
        account_number: '1234567890',
        reference: body.reference,
        amount: 4_500_000,
        currency: 'IDR'
      }
    });
  });
});

describe('rejections', () => {
  test('no access token is rejected by the gateway', async () => {
    const { status, body } = await callFunction(
      'checkout',
      { items: [], provider: 'manual' },
      null
    );

    expect(status).toBe(401);
    expect(body).toEqual({ msg: 'Error: Missing authorization header' });
  });

  test('the anon key is not a buyer', async () => {
    const anon = { id: '', email: '', accessToken: env.SUPABASE_ANON_KEY, client: buyer.client };

    const { status, body } = await callFunction(
      'checkout',
      { items: [], provider: 'manual' },
      anon
    );

    expect(status).toBe(401);
    expect(body.error.code).toBe('invalid_token');
  });

  test('unknown provider is invalid', async () => {
    const product = await createProduct();

    const { status, body } = await callFunction(
      'checkout',
      { items: [{ product_id: product.id }], provider: 'paypal' },
      buyer
    );

    expect(status).toBe(400);
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.message).toContain('must be "stripe", "midtrans" or "manual"');
  });

  test('empty cart', async () => {
    const { status, body } = await callFunction(
      'checkout',
      { items: [], provider: 'stripe' },
      buyer
    );

    expect(status).toBe(400);
    expect(body).toEqual({
      error: {
        code: 'cart_empty',
        message: 'The cart is empty: add at least one product before checking out.'
      }
    });
  });

  test('duplicate product in the cart', async () => {
    const product = await createProduct();

    const { status, body } = await callFunction(
      'checkout',
      { items: [{ product_id: product.id }, { product_id: product.id }], provider: 'manual' },
      buyer
    );

    expect(status).toBe(400);
    expect(body.error.code).toBe('cart_duplicate_product');
  });

  test('unknown product', async () => {
    const missing = '10000000-0000-4000-8000-00000000dead';

    const { status, body } = await callFunction(
      'checkout',
      { items: [{ product_id: missing }], provider: 'manual' },
      buyer
    );

    expect(status).toBe(404);
    expect(body).toEqual({
      error: {
        code: 'product_not_found',
        message: `Product ${missing} was not found or is not for sale: remove it from the cart.`
      }
    });
  });

  test('unpublished product', async () => {
    const draft = await createProduct({ status: 'draft' });

    const { status, body } = await callFunction(
      'checkout',
      { items: [{ product_id: draft.id }], provider: 'manual' },
      buyer
    );

    expect(status).toBe(404);
    expect(body.error.code).toBe('product_not_found');
  });

  test('mixed currencies', async () => {
    const rupiah = await createProduct({ currency: 'IDR' });
    const dollars = await createProduct({ currency: 'USD' });

    const { status, body } = await callFunction(
      'checkout',
      { items: [{ product_id: rupiah.id }, { product_id: dollars.id }], provider: 'stripe' },
      buyer
    );

    expect(status).toBe(422);
    expect(body.error.code).toBe('mixed_currency');
    expect(body.error.message).toBe(
      'The cart mixes currencies (IDR, USD): check out the products of each currency separately.'
    );
  });

  test('product already held for life', async () => {
    const product = await createProduct({ accessDays: null });
    await db.query('insert into public.purchases (user_id, product_id) values ($1, $2)', [
      buyer.id,
      product.id
    ]);

    const { status, body } = await callFunction(
      'checkout',
      { items: [{ product_id: product.id }], provider: 'manual' },
      buyer
    );

    expect(status).toBe(409);
    expect(body.error.code).toBe('already_owned');
  });

  test('product held for a limited time can be bought again', async () => {
    const product = await createProduct({ accessDays: 30 });
    await db.query('insert into public.purchases (user_id, product_id) values ($1, $2)', [
      buyer.id,
      product.id
    ]);

    const { status, body } = await callFunction(
      'checkout',
      { items: [{ product_id: product.id }], provider: 'manual' },
      buyer
    );

    expect(status).toBe(201);
    expect(body.status).toBe('awaiting_payment');
  });

  test('midtrans rejects a non-rupiah order and closes it', async () => {
    const product = await createProduct({ currency: 'USD' });

    const { status, body } = await callFunction(
      'checkout',
      { items: [{ product_id: product.id }], provider: 'midtrans' },
      buyer
    );

    expect(status).toBe(422);
    expect(body.error.code).toBe('currency_not_supported');
    const { rows } = await db.query(
      `select o.status from public.orders o join public.order_items i on i.order_id = o.id where i.product_id = $1`,
      [product.id]
    );
    expect(rows).toEqual([{ status: 'failed' }]);
  });

  test('GET is not allowed', async () => {
    const response = await fetch(`${env.SUPABASE_URL}/functions/v1/checkout`, {
      headers: { authorization: `Bearer ${buyer.accessToken}` }
    });

    expect(response.status).toBe(405);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
      'method_not_allowed'
    );
  });
});

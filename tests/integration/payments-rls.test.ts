/**
 * Who can read and write orders, order items, payment events, proofs and purchases through the
 * API: buyers read their own rows, admins read all, and no API role can write any of them or
 * call the payments functions that do.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  createOrder,
  createProduct,
  createUser,
  db,
  newClient,
  env,
  type OrderSummary,
  postStripe,
  serviceClient,
  stripeEvent,
  stripeId,
  type TestUser
} from './payments-fixtures.ts';

let buyer: TestUser;
let otherBuyer: TestUser;
let admin: TestUser;
let order: OrderSummary;
let productId: string;

beforeAll(async () => {
  [buyer, otherBuyer, admin] = await Promise.all([
    createUser('rls-buyer'),
    createUser('rls-other-buyer'),
    createUser('rls-admin', 'admin')
  ]);
  const product = await createProduct({ currency: 'USD' });
  productId = product.id;
  order = await createOrder(buyer.id, 'stripe', [product.id]);
  const paid = await postStripe(
    stripeEvent('checkout.session.completed', {
      id: stripeId('cs_test'),
      object: 'checkout.session',
      amount_total: order.total_amount,
      currency: 'usd',
      client_reference_id: order.id,
      metadata: { order_id: order.id },
      payment_intent: stripeId('pi'),
      payment_status: 'paid'
    })
  );
  expect(paid.body.outcome).toBe('granted');
});

afterAll(async () => {
  await db.end();
});

describe('reading', () => {
  test('buyer reads their own order and items', async () => {
    const orders = await buyer.client
      .from('orders')
      .select('id, status, total_amount')
      .eq('id', order.id);
    const items = await buyer.client
      .from('order_items')
      .select('id, unit_amount')
      .eq('order_id', order.id);

    expect(orders.error).toBeNull();
    expect(orders.data).toEqual([{ id: order.id, status: 'paid', total_amount: 1500 }]);
    expect(items.error).toBeNull();
    expect(items.data).toEqual([{ id: order.items[0].id, unit_amount: 1500 }]);
  });

  test('another buyer sees none of it', async () => {
    const orders = await otherBuyer.client.from('orders').select('id').eq('id', order.id);
    const items = await otherBuyer.client.from('order_items').select('id').eq('order_id', order.id);
    const purchases = await otherBuyer.client
      .from('purchases')
      .select('id')
      .eq('order_item_id', order.items[0].id);

    expect(orders.data).toEqual([]);
    expect(items.data).toEqual([]);
    expect(purchases.data).toEqual([]);
  });

  test('admin reads every order and its events', async () => {
    const orders = await admin.client.from('orders').select('id, user_id').eq('id', order.id);
    const events = await admin.client
      .from('payment_events')
      .select('event_type, result')
      .eq('order_id', order.id);

    expect(orders.data).toEqual([{ id: order.id, user_id: buyer.id }]);
    expect(events.data).toEqual([{ event_type: 'checkout.session.completed', result: 'granted' }]);
  });

  test('buyer cannot read payment events, even of their own order', async () => {
    const events = await buyer.client.from('payment_events').select('id').eq('order_id', order.id);

    expect(events.error).toBeNull();
    expect(events.data).toEqual([]);
  });

  test.each(['orders', 'order_items', 'payment_events', 'manual_payments'])(
    'anon is denied %s',
    async (table) => {
      const result = await newClient(env.SUPABASE_ANON_KEY).from(table).select('*');

      expect(result.status).toBe(401);
      expect(result.error?.code).toBe('42501');
      expect(result.error?.message).toBe(`permission denied for table ${table}`);
    }
  );
});

describe('forged writes', () => {
  test('buyer cannot insert a paid order', async () => {
    const result = await buyer.client.from('orders').insert({
      user_id: buyer.id,
      status: 'paid',
      provider: 'manual',
      currency: 'USD',
      total_amount: 1,
      reference: 'BRK-AAAAAA'
    });

    expect(result.status).toBe(403);
    expect(result.error?.code).toBe('42501');
    expect(result.error?.message).toBe('permission denied for table orders');
  });

  test('buyer cannot insert a purchase', async () => {
    const result = await buyer.client
      .from('purchases')
      .insert({ user_id: buyer.id, product_id: productId });

    expect(result.status).toBe(403);
    expect(result.error?.code).toBe('42501');
    expect(result.error?.message).toBe('permission denied for table purchases');
  });

  test('buyer cannot mark their order paid', async () => {
    const pending = await createOrder(buyer.id, 'manual', [(await createProduct()).id]);

    const result = await buyer.client
      .from('orders')
      .update({ status: 'paid' })
      .eq('id', pending.id);

    expect(result.error?.code).toBe('42501');
    expect(result.error?.message).toBe('permission denied for table orders');
    const { rows } = await db.query('select status from public.orders where id = $1', [pending.id]);
    expect(rows[0].status).toBe('awaiting_payment');
  });

  test('buyer cannot insert order items', async () => {
    const result = await buyer.client.from('order_items').insert({
      order_id: order.id,
      product_id: productId,
      title: 'x',
      unit_amount: 1,
      currency: 'USD',
      position: 1
    });

    expect(result.error?.code).toBe('42501');
    expect(result.error?.message).toBe('permission denied for table order_items');
  });

  test.each([
    [
      'record_payment_event',
      {
        p_provider: 'manual',
        p_event_id: 'forged',
        p_event_type: 'x',
        p_action: 'payment_succeeded',
        p_payload: {}
      }
    ],
    [
      'create_order',
      { p_user_id: '00000000-0000-4000-8000-000000000000', p_provider: 'manual', p_product_ids: [] }
    ],
    [
      'review_manual_payment',
      {
        p_admin_id: '00000000-0000-4000-8000-000000000000',
        p_order_id: '00000000-0000-4000-8000-000000000000',
        p_decision: 'approved'
      }
    ]
  ])('buyer cannot call %s', async (name, args) => {
    const result = await buyer.client.rpc(name, args);

    expect(result.error?.code).toBe('42501');
    expect(result.error?.message).toBe(`permission denied for function ${name}`);
  });

  test('service role cannot write orders directly either', async () => {
    const result = await serviceClient.from('orders').update({ status: 'paid' }).eq('id', order.id);

    expect(result.error?.code).toBe('42501');
    expect(result.error?.message).toBe('permission denied for table orders');
  });
});

/**
 * Hostile calls to the Edge Functions: access tokens of sessions the buyer already signed out
 * of, Midtrans notifications whose signed fields are reused with another transaction_status,
 * and request bodies that never end. Each case makes its own buyer, product and order.
 */
import http from 'node:http';
import { afterAll, describe, expect, test } from 'vitest';
import {
  callFunction,
  createOrder,
  createProduct,
  createUser,
  db,
  env,
  orderState,
  postMidtrans,
  type TestUser
} from './payments-fixtures.ts';

afterAll(async () => {
  await db.end();
});

/** Creates a buyer and signs them out everywhere, keeping the access token they had. */
async function signedOutBuyer(label: string): Promise<TestUser> {
  const buyer = await createUser(label);
  const { error } = await buyer.client.auth.signOut({ scope: 'global' });
  expect(error).toBeNull();
  return buyer;
}

describe('access token of a signed-out session', () => {
  const SEEDED_FILE_ID = '20000000-0000-4000-8000-000000000001';
  const SEEDED_PRODUCT_ID = '10000000-0000-4000-8000-000000000004';

  test('download answers 401 invalid_token', async () => {
    const buyer = await signedOutBuyer('attack-signed-out-download');

    const response = await callFunction('download', { file_id: SEEDED_FILE_ID }, buyer);

    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('invalid_token');
  });

  test('checkout answers 401 invalid_token and creates no order', async () => {
    const buyer = await signedOutBuyer('attack-signed-out-checkout');

    const response = await callFunction(
      'checkout',
      { items: [{ product_id: SEEDED_PRODUCT_ID }], provider: 'manual' },
      buyer
    );

    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('invalid_token');
    const { rows } = await db.query('select id from public.orders where user_id = $1', [buyer.id]);
    expect(rows).toEqual([]);
  });

  test('manual payment proof answers 401 invalid_token', async () => {
    const buyer = await signedOutBuyer('attack-signed-out-proof');

    const response = await callFunction(
      'manual-payment/proof',
      { order_id: SEEDED_PRODUCT_ID, proof_path: `${buyer.id}/${SEEDED_PRODUCT_ID}/proof.png` },
      buyer
    );

    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('invalid_token');
  });
});

describe('Midtrans notification with a reused signature', () => {
  /** Creates a Midtrans order and the notification fields Midtrans sends for a bank transfer. */
  async function midtransOrder(label: string) {
    const buyer = await createUser(label);
    const product = await createProduct({ currency: 'IDR', price: 1_000_000 });
    const order = await createOrder(buyer.id, 'midtrans', [product.id]);
    const fields = {
      order_id: order.id,
      transaction_id: `attack-${order.id}`,
      status_message: 'midtrans payment notification',
      gross_amount: (order.total_amount / 100).toFixed(2),
      payment_type: 'bank_transfer',
      currency: 'IDR',
      transaction_time: '2026-12-04 21:00:00'
    };
    return { order, fields };
  }

  test('pending status code claiming settlement is rejected unstored', async () => {
    const { order, fields } = await midtransOrder('attack-midtrans-settlement');

    // Midtrans signs a pending notification with status_code 201; transaction_status is unsigned.
    const result = await postMidtrans({
      ...fields,
      status_code: '201',
      transaction_status: 'settlement'
    });

    expect(result.status).toBe(400);
    expect(result.body.error?.code).toBe('invalid_notification');
    const state = await orderState(order.id);
    expect(state.status).toBe('pending');
    expect(state.paid).toBe(false);
    expect(state.purchases).toBe(0);
    expect(state.events).toBe(0);
  });

  test('challenged capture relabelled as accepted is rejected unstored', async () => {
    const { order, fields } = await midtransOrder('attack-midtrans-capture');

    // A challenged card capture carries status_code 201; fraud_status is unsigned too.
    const result = await postMidtrans({
      ...fields,
      payment_type: 'credit_card',
      status_code: '201',
      transaction_status: 'capture',
      fraud_status: 'accept'
    });

    expect(result.status).toBe(400);
    expect(result.body.error?.code).toBe('invalid_notification');
    const state = await orderState(order.id);
    expect(state.status).toBe('pending');
    expect(state.purchases).toBe(0);
    expect(state.events).toBe(0);
  });

  test('genuine pending notification is still stored', async () => {
    const { order, fields } = await midtransOrder('attack-midtrans-pending');

    const result = await postMidtrans({
      ...fields,
      status_code: '201',
      transaction_status: 'pending'
    });

    expect(result.status).toBe(200);
    expect(result.body.outcome).toBe('ignored');
    const state = await orderState(order.id);
    expect(state.status).toBe('pending');
    expect(state.events).toBe(1);
  });
});

describe('chunked body that never ends', () => {
  /**
   * Sends 600 KiB as a chunked body without Content-Length and never ends it, then returns the
   * response. A function that buffers the whole body before checking its size never responds.
   */
  function postUnendingBody(path: string, accessToken: string | null) {
    const url = new URL(`/functions/v1/${path}`, env.SUPABASE_URL);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'transfer-encoding': 'chunked'
    };
    if (accessToken) headers.authorization = `Bearer ${accessToken}`;

    return new Promise<{ status: number; body: { error?: { code: string } } }>(
      (resolve, reject) => {
        const req = http.request(
          { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () => {
              req.destroy();
              resolve({
                status: res.statusCode ?? 0,
                body: JSON.parse(Buffer.concat(chunks).toString())
              });
            });
          }
        );
        req.on('error', reject);
        req.write(Buffer.alloc(600 * 1024, 0x20));
      }
    );
  }

  test('download rejects it with 413 before it ends', async () => {
    const buyer = await createUser('attack-unending-download');

    const response = await postUnendingBody('download', buyer.accessToken);

    expect(response.status).toBe(413);
    expect(response.body.error?.code).toBe('payload_too_large');
  });

  test('checkout rejects it with 413 before it ends', async () => {
    const buyer = await createUser('attack-unending-checkout');

    const response = await postUnendingBody('checkout', buyer.accessToken);

    expect(response.status).toBe(413);
    expect(response.body.error?.code).toBe('payload_too_large');
  });

  test('Midtrans webhook rejects it with 413 before it ends', async () => {
    const response = await postUnendingBody('payment-webhook/midtrans', null);

    expect(response.status).toBe(413);
    expect(response.body.error?.code).toBe('payload_too_large');
  });
});

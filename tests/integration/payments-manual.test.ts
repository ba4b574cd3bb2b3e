/**
 * Bank-transfer payments. The buyer uploads a proof to the private `payment-proofs` bucket and
 * submits it. An admin approves it, which grants through the webhooks' state machine, or rejects
 * it with a reason. Every other caller is rejected.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  callFunction,
  createOrder,
  createProduct,
  createUser,
  db,
  orderState,
  type OrderSummary,
  type TestUser
} from './payments-fixtures.ts';

const BUCKET = 'payment-proofs';
/** A 1×1 transparent PNG, the smallest believable screenshot of a transfer. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64'
);

let buyer: TestUser;
let otherBuyer: TestUser;
let admin: TestUser;

beforeAll(async () => {
  [buyer, otherBuyer, admin] = await Promise.all([
    createUser('manual-buyer'),
    createUser('manual-other-buyer'),
    createUser('manual-admin', 'admin')
  ]);
});

afterAll(async () => {
  await db.end();
});

async function manualOrder(): Promise<OrderSummary> {
  const product = await createProduct({ currency: 'IDR', price: 2_500_000 });
  return createOrder(buyer.id, 'manual', [product.id]);
}

async function uploadProof(user: TestUser, path: string) {
  return user.client.storage
    .from(BUCKET)
    .upload(path, new Blob([PNG], { type: 'image/png' }), { contentType: 'image/png' });
}

/** Creates an order with its proof uploaded and submitted, ready for review. */
async function submittedOrder(): Promise<{ order: OrderSummary; proofPath: string }> {
  const order = await manualOrder();
  const proofPath = `${buyer.id}/${order.id}/transfer.png`;
  const upload = await uploadProof(buyer, proofPath);
  expect(upload.error).toBeNull();
  const submitted = await callFunction(
    'manual-payment/proof',
    { order_id: order.id, proof_path: proofPath },
    buyer
  );
  expect(submitted.status).toBe(200);
  return { order, proofPath };
}

async function proofRow(orderId: string) {
  const { rows } = await db.query(
    'select proof_path, reviewed_by, reviewed_at, decision, reject_reason from public.manual_payments where order_id = $1',
    [orderId]
  );
  return rows[0];
}

describe('proof submission', () => {
  test('buyer submits an uploaded proof', async () => {
    const order = await manualOrder();
    const proofPath = `${buyer.id}/${order.id}/transfer.png`;
    expect((await uploadProof(buyer, proofPath)).error).toBeNull();

    const { status, body } = await callFunction(
      'manual-payment/proof',
      { order_id: order.id, proof_path: proofPath },
      buyer
    );

    expect(status).toBe(200);
    expect(body).toEqual({
      order_id: order.id,
      proof_path: proofPath,
      submitted_at: expect.any(String)
    });
    expect(await proofRow(order.id)).toMatchObject({
      proof_path: proofPath,
      decision: null,
      reviewed_by: null
    });
  });

  test('proof that was never uploaded is not found', async () => {
    const order = await manualOrder();
    const proofPath = `${buyer.id}/${order.id}/missing.png`;

    const { status, body } = await callFunction(
      'manual-payment/proof',
      { order_id: order.id, proof_path: proofPath },
      buyer
    );

    expect(status).toBe(404);
    expect(body.error.code).toBe('proof_not_found');
  });

  test('proof outside the buyer folder is invalid', async () => {
    const order = await manualOrder();

    const { status, body } = await callFunction(
      'manual-payment/proof',
      { order_id: order.id, proof_path: `${otherBuyer.id}/${order.id}/transfer.png` },
      buyer
    );

    expect(status).toBe(400);
    expect(body.error.code).toBe('invalid_proof_path');
  });

  test('another buyer cannot submit for the order', async () => {
    const order = await manualOrder();

    const { status, body } = await callFunction(
      'manual-payment/proof',
      { order_id: order.id, proof_path: `${otherBuyer.id}/${order.id}/transfer.png` },
      otherBuyer
    );

    expect(status).toBe(404);
    expect(body.error.code).toBe('order_not_found');
  });

  test('stripe order takes no proof', async () => {
    const product = await createProduct({ currency: 'USD' });
    const order = await createOrder(buyer.id, 'stripe', [product.id]);

    const { status, body } = await callFunction(
      'manual-payment/proof',
      { order_id: order.id, proof_path: `${buyer.id}/${order.id}/transfer.png` },
      buyer
    );

    expect(status).toBe(409);
    expect(body.error.code).toBe('not_manual_order');
  });
});

describe('proof storage', () => {
  test('buyer cannot upload into another buyer folder', async () => {
    const order = await manualOrder();

    const upload = await uploadProof(otherBuyer, `${buyer.id}/${order.id}/forged.png`);

    expect(upload.data).toBeNull();
    expect(upload.error?.message).toBe('new row violates row-level security policy');
    expect((upload.error as { statusCode?: string }).statusCode).toBe('403');
  });

  test('buyer cannot upload for an order that is not theirs', async () => {
    const order = await manualOrder();

    const upload = await uploadProof(otherBuyer, `${otherBuyer.id}/${order.id}/forged.png`);

    expect(upload.data).toBeNull();
    expect(upload.error?.message).toBe('new row violates row-level security policy');
    expect((upload.error as { statusCode?: string }).statusCode).toBe('403');
  });

  test('owner and admin read the proof, another buyer cannot', async () => {
    const { proofPath } = await submittedOrder();

    const own = await buyer.client.storage.from(BUCKET).download(proofPath);
    const byAdmin = await admin.client.storage.from(BUCKET).download(proofPath);
    const byOther = await otherBuyer.client.storage.from(BUCKET).download(proofPath);

    expect(own.error).toBeNull();
    expect(Buffer.from(await own.data!.arrayBuffer()).equals(PNG)).toBe(true);
    expect(byAdmin.error).toBeNull();
    expect(byOther.data).toBeNull();
    expect(byOther.error?.message).toBe('Object not found');
    expect((byOther.error as { statusCode?: string }).statusCode).toBe('404');
  });
});

describe('review', () => {
  test('admin approval grants the order', async () => {
    const { order } = await submittedOrder();

    const { status, body } = await callFunction(
      'manual-payment/approve',
      { order_id: order.id },
      admin
    );

    expect(status).toBe(200);
    expect(body).toEqual({
      order_id: order.id,
      decision: 'approved',
      outcome: 'granted',
      order_status: 'paid'
    });
    const state = await orderState(order.id);
    expect(state).toMatchObject({
      status: 'paid',
      paid: true,
      purchases: 1,
      revoked: 0,
      events: 1
    });
    const proof = await proofRow(order.id);
    expect(proof.decision).toBe('approved');
    expect(proof.reviewed_by).toBe(admin.id);
    expect(proof.reviewed_at).toBeInstanceOf(Date);
    const { rows } = await db.query(
      'select provider, event_type, result from public.payment_events where order_id = $1',
      [order.id]
    );
    expect(rows).toEqual([
      { provider: 'manual', event_type: 'manual_payment.approved', result: 'granted' }
    ]);
  });

  test('buyer approval is rejected', async () => {
    const { order } = await submittedOrder();

    const { status, body } = await callFunction(
      'manual-payment/approve',
      { order_id: order.id },
      buyer
    );

    expect(status).toBe(403);
    expect(body).toEqual({
      error: { code: 'not_admin', message: 'Only an admin can review bank-transfer payments.' }
    });
    expect(await orderState(order.id)).toMatchObject({
      status: 'awaiting_payment',
      purchases: 0,
      events: 0
    });
    expect((await proofRow(order.id)).decision).toBeNull();
  });

  test('buyer rejection is rejected', async () => {
    const { order } = await submittedOrder();

    const { status, body } = await callFunction(
      'manual-payment/reject',
      { order_id: order.id, reason: 'no' },
      buyer
    );

    expect(status).toBe(403);
    expect(body.error.code).toBe('not_admin');
  });

  test('rejection without a reason is invalid', async () => {
    const { order } = await submittedOrder();

    const { status, body } = await callFunction(
      'manual-payment/reject',
      { order_id: order.id, reason: '   ' },
      admin
    );

    expect(status).toBe(400);
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.message).toContain('tell the buyer why the transfer was not accepted');
    expect((await proofRow(order.id)).decision).toBeNull();
  });

  test('rejection records the reason and fails the order', async () => {
    const { order, proofPath } = await submittedOrder();
    const reason = 'No transfer with reference ' + order.reference + ' reached the account.';

    const { status, body } = await callFunction(
      'manual-payment/reject',
      { order_id: order.id, reason },
      admin
    );

    expect(status).toBe(200);
    expect(body).toEqual({
      order_id: order.id,
      decision: 'rejected',
      outcome: 'closed',
      order_status: 'failed'
    });
    expect(await proofRow(order.id)).toMatchObject({
      decision: 'rejected',
      reject_reason: reason,
      reviewed_by: admin.id
    });
    expect(await orderState(order.id)).toMatchObject({ status: 'failed', purchases: 0 });

    const again = await callFunction(
      'manual-payment/proof',
      { order_id: order.id, proof_path: proofPath },
      buyer
    );
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('order_not_awaiting_payment');
  });

  test('second review is a conflict', async () => {
    const { order } = await submittedOrder();
    expect(
      (await callFunction('manual-payment/approve', { order_id: order.id }, admin)).status
    ).toBe(200);

    const { status, body } = await callFunction(
      'manual-payment/reject',
      { order_id: order.id, reason: 'Too late.' },
      admin
    );

    expect(status).toBe(409);
    expect(body.error.code).toBe('already_reviewed');
    expect(await orderState(order.id)).toMatchObject({ status: 'paid', purchases: 1, revoked: 0 });
  });

  test('approval without a proof is a conflict', async () => {
    const order = await manualOrder();

    const { status, body } = await callFunction(
      'manual-payment/approve',
      { order_id: order.id },
      admin
    );

    expect(status).toBe(409);
    expect(body.error.code).toBe('proof_missing');
  });

  test('unknown order is not found', async () => {
    const { status, body } = await callFunction(
      'manual-payment/approve',
      { order_id: '00000000-0000-4000-8000-00000000beef' },
      admin
    );

    expect(status).toBe(404);
    expect(body.error.code).toBe('order_not_found');
  });
});

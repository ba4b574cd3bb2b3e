/**
 * Unit tests of the manual-payment handler with in-memory dependencies: who may submit and
 * review, request validation and the mapping of database rejections.
 * Run: deno test --config supabase/functions/deno.json
 */
import assert from 'node:assert/strict';
import type { Caller } from '../_shared/payments/caller.ts';
import { OrderError } from '../_shared/payments/errors.ts';
import { createManualPaymentHandler, type ManualPaymentDeps } from './handler.ts';

const ORDER_ID = '7b0c1d5e-8f8e-4b4e-9d53-0d4c1b1f4a11';
const callers: Record<string, Caller> = {
  'buyer-token': { id: 'buyer', email: 'b@example.com', isAdmin: false },
  'admin-token': { id: 'admin', email: 'a@example.com', isAdmin: true },
};

function fakeDeps(overrides: Partial<ManualPaymentDeps> = {}) {
  const reviews: { adminId: string; decision: string; reason: string | null }[] = [];
  const deps: ManualPaymentDeps = {
    getCaller: (token) => Promise.resolve(callers[token] ?? null),
    submitProof: (_user, orderId, proofPath) =>
      Promise.resolve({
        order_id: orderId,
        proof_path: proofPath,
        submitted_at: '2026-12-04T10:00:00Z',
      }),
    review: (adminId, orderId, decision, reason) => {
      reviews.push({ adminId, decision, reason });
      return Promise.resolve({
        order_id: orderId,
        decision,
        outcome: decision === 'approved' ? 'granted' : 'closed',
        order_status: decision === 'approved' ? 'paid' : 'failed',
      });
    },
    logError: () => {},
    ...overrides,
  };
  return { deps, reviews };
}

function post(action: string, body: unknown, token: string | null): Request {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  return new Request(`http://127.0.0.1/manual-payment/${action}`, {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
  });
}

async function errorCode(response: Response): Promise<string> {
  return (await response.json()).error.code;
}

Deno.test('buyer approval is forbidden before any review', async () => {
  const { deps, reviews } = fakeDeps();

  const response = await createManualPaymentHandler(deps)(
    post('approve', { order_id: ORDER_ID }, 'buyer-token'),
  );

  assert.equal(response.status, 403);
  assert.equal(await errorCode(response), 'not_admin');
  assert.equal(reviews.length, 0);
});

Deno.test('admin approval is recorded with the admin id', async () => {
  const { deps, reviews } = fakeDeps();

  const response = await createManualPaymentHandler(deps)(
    post('approve', { order_id: ORDER_ID }, 'admin-token'),
  );

  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), {
    order_id: ORDER_ID,
    decision: 'approved',
    outcome: 'granted',
    order_status: 'paid',
  });
  assert.deepEqual(reviews, [{ adminId: 'admin', decision: 'approved', reason: null }]);
});

const badRejections: [string, unknown][] = [
  ['missing reason', { order_id: ORDER_ID }],
  ['blank reason', { order_id: ORDER_ID, reason: '   ' }],
  ['overlong reason', { order_id: ORDER_ID, reason: 'x'.repeat(501) }],
];

for (const [name, body] of badRejections) {
  Deno.test(`rejection with a ${name} is invalid`, async () => {
    const { deps, reviews } = fakeDeps();

    const response = await createManualPaymentHandler(deps)(post('reject', body, 'admin-token'));

    assert.equal(response.status, 400);
    assert.equal(await errorCode(response), 'invalid_request');
    assert.equal(reviews.length, 0);
  });
}

Deno.test('rejection reason is trimmed', async () => {
  const { deps, reviews } = fakeDeps();

  await createManualPaymentHandler(deps)(
    post('reject', { order_id: ORDER_ID, reason: '  Amount too low.  ' }, 'admin-token'),
  );

  assert.deepEqual(reviews, [{
    adminId: 'admin',
    decision: 'rejected',
    reason: 'Amount too low.',
  }]);
});

Deno.test('proof path with .. is invalid', async () => {
  const { deps } = fakeDeps();

  const response = await createManualPaymentHandler(deps)(
    post('proof', { order_id: ORDER_ID, proof_path: `buyer/${ORDER_ID}/../x.png` }, 'buyer-token'),
  );

  assert.equal(response.status, 400);
  assert.equal(await errorCode(response), 'invalid_request');
});

Deno.test('rejection from the database keeps its status', async () => {
  const { deps } = fakeDeps({
    submitProof: () => Promise.reject(new OrderError('proof_not_found', 'No file.')),
  });

  const response = await createManualPaymentHandler(deps)(
    post('proof', { order_id: ORDER_ID, proof_path: `buyer/${ORDER_ID}/x.png` }, 'buyer-token'),
  );

  assert.equal(response.status, 404);
  assert.equal(await errorCode(response), 'proof_not_found');
});

Deno.test('request without a token returns 401', async () => {
  const { deps } = fakeDeps();

  const response = await createManualPaymentHandler(deps)(
    post('approve', { order_id: ORDER_ID }, null),
  );

  assert.equal(response.status, 401);
  assert.equal(await errorCode(response), 'missing_authorization');
});

Deno.test('unknown action returns 404', async () => {
  const { deps } = fakeDeps();

  const response = await createManualPaymentHandler(deps)(post('refund', {}, 'admin-token'));

  assert.equal(response.status, 404);
  assert.equal(await errorCode(response), 'not_found');
});

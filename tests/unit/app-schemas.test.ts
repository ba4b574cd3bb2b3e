import { describe, expect, it } from 'vitest';
import { checkoutResponseSchema, orderSchema, purchaseSchema } from '../../src/lib/schemas';

const ORDER_ROW = {
  id: 'c0000000-0000-4000-8000-000000000001',
  user_id: 'b0000000-0000-4000-8000-000000000001',
  status: 'awaiting_payment',
  provider: 'manual',
  currency: 'IDR',
  total_amount: 7500000,
  reference: 'BRK-7Q2M9X',
  created_at: '2026-12-04T14:25:00.123456+00:00',
  paid_at: null,
  order_items: [
    {
      id: 'd0000000-0000-4000-8000-000000000001',
      product_id: '10000000-0000-4000-8000-000000000001',
      title: 'Shared MIME-info Database Specification',
      unit_amount: 7500000,
      currency: 'IDR',
      status: 'pending'
    }
  ]
};

const PROOF = {
  order_id: ORDER_ROW.id,
  proof_path: `${ORDER_ROW.user_id}/${ORDER_ROW.id}/transfer.png`,
  submitted_at: '2026-12-04T14:26:00+00:00',
  reviewed_at: null,
  decision: null,
  reject_reason: null
};

describe('orderSchema', () => {
  it('reads a one-to-one proof embedded as an object', () => {
    const order = orderSchema.parse({ ...ORDER_ROW, manual_payments: PROOF });

    expect(order.manual_payments).toEqual(PROOF);
  });

  it('reads a proof embedded as a list', () => {
    const order = orderSchema.parse({ ...ORDER_ROW, manual_payments: [PROOF] });

    expect(order.manual_payments).toEqual(PROOF);
  });

  it('reads an order without a proof', () => {
    expect(orderSchema.parse({ ...ORDER_ROW, manual_payments: null }).manual_payments).toBeNull();
    expect(orderSchema.parse({ ...ORDER_ROW, manual_payments: [] }).manual_payments).toBeNull();
    expect(orderSchema.parse(ORDER_ROW).manual_payments).toBeNull();
  });

  it('rejects an unknown status', () => {
    expect(orderSchema.safeParse({ ...ORDER_ROW, status: 'lost' }).success).toBe(false);
  });
});

describe('purchaseSchema', () => {
  it('accepts a purchase whose payment is still pending', () => {
    const purchase = purchaseSchema.parse({
      id: '30000000-0000-4000-8000-000000000009',
      granted_at: null,
      expires_at: null,
      revoked_at: null,
      revoke_reason: null,
      suspended_at: null,
      download_limit: 5,
      download_count: 0,
      product: null
    });

    expect(purchase.granted_at).toBeNull();
  });
});

describe('checkoutResponseSchema', () => {
  it('reads a redirect for a hosted checkout', () => {
    const parsed = checkoutResponseSchema.parse({
      order_id: ORDER_ROW.id,
      amount: 450,
      currency: 'USD',
      provider: 'stripe',
      redirect_url: 'http://127.0.0.1:54329/checkout/cs_test_1'
    });

    expect(parsed.redirect_url).toBe('http://127.0.0.1:54329/checkout/cs_test_1');
    expect(parsed.instructions).toBeUndefined();
  });

  it('reads bank-transfer instructions', () => {
    const instructions = {
      bank_name: 'Bank Demo Indonesia',
      account_name: 'PT Brankas Digital Demo',
      account_number: '1234567890',
      reference: 'BRK-7Q2M9X',
      amount: 7500000,
      currency: 'IDR'
    };

    const parsed = checkoutResponseSchema.parse({
      order_id: ORDER_ROW.id,
      amount: 7500000,
      currency: 'IDR',
      provider: 'manual',
      instructions
    });

    expect(parsed.instructions).toEqual(instructions);
  });
});

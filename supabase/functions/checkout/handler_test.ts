/**
 * Unit tests of the checkout handler with in-memory dependencies: request validation,
 * unconfigured providers, rejections from the database and gateway failures.
 * Run: deno test --config supabase/functions/deno.json
 */
import assert from 'node:assert/strict';
import { OrderError } from '../_shared/payments/errors.ts';
import { type CheckoutDeps, createCheckoutHandler, type CreatedOrder } from './handler.ts';
import { GatewayError, orderPageUrl, stripeConnectionOptions } from './providers.ts';

const TOKEN = 'buyer-token';
const PRODUCT_A = '10000000-0000-4000-8000-00000000000a';
const PRODUCT_B = '10000000-0000-4000-8000-00000000000b';
const ORDER: CreatedOrder = {
  id: '7b0c1d5e-8f8e-4b4e-9d53-0d4c1b1f4a11',
  reference: 'BRK-7Q2M9X',
  status: 'pending',
  currency: 'IDR',
  total_amount: 1_000_000,
  items: [{ id: 'i1', product_id: PRODUCT_A, title: 'A', unit_amount: 1_000_000 }],
};

const FULL_ENV: Record<string, string> = {
  SITE_URL: 'http://127.0.0.1:5173',
  STRIPE_SECRET_KEY: 'sk_test_x',
  MIDTRANS_SERVER_KEY: 'SB-Mid-server-x',
  MIDTRANS_CLIENT_KEY: 'SB-Mid-client-x',
  MIDTRANS_SNAP_URL: 'http://127.0.0.1:54329',
  BANK_TRANSFER_BANK_NAME: 'Bank',
  BANK_TRANSFER_ACCOUNT_NAME: 'Name',
  BANK_TRANSFER_ACCOUNT_NUMBER: '123',
};

function fakeDeps(overrides: Partial<CheckoutDeps> = {}, env: Record<string, string> = FULL_ENV) {
  const calls = { created: 0, failed: [] as string[], attached: [] as string[] };
  const deps: CheckoutDeps = {
    getCaller: (token) =>
      Promise.resolve(
        token === TOKEN ? { id: 'u1', email: 'b@example.com', isAdmin: false } : null,
      ),
    createOrder: (_user, provider) => {
      calls.created++;
      return Promise.resolve({
        ...ORDER,
        status: provider === 'manual' ? 'awaiting_payment' : 'pending',
      });
    },
    attachSession: (_order, session) => {
      calls.attached.push(session);
      return Promise.resolve();
    },
    failCheckout: (_order, reason) => {
      calls.failed.push(reason);
      return Promise.resolve();
    },
    openStripeCheckout: () =>
      Promise.resolve({ sessionId: 'cs_test_1', redirectUrl: 'http://sandbox/pay/cs_test_1' }),
    openSnapTransaction: () =>
      Promise.resolve({ token: 'snap-1', redirectUrl: 'http://sandbox/pay/snap-1' }),
    env: (name) => env[name],
    logError: () => {},
    ...overrides,
  };
  return { deps, calls };
}

function post(body: unknown, token: string | null = TOKEN): Request {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  return new Request('http://127.0.0.1/checkout', {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
  });
}

async function errorOf(response: Response) {
  return (await response.json()).error as { code: string; message: string };
}

const unconfigured: [string, string, string][] = [
  ['stripe', 'STRIPE_SECRET_KEY', 'STRIPE_SECRET_KEY'],
  ['stripe', 'SITE_URL', 'SITE_URL'],
  ['midtrans', 'MIDTRANS_SERVER_KEY', 'MIDTRANS_SERVER_KEY'],
  ['midtrans', 'MIDTRANS_CLIENT_KEY', 'MIDTRANS_CLIENT_KEY'],
  ['midtrans', 'MIDTRANS_SNAP_URL', 'MIDTRANS_SNAP_URL'],
  ['manual', 'BANK_TRANSFER_ACCOUNT_NUMBER', 'BANK_TRANSFER_ACCOUNT_NUMBER'],
];

for (const [provider, removed, named] of unconfigured) {
  Deno.test(`${provider} without ${removed} is not configured`, async () => {
    const env = { ...FULL_ENV };
    delete env[removed];
    const { deps, calls } = fakeDeps({}, env);

    const response = await createCheckoutHandler(deps)(
      post({ items: [{ product_id: PRODUCT_A }], provider }),
    );

    assert.equal(response.status, 422);
    const error = await errorOf(response);
    assert.equal(error.code, 'provider_not_configured');
    assert.match(error.message, new RegExp(`set ${named}`));
    assert.equal(calls.created, 0);
  });
}

Deno.test('blank variable counts as not configured', async () => {
  const { deps } = fakeDeps({}, { ...FULL_ENV, STRIPE_SECRET_KEY: '  ' });

  const response = await createCheckoutHandler(deps)(
    post({ items: [{ product_id: PRODUCT_A }], provider: 'stripe' }),
  );

  assert.equal((await errorOf(response)).code, 'provider_not_configured');
});

const invalidBodies: [string, unknown, number, string][] = [
  ['empty cart', { items: [], provider: 'stripe' }, 400, 'cart_empty'],
  [
    'duplicate product',
    {
      items: [{ product_id: PRODUCT_A }, { product_id: PRODUCT_A.toUpperCase() }],
      provider: 'stripe',
    },
    400,
    'cart_duplicate_product',
  ],
  [
    'product id that is not a UUID',
    { items: [{ product_id: 'abc' }], provider: 'stripe' },
    400,
    'invalid_request',
  ],
  [
    'unknown provider',
    { items: [{ product_id: PRODUCT_A }], provider: 'paypal' },
    400,
    'invalid_request',
  ],
  ['missing items', { provider: 'stripe' }, 400, 'invalid_request'],
  [
    'too many products',
    { items: Array.from({ length: 51 }, () => ({ product_id: PRODUCT_B })), provider: 'stripe' },
    400,
    'invalid_request',
  ],
];

for (const [name, body, status, code] of invalidBodies) {
  Deno.test(`checkout rejects ${name}`, async () => {
    const { deps, calls } = fakeDeps();

    const response = await createCheckoutHandler(deps)(post(body));

    assert.equal(response.status, status);
    assert.equal((await errorOf(response)).code, code);
    assert.equal(calls.created, 0);
  });
}

Deno.test('checkout without a token returns 401', async () => {
  const { deps } = fakeDeps();

  const response = await createCheckoutHandler(deps)(post({ items: [], provider: 'manual' }, null));

  assert.equal(response.status, 401);
  assert.equal((await errorOf(response)).code, 'missing_authorization');
});

Deno.test('checkout with a rejected token returns 401', async () => {
  const { deps } = fakeDeps();

  const response = await createCheckoutHandler(deps)(
    post({ items: [{ product_id: PRODUCT_A }], provider: 'manual' }, 'expired'),
  );

  assert.equal(response.status, 401);
  assert.equal((await errorOf(response)).code, 'invalid_token');
});

Deno.test('rejection from the database keeps its status and code', async () => {
  const { deps } = fakeDeps({
    createOrder: () =>
      Promise.reject(new OrderError('already_owned', 'You already own "A" for life.')),
  });

  const response = await createCheckoutHandler(deps)(
    post({ items: [{ product_id: PRODUCT_A }], provider: 'manual' }),
  );

  assert.equal(response.status, 409);
  assert.deepEqual(await errorOf(response), {
    code: 'already_owned',
    message: 'You already own "A" for life.',
  });
});

Deno.test('stripe checkout attaches the session and returns its URL', async () => {
  const { deps, calls } = fakeDeps();

  const response = await createCheckoutHandler(deps)(
    post({ items: [{ product_id: PRODUCT_A }], provider: 'stripe' }),
  );

  assert.equal(response.status, 201);
  assert.deepEqual(await response.json(), {
    order_id: ORDER.id,
    reference: 'BRK-7Q2M9X',
    status: 'pending',
    amount: 1_000_000,
    currency: 'IDR',
    provider: 'stripe',
    redirect_url: 'http://sandbox/pay/cs_test_1',
  });
  assert.deepEqual(calls.attached, ['cs_test_1']);
});

Deno.test('gateway failure closes the order and returns 502', async () => {
  const { deps, calls } = fakeDeps({
    openSnapTransaction: () => Promise.reject(new GatewayError('midtrans', 'returned 500')),
  });

  const response = await createCheckoutHandler(deps)(
    post({ items: [{ product_id: PRODUCT_A }], provider: 'midtrans' }),
  );

  assert.equal(response.status, 502);
  assert.equal((await errorOf(response)).code, 'provider_error');
  assert.equal(calls.failed.length, 1);
  assert.deepEqual(calls.attached, []);
});

Deno.test('unexpected failure returns 500 without detail', async () => {
  const { deps } = fakeDeps({ createOrder: () => Promise.reject(new Error('relation missing')) });

  const response = await createCheckoutHandler(deps)(
    post({ items: [{ product_id: PRODUCT_A }], provider: 'manual' }),
  );

  assert.equal(response.status, 500);
  const error = await errorOf(response);
  assert.equal(error.code, 'internal_error');
  assert.equal(error.message.includes('relation'), false);
});

Deno.test('STRIPE_API_BASE becomes the SDK connection options', () => {
  assert.deepEqual(stripeConnectionOptions('http://127.0.0.1:54329'), {
    host: '127.0.0.1',
    port: 54329,
    protocol: 'http',
  });
  assert.deepEqual(stripeConnectionOptions('https://api.stripe.com'), {
    host: 'api.stripe.com',
    port: 443,
    protocol: 'https',
  });
  assert.deepEqual(stripeConnectionOptions(undefined), {});
  assert.throws(() => stripeConnectionOptions('ftp://example.com'), /must start with http/);
  assert.throws(() => stripeConnectionOptions('not a url'), /is not a URL/);
});

Deno.test('order page URL ignores a trailing slash on SITE_URL', () => {
  assert.equal(orderPageUrl('http://127.0.0.1:5173/', 'o1'), 'http://127.0.0.1:5173/orders/o1');
});

/**
 * Factories and clients shared by the payments and webhook suites. Buyers and products are the
 * suites' own, so other suites' rows never change a count here. Orders are created through the
 * SQL function the checkout uses, and webhooks are signed the way Stripe and Midtrans sign them,
 * with the demo secrets of supabase/functions/.env.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import type { WebSocketLikeConstructor } from '@supabase/realtime-js';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import pg from 'pg';
import Stripe from 'stripe';
import { stackEnv } from '../env.ts';

export const env = stackEnv();

const functionsEnv = parseEnv(
  readFileSync(path.join(import.meta.dirname, '..', '..', 'supabase', 'functions', '.env'), 'utf8')
) as Record<string, string>;

export const STRIPE_WEBHOOK_SECRET = functionsEnv.STRIPE_WEBHOOK_SECRET;
export const MIDTRANS_SERVER_KEY = functionsEnv.MIDTRANS_SERVER_KEY;
export const STRIPE_SECRET_KEY = functionsEnv.STRIPE_SECRET_KEY;
/** Where the functions send buyers back to: the stack's site URL, which `stack/cli.ts env` prints. */
export const SITE_URL = env.SITE_URL;

/** Returns the payment sandbox's origin from PAYMENTS_SANDBOX_URL, which `stack/cli.ts env` prints. */
export function sandboxUrl(): string {
  const url = process.env.PAYMENTS_SANDBOX_URL;
  if (!url) {
    throw new Error(
      'PAYMENTS_SANDBOX_URL is not set: export the output of `npx tsx stack/cli.ts env` first.'
    );
  }
  return url;
}

/** supabase-js wants a WebSocket constructor, which Node 20 lacks; these tests use no Realtime. */
class RealtimeUnavailable {
  constructor() {
    throw new Error('Realtime is not available in these tests.');
  }
}

export function newClient(key: string): SupabaseClient {
  return createClient(env.SUPABASE_URL, key, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: RealtimeUnavailable as unknown as WebSocketLikeConstructor }
  });
}

export const serviceClient = newClient(env.SUPABASE_SERVICE_ROLE_KEY);

/** Connected as the postgres superuser, to arrange fixtures and read state past RLS. */
export const db = new pg.Pool({ connectionString: env.SUPABASE_DB_URL, max: 4 });

export interface TestUser {
  id: string;
  email: string;
  accessToken: string;
  client: SupabaseClient;
}

/** Creates a confirmed user through the Auth admin API and signs them in. */
export async function createUser(label: string, role?: 'admin'): Promise<TestUser> {
  const email = `${label}-${randomUUID().slice(0, 8)}@payments.example.com`;
  const password = `pw-${randomUUID()}`;
  const { data, error } = await serviceClient.auth.admin.createUser({
    email,
    password,
    email_confirm: true,
    app_metadata: role ? { role } : {}
  });
  if (error || !data.user) throw new Error(`Creating user ${email} failed: ${error?.message}`);

  const client = newClient(env.SUPABASE_ANON_KEY);
  const signIn = await client.auth.signInWithPassword({ email, password });
  if (signIn.error || !signIn.data.session)
    throw new Error(`Signing in ${email} failed: ${signIn.error?.message}`);
  return { id: data.user.id, email, accessToken: signIn.data.session.access_token, client };
}

export interface ProductOptions {
  currency?: string;
  price?: number;
  accessDays?: number | null;
  downloadLimit?: number | null;
  status?: 'draft' | 'published';
}

/** Inserts a product of the suite's own; IDR costs Rp 10.000 (1000000 minor units) by default. */
export async function createProduct(
  options: ProductOptions = {}
): Promise<{ id: string; price: number; currency: string }> {
  const currency = options.currency ?? 'IDR';
  const price = options.price ?? (currency === 'IDR' ? 1_000_000 : 1_500);
  const slug = `payments-test-${randomUUID()}`;
  const { rows } = await db.query<{ id: string }>(
    `insert into public.products (slug, status, title, price_amount, currency, file_format, access_days, download_limit)
     values ($1, $2, $3, $4, $5, 'PDF', $6, $7) returning id`,
    [
      slug,
      options.status ?? 'published',
      `Payments test ${slug.slice(-8)}`,
      price,
      currency,
      options.accessDays ?? null,
      options.downloadLimit ?? null
    ]
  );
  return { id: rows[0].id, price, currency };
}

export interface OrderSummary {
  id: string;
  reference: string;
  status: string;
  currency: string;
  total_amount: number;
  items: { id: string; product_id: string; unit_amount: number }[];
}

/** Creates an order with public.create_order, the function the checkout calls. */
export async function createOrder(
  userId: string,
  provider: 'stripe' | 'midtrans' | 'manual',
  productIds: string[]
): Promise<OrderSummary> {
  const { rows } = await db.query<{ summary: OrderSummary }>(
    'select public.create_order($1, $2, $3) as summary',
    [userId, provider, productIds]
  );
  return rows[0].summary;
}

export interface OrderState {
  status: string;
  refundedAmount: number;
  paid: boolean;
  purchases: number;
  revoked: number;
  suspended: number;
  events: number;
}

/** Reads the order's status and its purchases past RLS. */
export async function orderState(orderId: string): Promise<OrderState> {
  const order = await db.query<{ status: string; refunded_amount: string; paid_at: Date | null }>(
    'select status, refunded_amount, paid_at from public.orders where id = $1',
    [orderId]
  );
  const purchases = await db.query<{ total: string; revoked: string; suspended: string }>(
    `select count(*) as total,
            count(*) filter (where pu.revoked_at is not null) as revoked,
            count(*) filter (where pu.suspended_at is not null) as suspended
       from public.purchases pu join public.order_items i on i.id = pu.order_item_id
      where i.order_id = $1`,
    [orderId]
  );
  const events = await db.query<{ total: string }>(
    'select count(*) as total from public.payment_events where order_id = $1',
    [orderId]
  );
  return {
    status: order.rows[0].status,
    refundedAmount: Number(order.rows[0].refunded_amount),
    paid: order.rows[0].paid_at !== null,
    purchases: Number(purchases.rows[0].total),
    revoked: Number(purchases.rows[0].revoked),
    suspended: Number(purchases.rows[0].suspended),
    events: Number(events.rows[0].total)
  };
}

/** Counts the stored events with this provider and event id. */
export async function countEvents(provider: string, eventId: string): Promise<number> {
  const { rows } = await db.query<{ total: string }>(
    'select count(*) as total from public.payment_events where provider = $1 and event_id = $2',
    [provider, eventId]
  );
  return Number(rows[0].total);
}

export interface WebhookResult {
  status: number;
  body: {
    received?: boolean;
    duplicate?: boolean;
    outcome?: string;
    error?: { code: string; message: string };
  };
}

async function toWebhookResult(response: Response): Promise<WebhookResult> {
  return { status: response.status, body: (await response.json()) as WebhookResult['body'] };
}

export const stripeId = (prefix: string) =>
  `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 24)}`;

/** Wraps `object` in a Stripe event envelope, as Stripe delivers it. */
export function stripeEvent(type: string, object: Record<string, unknown>, id = stripeId('evt')) {
  return {
    id,
    object: 'event',
    api_version: '2026-01-28.clover',
    created: Math.floor(Date.now() / 1000),
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type
  };
}

/**
 * Posts a Stripe event signed with `secret` (the endpoint's by default) at `timestamp` (unix
 * seconds, now by default), with the body exactly as signed.
 */
export async function postStripe(
  event: object,
  options: { secret?: string; timestamp?: number } = {}
): Promise<WebhookResult> {
  const payload = JSON.stringify(event, null, 2);
  const signature = await Stripe.webhooks.generateTestHeaderStringAsync({
    payload,
    secret: options.secret ?? STRIPE_WEBHOOK_SECRET,
    timestamp: options.timestamp
  });
  const response = await fetch(`${env.SUPABASE_URL}/functions/v1/payment-webhook/stripe`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': signature },
    body: payload
  });
  return toWebhookResult(response);
}

/** Returns hex SHA-512 of order_id + status_code + gross_amount + server key. */
export function midtransSignature(
  orderId: string,
  statusCode: string,
  grossAmount: string,
  serverKey = MIDTRANS_SERVER_KEY
) {
  return createHash('sha512')
    .update(orderId + statusCode + grossAmount + serverKey)
    .digest('hex');
}

/** Posts a Midtrans notification; signature_key is computed unless the notification sets one. */
export async function postMidtrans(
  notification: Record<string, string>,
  options: { serverKey?: string } = {}
): Promise<WebhookResult> {
  const body = {
    ...notification,
    signature_key:
      notification.signature_key ??
      midtransSignature(
        notification.order_id,
        notification.status_code,
        notification.gross_amount,
        options.serverKey
      )
  };
  const response = await fetch(`${env.SUPABASE_URL}/functions/v1/payment-webhook/midtrans`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body)
  });
  return toWebhookResult(response);
}

/** Calls an Edge Function as `user` (or with no token) and returns its status and JSON body. */
export async function callFunction(
  name: string,
  body: unknown,
  user?: TestUser | null
): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    apikey: env.SUPABASE_ANON_KEY
  };
  if (user) headers.authorization = `Bearer ${user.accessToken}`;
  const response = await fetch(`${env.SUPABASE_URL}/functions/v1/${name}`, {
    method: 'POST',
    headers,
    body: JSON.stringify(body)
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/**
 * Opening a checkout at each gateway for an order the database created: a Stripe Checkout
 * Session through the official SDK, or a Midtrans Snap transaction over its REST API. Amounts
 * are converted from minor units here, at the edge.
 */
import { z } from 'zod';
import {
  toMidtransGrossAmount,
  toStripeAmount,
  toStripeCurrency,
} from '../_shared/payments/amounts.ts';
import { Stripe } from '../_shared/payments/stripe_sdk.ts';

export interface CheckoutOrder {
  id: string;
  reference: string;
  currency: string;
  total_amount: number;
  items: { id: string; product_id: string; title: string; unit_amount: number }[];
}

/** Raised when a gateway rejects the request or cannot be reached; the detail is for the log. */
export class GatewayError extends Error {
  constructor(
    readonly provider: 'stripe' | 'midtrans',
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${provider} could not open a checkout: ${detail}`, options);
    this.name = 'GatewayError';
  }
}

/** Returns the URL of the order's page in the web app, where the gateway sends the buyer back. */
export function orderPageUrl(siteUrl: string, orderId: string): string {
  return `${siteUrl.replace(/\/+$/, '')}/orders/${orderId}`;
}

/**
 * Returns the SDK's host, port and protocol for a base URL such as http://127.0.0.1:54329, so
 * the local stack can point Stripe at its sandbox. No base URL keeps the SDK's api.stripe.com.
 */
export function stripeConnectionOptions(
  apiBase: string | undefined,
): { host?: string; port?: number; protocol?: 'http' | 'https' } {
  if (!apiBase) return {};

  let url: URL;
  try {
    url = new URL(apiBase);
  } catch {
    throw new Error(`STRIPE_API_BASE "${apiBase}" is not a URL such as https://api.stripe.com.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`STRIPE_API_BASE "${apiBase}" must start with http:// or https://.`);
  }
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  const defaultPort = protocol === 'http' ? 80 : 443;
  const port = url.port ? Number(url.port) : defaultPort;
  return { host: url.hostname, port, protocol };
}

export interface StripeSettings {
  secretKey: string;
  apiBase?: string;
  siteUrl: string;
}

/** Creates a Checkout Session (mode payment) whose line items are the order's items. */
export async function createStripeCheckout(
  settings: StripeSettings,
  order: CheckoutOrder,
  email: string | null,
): Promise<{ sessionId: string; redirectUrl: string }> {
  const stripe = new Stripe(settings.secretKey, {
    ...stripeConnectionOptions(settings.apiBase),
    httpClient: Stripe.createFetchHttpClient(),
    maxNetworkRetries: 2,
    timeout: 20_000,
  });
  const returnUrl = orderPageUrl(settings.siteUrl, order.id);
  const currency = toStripeCurrency(order.currency);

  let session;
  try {
    session = await stripe.checkout.sessions.create(
      {
        mode: 'payment',
        client_reference_id: order.id,
        customer_email: email ?? undefined,
        metadata: { order_id: order.id, reference: order.reference },
        payment_intent_data: { metadata: { order_id: order.id, reference: order.reference } },
        line_items: order.items.map((item) => ({
          quantity: 1,
          price_data: {
            currency,
            unit_amount: toStripeAmount(item.unit_amount, order.currency),
            product_data: {
              name: item.title,
              metadata: { product_id: item.product_id, order_item_id: item.id },
            },
          },
        })),
        success_url: returnUrl,
        cancel_url: returnUrl,
      },
      { idempotencyKey: `checkout-session-${order.id}` },
    );
  } catch (error) {
    const detail = error instanceof Stripe.errors.StripeError
      ? `${error.type} (${error.statusCode ?? 'no status'}): ${error.message}`
      : String(error);
    throw new GatewayError('stripe', detail, { cause: error });
  }

  if (!session.url) {
    throw new GatewayError('stripe', `Checkout Session ${session.id} came back without a url.`);
  }
  return { sessionId: session.id, redirectUrl: session.url };
}

export interface MidtransSettings {
  serverKey: string;
  snapUrl: string;
  siteUrl: string;
}

const snapResponseSchema = z.object({
  token: z.string().min(1),
  redirect_url: z.url(),
});

/** Midtrans limits item names to 50 characters. */
const MIDTRANS_NAME_LENGTH = 50;

/** Creates a Snap transaction (`POST /snap/v1/transactions`) whose order_id is the order's id. */
export async function createSnapTransaction(
  settings: MidtransSettings,
  order: CheckoutOrder,
  email: string | null,
): Promise<{ token: string; redirectUrl: string }> {
  const body = {
    transaction_details: {
      order_id: order.id,
      gross_amount: toMidtransGrossAmount(order.total_amount, order.currency),
    },
    item_details: order.items.map((item) => ({
      id: item.product_id,
      price: toMidtransGrossAmount(item.unit_amount, order.currency),
      quantity: 1,
      name: item.title.slice(0, MIDTRANS_NAME_LENGTH),
    })),
    customer_details: email ? { email } : {},
    callbacks: { finish: orderPageUrl(settings.siteUrl, order.id) },
  };
  const url = `${settings.snapUrl.replace(/\/+$/, '')}/snap/v1/transactions`;

  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: {
        accept: 'application/json',
        'content-type': 'application/json',
        authorization: `Basic ${btoa(`${settings.serverKey}:`)}`,
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(20_000),
    });
  } catch (error) {
    throw new GatewayError('midtrans', `POST ${url} failed: ${String(error)}`, { cause: error });
  }

  const text = await response.text();
  if (!response.ok) {
    throw new GatewayError(
      'midtrans',
      `POST ${url} returned ${response.status}: ${text.slice(0, 500)}`,
    );
  }

  let parsed;
  try {
    parsed = snapResponseSchema.safeParse(JSON.parse(text));
  } catch {
    parsed = null;
  }
  if (!parsed?.success) {
    throw new GatewayError('midtrans', `POST ${url} returned an unexpected body.`);
  }
  return { token: parsed.data.token, redirectUrl: parsed.data.redirect_url };
}

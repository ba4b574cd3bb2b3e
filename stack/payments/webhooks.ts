import { createHash } from 'node:crypto';
import Stripe from 'stripe';

/** One webhook the sandbox sent and the function's response, as the /sandbox endpoints return it. */
export interface Delivery {
  provider: 'stripe' | 'midtrans';
  event_id: string;
  type: string;
  status: number;
  body: unknown;
}

const MAX_RECENT = 100;

/** Returns Midtrans's signature_key: hex SHA-512 of order_id + status_code + gross_amount + key. */
export function midtransSignatureKey(
  orderId: string,
  statusCode: string,
  grossAmount: string,
  serverKey: string
) {
  return createHash('sha512')
    .update(orderId + statusCode + grossAmount + serverKey)
    .digest('hex');
}

/**
 * Sends webhooks to `${apiUrl}/functions/v1/payment-webhook/<provider>` in each provider's wire
 * format, one attempt each (the sandbox does not retry), and keeps the last 100 deliveries.
 */
export class WebhookSender {
  readonly #recent: Delivery[] = [];

  constructor(
    private readonly apiUrl: string,
    private readonly log: (message: string) => void
  ) {}

  /** Returns the most recent deliveries, oldest first. */
  recent(): Delivery[] {
    return [...this.#recent];
  }

  /**
   * Posts a Stripe event as Stripe does: pretty-printed JSON signed in the `Stripe-Signature`
   * header (`t=<unix>,v1=<HMAC-SHA256 of "t.body">`) with the endpoint's whsec_ secret.
   */
  async sendStripeEvent(secret: string, event: { id: string; type: string }): Promise<Delivery> {
    const payload = JSON.stringify(event, null, 2);
    const signature = await Stripe.webhooks.generateTestHeaderStringAsync({ payload, secret });
    const headers = {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
      'stripe-signature': signature
    };
    return this.#post('stripe', headers, payload, event.id, event.type);
  }

  /** Posts a Midtrans HTTP notification, a JSON body that carries its own signature_key. */
  sendMidtransNotification(notification: Record<string, string>): Promise<Delivery> {
    const headers = {
      'content-type': 'application/json',
      accept: 'application/json',
      'user-agent': 'Veritrans'
    };
    const eventId = `${notification.transaction_id}:${notification.transaction_status}`;
    return this.#post(
      'midtrans',
      headers,
      JSON.stringify(notification),
      eventId,
      notification.transaction_status
    );
  }

  async #post(
    provider: 'stripe' | 'midtrans',
    headers: Record<string, string>,
    payload: string,
    eventId: string,
    type: string
  ): Promise<Delivery> {
    const url = `${this.apiUrl}/functions/v1/payment-webhook/${provider}`;
    let delivery: Delivery;
    try {
      const response = await fetch(url, { method: 'POST', headers, body: payload });
      const text = await response.text();
      delivery = {
        provider,
        event_id: eventId,
        type,
        status: response.status,
        body: parseJson(text)
      };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      delivery = { provider, event_id: eventId, type, status: 0, body: message };
    }
    if (delivery.status < 200 || delivery.status > 299) {
      this.log(
        `Webhook ${type} (${eventId}) to ${url} got status ${delivery.status}: ${JSON.stringify(delivery.body)}`
      );
    }
    this.#recent.push(delivery);
    if (this.#recent.length > MAX_RECENT) this.#recent.shift();
    return delivery;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

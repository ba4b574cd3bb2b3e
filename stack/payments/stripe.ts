import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendJson } from '../http.ts';
import { type FormValue, parseStripeForm } from './form.ts';
import type { Delivery, WebhookSender } from './webhooks.ts';

/**
 * The part of the Stripe API that Checkout needs, held in memory: Checkout Sessions created and
 * read through the SDK, and the events a real account would send as a session is paid,
 * refunded or disputed. Objects carry the fields the payment-webhook function reads, in
 * Stripe's names and units (minor units, lower-case currency, unix seconds).
 */

export interface LineItem {
  name: string;
  unit_amount: number;
  quantity: number;
  currency: string;
}

export interface CheckoutSession {
  id: string;
  object: 'checkout.session';
  amount_subtotal: number;
  amount_total: number;
  cancel_url: string | null;
  client_reference_id: string | null;
  created: number;
  currency: string;
  customer: null;
  customer_details: { email: string | null } | null;
  customer_email: string | null;
  expires_at: number;
  livemode: false;
  metadata: Record<string, string>;
  mode: 'payment';
  payment_intent: string | null;
  payment_method_types: string[];
  payment_status: 'paid' | 'unpaid' | 'no_payment_required';
  status: 'open' | 'complete' | 'expired';
  success_url: string;
  url: string | null;
}

interface SessionRecord {
  session: CheckoutSession;
  lineItems: LineItem[];
  apiVersion: string | null;
  paymentIntentMetadata: Record<string, string>;
  chargeId: string | null;
  amountRefunded: number;
}

interface DisputeRecord {
  id: string;
  sessionId: string;
  status: 'needs_response' | 'won' | 'lost';
  created: number;
}

/** A Stripe API error; `toJSON` is the wire body `{"error": {type, code, message, param}}`. */
export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: 'invalid_request_error' | 'authentication_error' | 'api_error',
    message: string,
    readonly code?: string,
    readonly param?: string
  ) {
    super(message);
  }

  toJSON() {
    return {
      error: { type: this.type, code: this.code, message: this.message, param: this.param }
    };
  }
}

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Returns an id in Stripe's style: a type prefix and 24 random letters and digits. */
export function stripeId(prefix: string): string {
  const bytes = randomBytes(24);
  let id = '';
  for (const byte of bytes) id += ID_ALPHABET[byte % ID_ALPHABET.length];
  return `${prefix}_${id}`;
}

const now = () => Math.floor(Date.now() / 1000);

function missing(param: string): StripeApiError {
  return new StripeApiError(
    400,
    'invalid_request_error',
    `Missing required param: ${param}.`,
    'parameter_missing',
    param
  );
}

function invalid(param: string, message: string): StripeApiError {
  return new StripeApiError(400, 'invalid_request_error', message, 'parameter_invalid', param);
}

function text(params: Record<string, FormValue>, name: string): string | undefined {
  const value = params[name];
  return typeof value === 'string' ? value : undefined;
}

function stringMap(value: FormValue | undefined, param: string): Record<string, string> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value))
    throw invalid(param, `Invalid object: ${param} must be a hash.`);
  const entries = Object.entries(value).map(([key, inner]) => {
    if (typeof inner !== 'string')
      throw invalid(`${param}[${key}]`, `Invalid string: ${param}[${key}].`);
    return [key, inner] as const;
  });
  return Object.fromEntries(entries);
}

function integer(value: FormValue | undefined, param: string, minimum: number): number {
  if (value === undefined) throw missing(param);
  if (typeof value !== 'string' || !/^\d+$/.test(value) || Number(value) < minimum) {
    throw invalid(
      param,
      `Invalid integer: ${param} must be a whole number of at least ${minimum}.`
    );
  }
  return Number(value);
}

function absoluteUrl(value: string | undefined, param: string): string {
  if (value === undefined) throw missing(param);
  try {
    return new URL(value).toString();
  } catch {
    throw invalid(param, `Not a valid URL: ${param}.`);
  }
}

function parseLineItems(value: FormValue | undefined): LineItem[] {
  if (!Array.isArray(value) || value.length === 0) throw missing('line_items');

  return value.map((raw, index) => {
    const param = `line_items[${index}]`;
    if (typeof raw !== 'object' || Array.isArray(raw))
      throw invalid(param, `Invalid object: ${param}.`);
    const priceData = raw.price_data;
    if (typeof priceData !== 'object' || Array.isArray(priceData)) {
      throw new StripeApiError(
        400,
        'invalid_request_error',
        `The sandbox supports line items with price_data only: set ${param}[price_data].`,
        'parameter_missing',
        `${param}[price_data]`
      );
    }
    const currency = typeof priceData.currency === 'string' ? priceData.currency : undefined;
    if (!currency) throw missing(`${param}[price_data][currency]`);
    if (!/^[a-z]{3}$/.test(currency)) {
      throw invalid(
        `${param}[price_data][currency]`,
        `Invalid currency: ${currency}. Use a lower-case ISO code.`
      );
    }
    const productData = priceData.product_data;
    const name =
      typeof productData === 'object' && !Array.isArray(productData) ? productData.name : undefined;
    if (typeof name !== 'string' || name.trim() === '')
      throw missing(`${param}[price_data][product_data][name]`);

    return {
      name,
      currency,
      unit_amount: integer(priceData.unit_amount, `${param}[price_data][unit_amount]`, 0),
      quantity: integer(raw.quantity, `${param}[quantity]`, 1)
    };
  });
}

export class StripeSandbox {
  readonly #sessions = new Map<string, SessionRecord>();
  readonly #disputes = new Map<string, DisputeRecord>();
  readonly #idempotent = new Map<string, string>();

  constructor(
    private readonly options: {
      secretKey: string;
      webhookSecret: string;
      paymentsUrl: string;
      webhooks: WebhookSender;
    }
  ) {}

  /** Serves `/v1/...` requests from the Stripe SDK. */
  async handleApi(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const requestId = stripeId('req');
    try {
      this.#authenticate(req);
      const result = await this.#route(req, path);
      sendJson(res, 200, result, { 'request-id': requestId });
    } catch (error) {
      if (!(error instanceof StripeApiError)) throw error;
      sendJson(res, error.status, error.toJSON(), { 'request-id': requestId });
    }
  }

  #authenticate(req: IncomingMessage): void {
    const header = req.headers.authorization ?? '';
    let key: string | null = null;
    const bearer = /^Bearer\s+(\S+)$/i.exec(header);
    if (bearer) key = bearer[1];
    const basic = /^Basic\s+(\S+)$/i.exec(header);
    if (basic) key = Buffer.from(basic[1], 'base64').toString('utf8').split(':')[0];

    if (!key) {
      throw new StripeApiError(
        401,
        'invalid_request_error',
        'You did not provide an API key. Provide it in the Authorization header as "Bearer <key>".'
      );
    }
    if (key !== this.options.secretKey) {
      const masked = `${key.slice(0, 8)}${'*'.repeat(Math.max(key.length - 12, 0))}${key.slice(-4)}`;
      throw new StripeApiError(401, 'invalid_request_error', `Invalid API Key provided: ${masked}`);
    }
  }

  async #route(req: IncomingMessage, path: string): Promise<unknown> {
    const method = req.method ?? 'GET';
    if (method === 'POST' && path === '/v1/checkout/sessions') {
      const params = parseStripeForm((await readBody(req)).toString('utf8'));
      const key = req.headers['idempotency-key'];
      const version = req.headers['stripe-version'];
      return this.#createSession(
        params,
        typeof key === 'string' ? key : null,
        typeof version === 'string' ? version : null
      );
    }

    const retrieve = /^\/v1\/checkout\/sessions\/([^/]+)$/.exec(path);
    if (method === 'GET' && retrieve) return this.#record(retrieve[1]).session;

    const expire = /^\/v1\/checkout\/sessions\/([^/]+)\/expire$/.exec(path);
    if (method === 'POST' && expire) {
      await this.expire(expire[1]);
      return this.#record(expire[1]).session;
    }

    throw new StripeApiError(
      404,
      'invalid_request_error',
      `Unrecognized request URL (${method}: ${path}). The sandbox serves POST /v1/checkout/sessions, ` +
        'GET /v1/checkout/sessions/:id and POST /v1/checkout/sessions/:id/expire.'
    );
  }

  #createSession(
    params: Record<string, FormValue>,
    idempotencyKey: string | null,
    apiVersion: string | null
  ) {
    if (idempotencyKey) {
      const earlier = this.#idempotent.get(idempotencyKey);
      if (earlier) return this.#record(earlier).session;
    }
    if (text(params, 'mode') !== 'payment') {
      throw invalid('mode', 'The sandbox supports Checkout Sessions with mode=payment only.');
    }
    const lineItems = parseLineItems(params.line_items);
    const currency = lineItems[0].currency;
    if (lineItems.some((item) => item.currency !== currency)) {
      throw invalid('line_items', 'All line items must use the same currency.');
    }
    const clientReferenceId = text(params, 'client_reference_id') ?? null;
    if (clientReferenceId && clientReferenceId.length > 200) {
      throw invalid('client_reference_id', 'client_reference_id must be at most 200 characters.');
    }
    const paymentIntentData = params.payment_intent_data;
    const paymentIntentMetadata =
      typeof paymentIntentData === 'object' && !Array.isArray(paymentIntentData)
        ? stringMap(paymentIntentData.metadata, 'payment_intent_data[metadata]')
        : {};

    const id = stripeId('cs_test');
    const amount = lineItems.reduce((sum, item) => sum + item.unit_amount * item.quantity, 0);
    const created = now();
    const email = text(params, 'customer_email') ?? null;
    const session: CheckoutSession = {
      id,
      object: 'checkout.session',
      amount_subtotal: amount,
      amount_total: amount,
      cancel_url:
        params.cancel_url === undefined
          ? null
          : absoluteUrl(text(params, 'cancel_url'), 'cancel_url'),
      client_reference_id: clientReferenceId,
      created,
      currency,
      customer: null,
      customer_details: email ? { email } : null,
      customer_email: email,
      expires_at: created + 24 * 3600,
      livemode: false,
      metadata: stringMap(params.metadata, 'metadata'),
      mode: 'payment',
      payment_intent: null,
      payment_method_types: ['card'],
      payment_status: 'unpaid',
      status: 'open',
      success_url: absoluteUrl(text(params, 'success_url'), 'success_url'),
      url: `${this.options.paymentsUrl}/pay/${id}`
    };
    this.#sessions.set(id, {
      session,
      lineItems,
      apiVersion,
      paymentIntentMetadata,
      chargeId: null,
      amountRefunded: 0
    });
    if (idempotencyKey) this.#idempotent.set(idempotencyKey, id);
    return session;
  }

  #record(sessionId: string): SessionRecord {
    const record = this.#sessions.get(sessionId);
    if (!record) {
      throw new StripeApiError(
        404,
        'invalid_request_error',
        `No such checkout.session: '${sessionId}'`,
        'resource_missing',
        'session'
      );
    }
    return record;
  }

  has(sessionId: string): boolean {
    return this.#sessions.has(sessionId);
  }

  /** Returns the session and its line items, for the checkout page. */
  view(sessionId: string): { session: CheckoutSession; lineItems: LineItem[] } {
    const record = this.#record(sessionId);
    return { session: record.session, lineItems: record.lineItems };
  }

  #event(record: SessionRecord, type: string, object: unknown) {
    return {
      id: stripeId('evt'),
      object: 'event',
      api_version: record.apiVersion,
      created: now(),
      data: { object: structuredClone(object) },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type
    };
  }

  #send(record: SessionRecord, type: string, object: unknown): Promise<Delivery> {
    return this.options.webhooks.sendStripeEvent(
      this.options.webhookSecret,
      this.#event(record, type, object)
    );
  }

  #requireOpen(record: SessionRecord): void {
    if (record.session.status !== 'open') {
      throw new StripeApiError(
        400,
        'invalid_request_error',
        `Checkout Session ${record.session.id} is ${record.session.status}, not open.`,
        'checkout_session_not_open'
      );
    }
  }

  /**
   * Completes the session as the buyer paying. A card pays at once (`payment_status: paid`);
   * a delayed method completes `unpaid` and waits for `asyncPayment`.
   */
  async pay(sessionId: string, options: { delayed: boolean }): Promise<Delivery[]> {
    const record = this.#record(sessionId);
    this.#requireOpen(record);
    record.session.status = 'complete';
    record.session.payment_intent = stripeId('pi');
    record.session.payment_status = options.delayed ? 'unpaid' : 'paid';
    if (!options.delayed) record.chargeId = stripeId('ch');
    return [await this.#send(record, 'checkout.session.completed', record.session)];
  }

  /** Settles or fails a delayed payment of a completed, unpaid session. */
  async asyncPayment(sessionId: string, outcome: 'succeeded' | 'failed'): Promise<Delivery[]> {
    const record = this.#record(sessionId);
    if (record.session.status !== 'complete' || record.session.payment_status !== 'unpaid') {
      throw new StripeApiError(
        400,
        'invalid_request_error',
        `Checkout Session ${sessionId} has no delayed payment waiting: pay it with delayed=true first.`
      );
    }
    if (outcome === 'succeeded') {
      record.session.payment_status = 'paid';
      record.chargeId = stripeId('ch');
    }
    const type = `checkout.session.async_payment_${outcome}`;
    return [await this.#send(record, type, record.session)];
  }

  /** Expires an open session, as Stripe does after 24 hours or on the expire call. */
  async expire(sessionId: string): Promise<Delivery[]> {
    const record = this.#record(sessionId);
    this.#requireOpen(record);
    record.session.status = 'expired';
    record.session.url = null;
    return [await this.#send(record, 'checkout.session.expired', record.session)];
  }

  #charge(record: SessionRecord) {
    if (!record.chargeId || record.session.payment_status !== 'paid') {
      throw new StripeApiError(
        400,
        'invalid_request_error',
        `Checkout Session ${record.session.id} has no successful charge yet: pay it first.`,
        'charge_not_found'
      );
    }
    const amount = record.session.amount_total;
    return {
      id: record.chargeId,
      object: 'charge',
      amount,
      amount_captured: amount,
      amount_refunded: record.amountRefunded,
      captured: true,
      created: record.session.created,
      currency: record.session.currency,
      disputed: [...this.#disputes.values()].some(
        (dispute) => dispute.sessionId === record.session.id
      ),
      livemode: false,
      metadata: {},
      paid: true,
      payment_intent: record.session.payment_intent,
      refunded: record.amountRefunded === amount,
      status: 'succeeded'
    };
  }

  /**
   * Refunds part or all of the charge: sends `refund.created` (the refund, with metadata such
   * as order_item_id) and `charge.refunded` (the charge with its cumulative amount_refunded).
   */
  async refund(
    sessionId: string,
    options: { amount?: number; metadata?: Record<string, string> }
  ): Promise<Delivery[]> {
    const record = this.#record(sessionId);
    const charge = this.#charge(record);
    const remaining = charge.amount - record.amountRefunded;
    const amount = options.amount ?? remaining;
    if (!Number.isInteger(amount) || amount < 1 || amount > remaining) {
      throw invalid(
        'amount',
        `Refund amount ${amount} must be a whole number from 1 to ${remaining}, the unrefunded amount.`
      );
    }

    record.amountRefunded += amount;
    const refund = {
      id: stripeId('re'),
      object: 'refund',
      amount,
      charge: charge.id,
      created: now(),
      currency: record.session.currency,
      metadata: options.metadata ?? {},
      payment_intent: record.session.payment_intent,
      reason: 'requested_by_customer',
      status: 'succeeded'
    };
    const refundDelivery = await this.#send(record, 'refund.created', refund);
    const chargeDelivery = await this.#send(record, 'charge.refunded', this.#charge(record));
    return [refundDelivery, chargeDelivery];
  }

  #dispute(dispute: DisputeRecord) {
    const record = this.#record(dispute.sessionId);
    return {
      id: dispute.id,
      object: 'dispute',
      amount: record.session.amount_total,
      charge: record.chargeId,
      created: dispute.created,
      currency: record.session.currency,
      is_charge_refundable: false,
      livemode: false,
      metadata: {},
      payment_intent: record.session.payment_intent,
      reason: 'fraudulent',
      status: dispute.status
    };
  }

  /** Opens a dispute (chargeback) on the session's charge: `charge.dispute.created`. */
  async openDispute(sessionId: string): Promise<{ disputeId: string; deliveries: Delivery[] }> {
    const record = this.#record(sessionId);
    this.#charge(record);
    const dispute: DisputeRecord = {
      id: stripeId('dp'),
      sessionId,
      status: 'needs_response',
      created: now()
    };
    this.#disputes.set(dispute.id, dispute);
    const delivery = await this.#send(record, 'charge.dispute.created', this.#dispute(dispute));
    return { disputeId: dispute.id, deliveries: [delivery] };
  }

  /** Closes a dispute as won or lost: `charge.dispute.closed`. */
  async closeDispute(disputeId: string, status: 'won' | 'lost'): Promise<Delivery[]> {
    const dispute = this.#disputes.get(disputeId);
    if (!dispute) {
      throw new StripeApiError(
        404,
        'invalid_request_error',
        `No such dispute: '${disputeId}'`,
        'resource_missing',
        'dispute'
      );
    }
    if (dispute.status !== 'needs_response') {
      throw new StripeApiError(
        400,
        'invalid_request_error',
        `Dispute ${disputeId} is already closed as ${dispute.status}.`
      );
    }
    dispute.status = status;
    return [
      await this.#send(
        this.#record(dispute.sessionId),
        'charge.dispute.closed',
        this.#dispute(dispute)
      )
    ];
  }
}

/**
 * Reduces verified Stripe events and Midtrans notifications to the few facts the order state
 * machine in the database reads (public.record_payment_event): an action, the order or payment
 * the event is about, and the amount in ISO 4217 minor units.
 */
import { z } from 'zod';
import { parseMidtransAmount } from './amounts.ts';

export type PaymentProvider = 'stripe' | 'midtrans';

export const paymentActions = [
  'payment_succeeded',
  'payment_pending',
  'payment_review',
  'payment_failed',
  'payment_expired',
  'payment_denied',
  'refund_full',
  'refund_partial',
  'item_refunded',
  'dispute_opened',
  'dispute_won',
  'dispute_lost',
  'none',
] as const;

export type PaymentAction = (typeof paymentActions)[number];

export interface NormalizedEvent {
  provider: PaymentProvider;
  eventId: string;
  eventType: string;
  action: PaymentAction;
  /** The order id the event names, when it is a UUID. */
  orderId: string | null;
  /** The provider's payment id: Stripe PaymentIntent, Midtrans transaction_id. */
  paymentRef: string | null;
  /** The provider object the event is about: session, charge, refund or dispute id. */
  objectRef: string | null;
  /** Minor units: the paid total, the cumulative refunded amount, or one refund's amount. */
  amount: number | null;
  /** Upper-case ISO 4217 code. */
  currency: string | null;
  /** The order item a refund names in its metadata.order_item_id. */
  itemId: string | null;
}

/** Raised when a verified event of a handled type lacks a field the state machine needs. */
export class EventShapeError extends Error {
  constructor(eventType: string, issues: string) {
    super(`A ${eventType} event has an unexpected shape: ${issues}`);
    this.name = 'EventShapeError';
  }
}

const uuidSchema = z.uuid();

function asUuid(value: unknown): string | null {
  const parsed = uuidSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

function upperCurrency(value: string | null | undefined): string | null {
  return value && /^[a-zA-Z]{3}$/.test(value) ? value.toUpperCase() : null;
}

/*
 * Stripe. Handled event types; every other verified event is stored and ignored.
 */
export const stripeEventTypes = [
  'checkout.session.completed',
  'checkout.session.async_payment_succeeded',
  'checkout.session.async_payment_failed',
  'checkout.session.expired',
  'charge.refunded',
  'refund.created',
  'refund.updated',
  'charge.dispute.created',
  'charge.dispute.closed',
] as const;

const metadataSchema = z.record(z.string(), z.string()).nullish();
const expandableIdSchema = z
  .union([z.string(), z.object({ id: z.string() })])
  .nullish()
  .transform((value) => (typeof value === 'string' ? value : value?.id ?? null));

const checkoutSessionSchema = z.object({
  id: z.string().min(1),
  amount_total: z.number().int().nonnegative().nullable(),
  currency: z.string().nullable(),
  client_reference_id: z.string().nullish(),
  metadata: metadataSchema,
  payment_status: z.enum(['paid', 'unpaid', 'no_payment_required']),
  payment_intent: expandableIdSchema,
});

const chargeSchema = z.object({
  id: z.string().min(1),
  amount: z.number().int().nonnegative(),
  amount_refunded: z.number().int().nonnegative(),
  refunded: z.boolean(),
  currency: z.string(),
  payment_intent: expandableIdSchema,
  metadata: metadataSchema,
});

const refundSchema = z.object({
  id: z.string().min(1),
  amount: z.number().int().nonnegative(),
  currency: z.string(),
  status: z.string().nullish(),
  payment_intent: expandableIdSchema,
  metadata: metadataSchema,
});

const disputeSchema = z.object({
  id: z.string().min(1),
  amount: z.number().int().nonnegative(),
  currency: z.string(),
  status: z.string(),
  payment_intent: expandableIdSchema,
});

const stripeEventSchema = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  data: z.object({ object: z.record(z.string(), z.unknown()) }),
});

function parseObject<Schema extends z.ZodType>(
  schema: Schema,
  eventType: string,
  value: unknown,
): z.infer<Schema> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new EventShapeError(eventType, z.prettifyError(parsed.error));
  return parsed.data;
}

/** Reduces a Stripe event whose signature was verified. Throws EventShapeError. */
export function normalizeStripeEvent(event: unknown): NormalizedEvent {
  const envelope = parseObject(stripeEventSchema, 'Stripe', event);
  const base: NormalizedEvent = {
    provider: 'stripe',
    eventId: envelope.id,
    eventType: envelope.type,
    action: 'none',
    orderId: null,
    paymentRef: null,
    objectRef: null,
    amount: null,
    currency: null,
    itemId: null,
  };
  const object = envelope.data.object;

  switch (envelope.type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded':
    case 'checkout.session.async_payment_failed':
    case 'checkout.session.expired': {
      const session = parseObject(checkoutSessionSchema, envelope.type, object);
      return {
        ...base,
        action: checkoutSessionAction(envelope.type, session.payment_status),
        orderId: asUuid(session.metadata?.order_id) ?? asUuid(session.client_reference_id),
        paymentRef: session.payment_intent,
        objectRef: session.id,
        amount: session.amount_total,
        currency: upperCurrency(session.currency),
      };
    }
    case 'charge.refunded': {
      const charge = parseObject(chargeSchema, envelope.type, object);
      return {
        ...base,
        action: charge.refunded ? 'refund_full' : 'refund_partial',
        orderId: asUuid(charge.metadata?.order_id),
        paymentRef: charge.payment_intent,
        objectRef: charge.id,
        amount: charge.amount_refunded,
        currency: upperCurrency(charge.currency),
      };
    }
    case 'refund.created':
    case 'refund.updated': {
      const refund = parseObject(refundSchema, envelope.type, object);
      const itemId = asUuid(refund.metadata?.order_item_id);
      return {
        ...base,
        action: refund.status === 'succeeded' && itemId ? 'item_refunded' : 'none',
        orderId: asUuid(refund.metadata?.order_id),
        paymentRef: refund.payment_intent,
        objectRef: refund.id,
        amount: refund.amount,
        currency: upperCurrency(refund.currency),
        itemId,
      };
    }
    case 'charge.dispute.created':
    case 'charge.dispute.closed': {
      const dispute = parseObject(disputeSchema, envelope.type, object);
      return {
        ...base,
        action: disputeAction(envelope.type, dispute.status),
        paymentRef: dispute.payment_intent,
        objectRef: dispute.id,
        amount: dispute.amount,
        currency: upperCurrency(dispute.currency),
      };
    }
    default:
      return base;
  }
}

function checkoutSessionAction(
  type: string,
  paymentStatus: 'paid' | 'unpaid' | 'no_payment_required',
): PaymentAction {
  switch (type) {
    case 'checkout.session.completed':
      // Delayed methods (bank debits, vouchers) complete unpaid and confirm later.
      return paymentStatus === 'unpaid' ? 'payment_pending' : 'payment_succeeded';
    case 'checkout.session.async_payment_succeeded':
      return 'payment_succeeded';
    case 'checkout.session.async_payment_failed':
      return 'payment_failed';
    default:
      return 'payment_expired';
  }
}

function disputeAction(type: string, status: string): PaymentAction {
  if (type === 'charge.dispute.created') return 'dispute_opened';
  if (status === 'won' || status === 'warning_closed') return 'dispute_won';
  if (status === 'lost') return 'dispute_lost';
  return 'none';
}

/*
 * Midtrans. The notification has no event id, so one is built from the transaction and the
 * status it reports: a repeated notification of the same status is a duplicate.
 */
export const midtransNotificationSchema = z.object({
  order_id: z.string().min(1).max(100),
  status_code: z.string().min(1).max(10),
  gross_amount: z.string().min(1).max(30),
  signature_key: z.string().min(1).max(256),
  transaction_status: z.string().min(1).max(50),
  transaction_id: z.string().max(100).nullish(),
  fraud_status: z.string().max(50).nullish(),
  currency: z.string().max(10).nullish(),
  refund_amount: z.string().max(30).nullish(),
});

export type MidtransNotification = z.infer<typeof midtransNotificationSchema>;

function midtransAction(status: string, fraudStatus: string | null | undefined): PaymentAction {
  switch (status) {
    case 'settlement':
      return 'payment_succeeded';
    case 'capture':
      // A card capture is paid only once fraud detection accepts it.
      if (fraudStatus === 'accept') return 'payment_succeeded';
      if (fraudStatus === 'deny') return 'payment_denied';
      return 'payment_review';
    case 'deny':
    case 'cancel':
      return 'payment_denied';
    case 'expire':
      return 'payment_expired';
    case 'failure':
      return 'payment_failed';
    case 'refund':
    case 'chargeback':
      return 'refund_full';
    case 'partial_refund':
    case 'partial_chargeback':
      return 'refund_partial';
    default:
      // pending and authorize change nothing.
      return 'none';
  }
}

/** Reduces a Midtrans notification whose signature_key was verified. */
export function normalizeMidtransNotification(
  notification: MidtransNotification,
): NormalizedEvent {
  const action = midtransAction(notification.transaction_status, notification.fraud_status);
  const paidAmount = parseMidtransAmount(notification.gross_amount);
  const refundAmount = notification.refund_amount
    ? parseMidtransAmount(notification.refund_amount)
    : null;
  const eventId = [
    notification.transaction_id || notification.order_id,
    notification.transaction_status,
    notification.fraud_status ?? '',
    notification.refund_amount ?? '',
  ].join(':');

  return {
    provider: 'midtrans',
    eventId,
    eventType: notification.transaction_status,
    action,
    orderId: asUuid(notification.order_id),
    paymentRef: notification.transaction_id ?? null,
    objectRef: notification.transaction_id ?? null,
    amount: action === 'refund_partial' ? refundAmount : paidAmount,
    // NOTE: Snap transactions are in IDR; a notification without `currency` is taken as IDR.
    currency: upperCurrency(notification.currency ?? 'IDR'),
    itemId: null,
  };
}

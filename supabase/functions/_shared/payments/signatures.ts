/**
 * Verification of payment notifications: Stripe's `Stripe-Signature` header through the SDK,
 * and Midtrans's `signature_key` field.
 */
import { Stripe } from './stripe_sdk.ts';

export type StripeEvent = ReturnType<typeof Stripe.webhooks.constructEvent>;

/** Stripe's default window for the signed timestamp, in seconds. */
export const STRIPE_TOLERANCE_SECONDS = 300;

const subtleCrypto = Stripe.createSubtleCryptoProvider();

/**
 * Verifies the `Stripe-Signature` header over the raw request body (HMAC-SHA256 of
 * `${t}.${body}` with the endpoint's whsec_ secret, timestamp within 300 s) and returns the
 * parsed event. Throws Stripe's StripeSignatureVerificationError when the header is missing,
 * malformed, stale or signed with another secret.
 */
export function verifyStripeEvent(
  rawBody: string,
  signatureHeader: string,
  webhookSecret: string,
): Promise<StripeEvent> {
  return Stripe.webhooks.constructEventAsync(
    rawBody,
    signatureHeader,
    webhookSecret,
    undefined,
    subtleCrypto,
  ) as Promise<StripeEvent>;
}

/** Returns lower-case hex of SHA-512 over the UTF-8 bytes of `text`. */
async function sha512Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-512', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * Returns Midtrans's signature_key for a notification: hex SHA-512 of
 * order_id + status_code + gross_amount + server key, over the exact strings received.
 */
export function midtransSignature(
  orderId: string,
  statusCode: string,
  grossAmount: string,
  serverKey: string,
): Promise<string> {
  return sha512Hex(orderId + statusCode + grossAmount + serverKey);
}

/**
 * Compares two strings in time that depends only on their length, so a caller cannot learn
 * how many leading characters of a signature were right.
 */
export function timingSafeEqual(a: string, b: string): boolean {
  const left = new TextEncoder().encode(a);
  const right = new TextEncoder().encode(b);
  if (left.byteLength !== right.byteLength) return false;

  let difference = 0;
  for (let i = 0; i < left.byteLength; i++) difference |= left[i] ^ right[i];
  return difference === 0;
}

/** Returns whether a Midtrans notification carries the signature_key that the server key produces. */
export async function verifyMidtransSignature(
  notification: {
    order_id: string;
    status_code: string;
    gross_amount: string;
    signature_key: string;
  },
  serverKey: string,
): Promise<boolean> {
  const expected = await midtransSignature(
    notification.order_id,
    notification.status_code,
    notification.gross_amount,
    serverKey,
  );
  return timingSafeEqual(expected, notification.signature_key.toLowerCase());
}

import type { OrderStatus } from './schemas';

/** Statuses after which an order no longer changes without a refund or dispute. */
const SETTLED: ReadonlySet<OrderStatus> = new Set([
  'paid',
  'failed',
  'expired',
  'refunded',
  'partially_refunded',
  'disputed'
]);

/** Whether the order page should keep checking for a payment update. */
export function isAwaitingPayment(status: OrderStatus): boolean {
  return !SETTLED.has(status);
}

/**
 * Returns the object name a payment proof is uploaded to in the `payment-proofs` bucket:
 * `<user id>/<order id>/<file name>`. The file name loses any folder part, accents and
 * characters outside letters, digits, `_` and `-`, so it stays one safe path segment.
 */
export function proofObjectPath(userId: string, orderId: string, fileName: string): string {
  const base = fileName.split(/[/\\]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  const stem = dot >= 0 ? base.slice(0, dot) : base;
  const extension = dot >= 0 ? base.slice(dot + 1) : '';

  const safeStem =
    stem
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .replace(/[^\w-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || 'proof';
  const safeExtension = extension
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .slice(0, 10);
  const name = safeExtension ? `${safeStem}.${safeExtension}` : safeStem;
  return `${userId}/${orderId}/${name}`;
}

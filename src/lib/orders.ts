import type { ManualPayment, OrderStatus, Provider } from './schemas';

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

const PROVIDERS: readonly Provider[] = ['stripe', 'midtrans', 'manual'];

/** Returns the payment providers offered for a price in `currency`: Midtrans takes IDR only. */
export function providersFor(currency: string): Provider[] {
  const code = currency.toUpperCase();
  return PROVIDERS.filter((provider) => provider !== 'midtrans' || code === 'IDR');
}

/** The types the `payment-proofs` bucket accepts (its allowed_mime_types). */
export const PROOF_MIME_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'application/pdf'];

/** The `payment-proofs` bucket's file_size_limit: 10 MiB. */
export const PROOF_MAX_BYTES = 10 * 1024 * 1024;

export type ProofFileProblem = 'proof_invalid_type' | 'proof_too_large';

/** Returns why the bucket would reject a proof file, or null when it would take it. */
export function checkProofFile(file: { type: string; size: number }): ProofFileProblem | null {
  if (!PROOF_MIME_TYPES.includes(file.type)) return 'proof_invalid_type';
  if (file.size > PROOF_MAX_BYTES) return 'proof_too_large';
  return null;
}

/** An order status as the badge shows it: `proof_received` while a sent proof awaits review. */
export type DisplayStatus = OrderStatus | 'proof_received';

/** Returns the badge status: an order awaiting payment with an undecided proof shows `proof_received`. */
export function displayStatus(
  status: OrderStatus,
  review: Pick<ManualPayment, 'proof_path' | 'decision'> | null
): DisplayStatus {
  if (status === 'awaiting_payment' && review?.proof_path && review.decision === null) {
    return 'proof_received';
  }
  return status;
}

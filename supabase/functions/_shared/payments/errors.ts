/**
 * Business errors raised by the payments SQL functions (`raise exception ... hint = '<code>'`)
 * and the HTTP status each one maps to.
 */

export const orderErrorStatus = {
  invalid_provider: 400,
  cart_empty: 400,
  cart_duplicate_product: 400,
  product_not_found: 404,
  mixed_currency: 422,
  already_owned: 409,
  order_not_found: 404,
  not_manual_order: 409,
  order_not_awaiting_payment: 409,
  invalid_proof_path: 400,
  proof_not_found: 404,
  proof_missing: 409,
  already_reviewed: 409,
  not_admin: 403,
  invalid_decision: 400,
  reason_required: 400,
} as const;

export type OrderErrorCode = keyof typeof orderErrorStatus;

/** A rejection the caller can act on, with the sentence the database wrote. */
export class OrderError extends Error {
  constructor(
    readonly code: OrderErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'OrderError';
  }

  get status(): number {
    return orderErrorStatus[this.code];
  }
}

/** The fields of a PostgREST error that supabase-js returns from `rpc`. */
interface PostgrestErrorLike {
  code?: string;
  message: string;
  hint?: string | null;
}

/**
 * Turns a PostgREST error into an OrderError when it is one of the payments functions' own
 * rejections, and returns null for anything else (a database failure the caller cannot fix).
 */
export function orderErrorFrom(error: PostgrestErrorLike): OrderError | null {
  if (error.code !== 'P0001' || !error.hint) return null;
  if (!Object.hasOwn(orderErrorStatus, error.hint)) return null;
  return new OrderError(error.hint as OrderErrorCode, error.message);
}

import type { Purchase } from './schemas';

/** The state of a buyer's access to a purchase, derived from its dates and counters. */
export type AccessState =
  | { kind: 'lifetime' }
  | { kind: 'until'; expiresAt: string }
  | { kind: 'expired'; expiredAt: string }
  | { kind: 'revoked'; reason: string | null }
  | { kind: 'suspended' }
  | { kind: 'pending' }
  | { kind: 'limit_reached' };

type AccessFields = Pick<
  Purchase,
  | 'granted_at'
  | 'expires_at'
  | 'revoked_at'
  | 'revoke_reason'
  | 'suspended_at'
  | 'download_limit'
  | 'download_count'
>;

/**
 * Returns the access state of a purchase at `now`. The checks run in the order
 * `public.claim_download` reports refusals: revoked, suspended, payment pending, expired,
 * then download limit reached.
 */
export function accessState(purchase: AccessFields, now: Date): AccessState {
  if (purchase.revoked_at) return { kind: 'revoked', reason: purchase.revoke_reason };
  if (purchase.suspended_at) return { kind: 'suspended' };
  if (!purchase.granted_at) return { kind: 'pending' };

  if (purchase.expires_at && Date.parse(purchase.expires_at) <= now.getTime()) {
    return { kind: 'expired', expiredAt: purchase.expires_at };
  }
  if (remainingDownloads(purchase) === 0) return { kind: 'limit_reached' };

  if (purchase.expires_at) return { kind: 'until', expiresAt: purchase.expires_at };
  return { kind: 'lifetime' };
}

/** Returns the downloads left, or null when the purchase has no limit. */
export function remainingDownloads(
  purchase: Pick<Purchase, 'download_limit' | 'download_count'>
): number | null {
  if (purchase.download_limit === null) return null;
  return Math.max(0, purchase.download_limit - purchase.download_count);
}

/** Returns whether the library offers Download buttons for a purchase in this state. */
export function canDownload(state: AccessState): boolean {
  return state.kind === 'lifetime' || state.kind === 'until';
}

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

/**
 * The signed-in buyer's ownership of one product, for the product page. Only `lifetime` blocks
 * checkout, because `public.create_order` rejects a product the buyer owns through a granted,
 * unrevoked purchase without an expiry and lets every other buyer buy again.
 */
export type Ownership =
  | { kind: 'none' }
  | { kind: 'lifetime' }
  | { kind: 'until'; expiresAt: string }
  | { kind: 'expired'; expiredAt: string }
  | { kind: 'revoked' };

export type OwnershipFields = Pick<Purchase, 'granted_at' | 'expires_at' | 'revoked_at'>;

function latest(dates: string[]): string {
  return dates.reduce((max, date) => (Date.parse(date) > Date.parse(max) ? date : max));
}

/**
 * Returns the buyer's ownership of a product from all their purchases of it at `now`: for
 * life first, then the latest running expiry, the latest past expiry, and finally revoked.
 * Purchases still waiting for their payment (no granted_at) count as none.
 */
export function ownershipOf(purchases: OwnershipFields[], now: Date): Ownership {
  const granted = purchases.filter((purchase) => purchase.granted_at !== null);
  const live = granted.filter((purchase) => purchase.revoked_at === null);

  if (live.some((purchase) => purchase.expires_at === null)) return { kind: 'lifetime' };

  const expiries = live.map((purchase) => purchase.expires_at as string);
  const running = expiries.filter((date) => Date.parse(date) > now.getTime());
  if (running.length > 0) return { kind: 'until', expiresAt: latest(running) };
  if (expiries.length > 0) return { kind: 'expired', expiredAt: latest(expiries) };

  if (granted.length > 0) return { kind: 'revoked' };
  return { kind: 'none' };
}

import { describe, expect, it } from 'vitest';
import { accessState, canDownload, ownershipOf, remainingDownloads } from '../../src/lib/access';

const NOW = new Date('2026-12-04T12:00:00Z');

function purchase(overrides: Partial<Parameters<typeof accessState>[0]> = {}) {
  return {
    granted_at: '2026-01-01T00:00:00Z',
    expires_at: null,
    revoked_at: null,
    revoke_reason: null,
    suspended_at: null,
    download_limit: null,
    download_count: 0,
    ...overrides
  };
}

describe('accessState', () => {
  it.each([
    { name: 'lifetime without expiry', fields: {}, expected: { kind: 'lifetime' } },
    {
      name: 'until a future expiry',
      fields: { expires_at: '2027-01-03T00:00:00Z' },
      expected: { kind: 'until', expiresAt: '2027-01-03T00:00:00Z' }
    },
    {
      name: 'expired at a past expiry',
      fields: { expires_at: '2026-12-03T12:00:00Z' },
      expected: { kind: 'expired', expiredAt: '2026-12-03T12:00:00Z' }
    },
    {
      name: 'expired exactly at now',
      fields: { expires_at: NOW.toISOString() },
      expected: { kind: 'expired', expiredAt: NOW.toISOString() }
    },
    {
      name: 'revoked with its reason',
      fields: { revoked_at: '2026-06-01T00:00:00Z', revoke_reason: 'refunded' },
      expected: { kind: 'revoked', reason: 'refunded' }
    },
    {
      name: 'suspended during a dispute',
      fields: { suspended_at: '2026-06-01T00:00:00Z' },
      expected: { kind: 'suspended' }
    },
    {
      name: 'pending before the grant',
      fields: { granted_at: null },
      expected: { kind: 'pending' }
    },
    {
      name: 'limit reached',
      fields: { download_limit: 5, download_count: 5 },
      expected: { kind: 'limit_reached' }
    },
    {
      name: 'revocation before expiry',
      fields: { revoked_at: '2026-06-01T00:00:00Z', expires_at: '2026-07-01T00:00:00Z' },
      expected: { kind: 'revoked', reason: null }
    },
    {
      name: 'expiry before the limit',
      fields: { expires_at: '2026-07-01T00:00:00Z', download_limit: 1, download_count: 1 },
      expected: { kind: 'expired', expiredAt: '2026-07-01T00:00:00Z' }
    }
  ])('reports $name', ({ fields, expected }) => {
    expect(accessState(purchase(fields), NOW)).toEqual(expected);
  });
});

describe('remainingDownloads', () => {
  it('is null without a limit', () => {
    expect(remainingDownloads({ download_limit: null, download_count: 3 })).toBeNull();
  });

  it('subtracts the downloads used', () => {
    expect(remainingDownloads({ download_limit: 10, download_count: 2 })).toBe(8);
  });

  it('never goes below zero', () => {
    expect(remainingDownloads({ download_limit: 2, download_count: 5 })).toBe(0);
  });
});

describe('canDownload', () => {
  it.each([
    [{ kind: 'lifetime' } as const, true],
    [{ kind: 'until', expiresAt: '2027-01-01T00:00:00Z' } as const, true],
    [{ kind: 'expired', expiredAt: '2026-01-01T00:00:00Z' } as const, false],
    [{ kind: 'revoked', reason: null } as const, false],
    [{ kind: 'suspended' } as const, false],
    [{ kind: 'pending' } as const, false],
    [{ kind: 'limit_reached' } as const, false]
  ])('offers downloads for %o: %s', (state, expected) => {
    expect(canDownload(state)).toBe(expected);
  });
});

describe('ownershipOf', () => {
  const lifetime = { granted_at: '2026-01-01T00:00:00Z', expires_at: null, revoked_at: null };
  const expired = {
    granted_at: '2026-01-01T00:00:00Z',
    expires_at: '2026-12-03T12:00:00Z',
    revoked_at: null
  };
  const olderExpired = { ...expired, expires_at: '2026-06-01T00:00:00Z' };
  const running = { ...expired, expires_at: '2027-01-03T00:00:00Z' };
  const laterRunning = { ...expired, expires_at: '2027-02-01T00:00:00Z' };
  const revokedLifetime = { ...lifetime, revoked_at: '2026-06-01T00:00:00Z' };
  const pendingLifetime = { granted_at: null, expires_at: null, revoked_at: null };

  it.each([
    { name: 'no purchases', purchases: [], expected: { kind: 'none' } },
    { name: 'granted without expiry', purchases: [lifetime], expected: { kind: 'lifetime' } },
    {
      name: 'lifetime beside an expired one',
      purchases: [expired, lifetime],
      expected: { kind: 'lifetime' }
    },
    {
      name: 'expired purchase',
      purchases: [expired],
      expected: { kind: 'expired', expiredAt: '2026-12-03T12:00:00Z' }
    },
    {
      name: 'latest of two expired',
      purchases: [olderExpired, expired],
      expected: { kind: 'expired', expiredAt: '2026-12-03T12:00:00Z' }
    },
    {
      name: 'running beats expired',
      purchases: [expired, running],
      expected: { kind: 'until', expiresAt: '2027-01-03T00:00:00Z' }
    },
    {
      name: 'latest of two running',
      purchases: [laterRunning, running],
      expected: { kind: 'until', expiresAt: '2027-02-01T00:00:00Z' }
    },
    { name: 'revoked lifetime', purchases: [revokedLifetime], expected: { kind: 'revoked' } },
    {
      name: 'expired beats revoked',
      purchases: [revokedLifetime, expired],
      expected: { kind: 'expired', expiredAt: '2026-12-03T12:00:00Z' }
    },
    { name: 'payment still pending', purchases: [pendingLifetime], expected: { kind: 'none' } }
  ])('$name', ({ purchases, expected }) => {
    expect(ownershipOf(purchases, NOW)).toEqual(expected);
  });
});

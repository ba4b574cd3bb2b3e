import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { AuthError } from '../../stack/auth/errors.ts';
import { parseDurationSeconds } from '../../stack/auth/settings.ts';
import {
  generateOtp,
  hashOtp,
  signAccessToken,
  verifyAccessToken,
  verifyCodeChallenge,
  type AccessTokenClaims
} from '../../stack/auth/tokens.ts';

const SECRET = 'a-test-secret-that-is-at-least-32-characters-long';

const claims: AccessTokenClaims = {
  sub: 'b0000000-0000-4000-8000-000000000001',
  aud: 'authenticated',
  email: 'buyer@example.com',
  phone: '',
  app_metadata: { provider: 'email', providers: ['email'] },
  user_metadata: {},
  role: 'authenticated',
  aal: 'aal1',
  amr: [{ method: 'password', timestamp: 1_800_000_000 }],
  session_id: '5e55e55e-0000-4000-8000-000000000001',
  is_anonymous: false
};

describe('hashOtp', () => {
  it('returns hex(sha224(email + otp))', () => {
    expect(hashOtp('buyer@example.com', '123456')).toBe(
      '6c79708365e75785d08b901825d1c0873001b594f531045a98df622c'
    );
  });
});

describe('generateOtp', () => {
  it('returns the requested number of decimal digits', () => {
    const codes = Array.from({ length: 50 }, () => generateOtp(6));

    for (const code of codes) expect(code).toMatch(/^\d{6}$/);
    expect(new Set(codes).size).toBeGreaterThan(1);
  });
});

describe('verifyCodeChallenge', () => {
  // The example verifier and challenge of RFC 7636, appendix B.
  const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
  const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

  it('accepts the RFC 7636 s256 example', () => {
    expect(verifyCodeChallenge(challenge, 's256', verifier)).toBe(true);
  });

  it('rejects another verifier for s256', () => {
    expect(verifyCodeChallenge(challenge, 's256', `${verifier}x`)).toBe(false);
  });

  it('compares plain challenges directly', () => {
    expect(verifyCodeChallenge(verifier, 'plain', verifier)).toBe(true);
    expect(verifyCodeChallenge(verifier, 'plain', challenge)).toBe(false);
  });
});

describe('access tokens', () => {
  it('carry the claims, issuer and lifetime', async () => {
    const signed = await signAccessToken(claims, {
      secret: SECRET,
      issuer: 'http://127.0.0.1:54321/auth/v1',
      lifetime: 3600
    });
    const payload = decodeJwt(signed.token);

    expect(payload).toMatchObject({ ...claims, iss: 'http://127.0.0.1:54321/auth/v1' });
    expect(payload.exp).toBe(signed.expiresAt);
    expect(payload.exp! - payload.iat!).toBe(3600);
    expect(signed.expiresIn).toBe(3600);
  });

  it('verify with the signing secret', async () => {
    const signed = await signAccessToken(claims, { secret: SECRET, issuer: 'iss', lifetime: 60 });

    await expect(verifyAccessToken(signed.token, SECRET)).resolves.toMatchObject({
      sub: claims.sub
    });
  });

  it('fail with bad_jwt under another secret', async () => {
    const signed = await signAccessToken(claims, { secret: SECRET, issuer: 'iss', lifetime: 60 });

    const failure = await verifyAccessToken(signed.token, `${SECRET}-other`).catch(
      (error) => error
    );

    expect(failure).toBeInstanceOf(AuthError);
    expect(failure.status).toBe(403);
    expect(failure.code).toBe('bad_jwt');
  });

  it('fail with bad_jwt once expired', async () => {
    const signed = await signAccessToken(claims, { secret: SECRET, issuer: 'iss', lifetime: -10 });

    const failure = await verifyAccessToken(signed.token, SECRET).catch((error) => error);

    expect(failure.code).toBe('bad_jwt');
    expect(failure.message).toContain('expired');
  });
});

describe('parseDurationSeconds', () => {
  it.each([
    ['1s', 1],
    ['90m', 5400],
    ['1h30m', 5400],
    ['24h', 86_400],
    ['1.5h', 5400],
    ['500ms', 0.5],
    ['0', 0]
  ])('reads %s as %d seconds', (text, seconds) => {
    expect(parseDurationSeconds(text)).toBe(seconds);
  });

  it.each(['', 'soon', '10', '1d', '5m junk'])('rejects %j', (text) => {
    expect(parseDurationSeconds(text)).toBeNull();
  });
});

import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { forbidden } from './errors.ts';

/** One entry of the `amr` claim: how and when the session was authenticated. */
export interface AmrEntry {
  method: string;
  timestamp: number;
}

/** The claims Supabase Auth puts in a user's access token. */
export interface AccessTokenClaims {
  sub: string;
  aud: string;
  email: string;
  phone: string;
  app_metadata: Record<string, unknown>;
  user_metadata: Record<string, unknown>;
  role: string;
  aal: string;
  amr: AmrEntry[];
  session_id: string;
  is_anonymous: boolean;
}

export interface SignedAccessToken {
  token: string;
  expiresAt: number;
  expiresIn: number;
}

function secretKey(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

export async function signAccessToken(
  claims: AccessTokenClaims,
  options: { secret: string; issuer: string; lifetime: number }
): Promise<SignedAccessToken> {
  const issuedAt = Math.floor(Date.now() / 1000);
  const expiresAt = issuedAt + options.lifetime;
  const token = await new SignJWT({ ...claims })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(options.issuer)
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt)
    .sign(secretKey(options.secret));
  return { token, expiresAt, expiresIn: options.lifetime };
}

/** Verifies an HS256 token's signature and expiry, raising 403 `bad_jwt` when it fails. */
export async function verifyAccessToken(token: string, secret: string): Promise<JWTPayload> {
  try {
    const { payload } = await jwtVerify(token, secretKey(secret), { algorithms: ['HS256'] });
    return payload;
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) {
      throw forbidden(
        'bad_jwt',
        'Invalid JWT: the token has expired. Refresh the session or sign in again.'
      );
    }
    if (error instanceof joseErrors.JOSEError) {
      throw forbidden(
        'bad_jwt',
        `Invalid JWT: unable to parse or verify the signature (${error.code}).`
      );
    }
    throw error;
  }
}

/** Generates an opaque refresh token: 24 random bytes, base64url. */
export function generateRefreshToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Generates a one-time password of `length` decimal digits, leading zeros kept. */
export function generateOtp(length: number): string {
  let digits = '';
  for (let index = 0; index < length; index += 1) digits += String(randomInt(10));
  return digits;
}

/** Computes the token hash Supabase Auth puts in email links: hex(sha224(email + otp)). */
export function hashOtp(email: string, otp: string): string {
  return createHash('sha224')
    .update(email + otp)
    .digest('hex');
}

/** Compares two strings in constant time for equal lengths. */
export function safeEqual(left: string, right: string): boolean {
  const a = Buffer.from(left);
  const b = Buffer.from(right);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Checks a PKCE code verifier against the stored challenge: `s256` compares
 * base64url(sha256(verifier)) without padding, `plain` compares the verifier itself.
 */
export function verifyCodeChallenge(challenge: string, method: string, verifier: string): boolean {
  if (method === 'plain') return safeEqual(challenge, verifier);
  const expected = createHash('sha256').update(verifier).digest('base64url');
  return safeEqual(challenge, expected);
}

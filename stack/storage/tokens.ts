import type { IncomingMessage } from 'node:http';
import { compactVerify, errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import type { JwtClaims } from '../context.ts';
import { bearerToken } from '../http.ts';
import { errors } from './errors.ts';

/**
 * The database roles a caller's JWT may name. Any other role (such as `postgres`) is rejected,
 * because the service connects as a superuser and switches to the role the token names.
 */
const CALLER_ROLES = ['anon', 'authenticated', 'service_role'] as const;

const callerClaimsSchema = z.looseObject({
  role: z.enum(CALLER_ROLES, {
    error: (issue) =>
      issue.input === undefined
        ? 'the token has no role claim, so it is not an API key or access token'
        : `the role claim ${JSON.stringify(issue.input)} is not one of ${CALLER_ROLES.join(', ')}`
  }),
  sub: z.string().optional()
});

function callerToken(req: IncomingMessage): string {
  if (req.headers.authorization) {
    const token = bearerToken(req);
    if (token) return token;
    throw errors.invalidJwt(
      'Invalid JWT: the Authorization header is not "Bearer <token>". Send the access token ' +
        'or an API key as a bearer token.'
    );
  }

  const apikey = req.headers.apikey;
  if (typeof apikey === 'string' && apikey !== '') return apikey;
  throw errors.invalidJwt(
    'Invalid JWT: the request has no Authorization header and no apikey header. Send the anon ' +
      'key, the service role key or a user access token.'
  );
}

/**
 * Verifies the caller's JWT (HS256 with the stack secret): the Authorization bearer token, or
 * the `apikey` header when there is no Authorization header. Returns its claims for
 * `withClaims`, or throws a 400 InvalidJWT.
 */
export async function verifyCaller(req: IncomingMessage, secret: Uint8Array): Promise<JwtClaims> {
  const token = callerToken(req);
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(token, secret, { algorithms: ['HS256'] }));
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) {
      throw errors.invalidJwt(
        'Invalid JWT: the token has expired. Refresh the session or sign in again.'
      );
    }
    throw errors.invalidJwt(
      'Invalid JWT: the token is malformed or its signature does not match the stack JWT secret.'
    );
  }

  const parsed = callerClaimsSchema.safeParse(payload);
  if (!parsed.success) {
    throw errors.invalidJwt(`Invalid JWT: ${parsed.error.issues[0].message}.`);
  }
  return parsed.data as JwtClaims;
}

/** The right a signed URL token grants: reading (`download`) or writing (`upload`) one object. */
export type SignedScope = 'download' | 'upload';

const signedPayloadSchema = z.object({
  url: z.string(),
  exp: z.number(),
  iat: z.number().optional(),
  scope: z.enum(['download', 'upload']).optional(),
  owner: z.string().optional(),
  upsert: z.boolean().optional()
});

export type SignedPayload = z.infer<typeof signedPayloadSchema>;

/**
 * Signs a token for one object (`url` is `bucket/name`), valid for `expiresIn` seconds. Upload
 * tokens also carry the owner and the upsert flag chosen when the URL was created.
 */
export async function signObjectToken(
  secret: Uint8Array,
  claims: { url: string; scope: SignedScope; owner?: string; upsert?: boolean },
  expiresIn: number
): Promise<string> {
  const issuedAt = Math.floor(Date.now() / 1000);
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + expiresIn)
    .sign(secret);
}

/**
 * Checks a signed URL token in the order Supabase Storage does: the signature, then that its
 * `url` claim names exactly the requested object, then the expiry. Download tokens from older
 * Storage versions have no `scope`, so a missing scope counts as `download`.
 */
export async function verifyObjectToken(
  secret: Uint8Array,
  token: string,
  requestedUrl: string,
  scope: SignedScope
): Promise<SignedPayload> {
  let payload: SignedPayload;
  try {
    const { payload: bytes } = await compactVerify(token, secret, { algorithms: ['HS256'] });
    payload = signedPayloadSchema.parse(JSON.parse(new TextDecoder().decode(bytes)));
  } catch {
    throw errors.invalidJwt(
      'Invalid JWT: the signed URL token is malformed or its signature does not verify. ' +
        'Create a new signed URL.'
    );
  }

  if ((payload.scope ?? 'download') !== scope) {
    throw errors.invalidSignature(
      `The signed URL token grants ${payload.scope ?? 'download'}, not ${scope}: ` +
        `create a ${scope} URL for this object.`
    );
  }
  if (payload.url !== requestedUrl) {
    throw errors.invalidSignature(
      `The signed URL token does not match the requested object: it was signed for ` +
        `${JSON.stringify(payload.url)}, not ${JSON.stringify(requestedUrl)}.`
    );
  }
  if (payload.exp <= Math.floor(Date.now() / 1000)) {
    throw errors.expiredToken();
  }
  return payload;
}

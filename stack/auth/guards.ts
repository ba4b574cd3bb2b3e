import type { IncomingMessage } from 'node:http';
import type { JWTPayload } from 'jose';
import { bearerToken } from '../http.ts';
import type { AuthContext } from './context.ts';
import { AuthError, forbidden } from './errors.ts';
import { verifyAccessToken } from './tokens.ts';
import { findUserById, type UserRow } from './users.ts';

/** JWT roles allowed to call the admin endpoints. */
const ADMIN_ROLES = new Set(['service_role', 'supabase_admin']);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** Returns the caller's verified JWT claims, raising 401 `no_authorization` or 403 `bad_jwt`. */
export async function requireClaims(auth: AuthContext, req: IncomingMessage): Promise<JWTPayload> {
  const token = bearerToken(req);
  if (!token) {
    throw new AuthError(401, 'no_authorization', 'This endpoint requires a valid Bearer token');
  }
  return verifyAccessToken(token, auth.stack.config.jwtSecret);
}

export interface Caller {
  claims: JWTPayload;
  user: UserRow;
  /** The `session_id` claim, when the token belongs to a session. */
  sessionId: string | null;
}

/** The signed-in user behind the Bearer token; the token's session must still exist. */
export async function requireUser(auth: AuthContext, req: IncomingMessage): Promise<Caller> {
  const claims = await requireClaims(auth, req);
  if (typeof claims.sub !== 'string' || !claims.sub) {
    throw forbidden(
      'bad_jwt',
      'Invalid JWT: the token has no sub claim, so it belongs to no user.'
    );
  }
  if (!isUuid(claims.sub)) {
    throw forbidden('bad_jwt', `Invalid JWT: the sub claim "${claims.sub}" is not a UUID.`);
  }

  const user = await findUserById(auth.stack.pool, claims.sub);
  if (!user || user.deleted_at) {
    throw forbidden('user_not_found', 'User from sub claim in JWT does not exist');
  }

  const sessionId = typeof claims.session_id === 'string' ? claims.session_id : null;
  if (sessionId !== null) {
    const found =
      isUuid(sessionId) &&
      (
        await auth.stack.pool.query('select 1 from auth.sessions where id = $1 and user_id = $2', [
          sessionId,
          user.id
        ])
      ).rowCount;
    if (!found) {
      throw forbidden('session_not_found', 'Session from session_id claim in JWT does not exist');
    }
  }
  return { claims, user, sessionId };
}

/** Raises 403 `not_admin` unless the Bearer token has an admin role such as `service_role`. */
export async function requireAdmin(auth: AuthContext, req: IncomingMessage): Promise<JWTPayload> {
  const claims = await requireClaims(auth, req);
  if (typeof claims.role !== 'string' || !ADMIN_ROLES.has(claims.role)) {
    throw forbidden('not_admin', 'User not allowed');
  }
  return claims;
}

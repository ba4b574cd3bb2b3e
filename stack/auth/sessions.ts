import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Queryable } from './db.ts';
import type { AuthContext } from './context.ts';
import { badRequest } from './errors.ts';
import { generateRefreshToken, signAccessToken, type AmrEntry } from './tokens.ts';
import { loadUserJson } from './user-json.ts';
import { findUserById, isBanned, recordSignIn, type UserRow } from './users.ts';

/** The body of every response that signs a user in. */
export interface SessionResponse {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  expires_at: number;
  refresh_token: string;
  user: Record<string, unknown>;
}

interface SessionRow {
  id: string;
  user_id: string;
  aal: string | null;
}

interface RefreshTokenRow {
  id: string;
  token: string;
  user_id: string;
  revoked: boolean;
  parent: string | null;
  session_id: string | null;
  updated_at: Date;
}

export type LogoutScope = 'global' | 'local' | 'others';

/** Returns the peer address, which is the client's because Auth runs inside the gateway process. */
function clientAddress(req: IncomingMessage): string | null {
  return req.socket.remoteAddress ?? null;
}

async function loadAmr(client: Queryable, sessionId: string): Promise<AmrEntry[]> {
  const { rows } = await client.query<{ authentication_method: string; created_at: Date }>(
    `select authentication_method, created_at from auth.mfa_amr_claims
      where session_id = $1 order by created_at desc`,
    [sessionId]
  );
  return rows.map((row) => ({
    method: row.authentication_method,
    timestamp: Math.floor(row.created_at.getTime() / 1000)
  }));
}

async function insertRefreshToken(
  client: Queryable,
  userId: string,
  sessionId: string,
  parent: string | null
): Promise<string> {
  const token = generateRefreshToken();
  await client.query(
    `insert into auth.refresh_tokens
       (instance_id, token, user_id, revoked, created_at, updated_at, parent, session_id)
     values ('00000000-0000-0000-0000-000000000000', $1, $2, false, now(), now(), $3, $4)`,
    [token, userId, parent, sessionId]
  );
  return token;
}

async function buildResponse(
  auth: AuthContext,
  client: Queryable,
  user: UserRow,
  session: SessionRow,
  refreshToken: string
): Promise<SessionResponse> {
  const signed = await signAccessToken(
    {
      sub: user.id,
      aud: user.aud || 'authenticated',
      email: user.email ?? '',
      phone: user.phone ?? '',
      app_metadata: user.raw_app_meta_data ?? {},
      user_metadata: user.raw_user_meta_data ?? {},
      role: user.role || 'authenticated',
      aal: session.aal ?? 'aal1',
      amr: await loadAmr(client, session.id),
      session_id: session.id,
      is_anonymous: user.is_anonymous
    },
    { secret: auth.stack.config.jwtSecret, issuer: auth.baseUrl, lifetime: auth.settings.jwtExpiry }
  );
  return {
    access_token: signed.token,
    token_type: 'bearer',
    expires_in: signed.expiresIn,
    expires_at: signed.expiresAt,
    refresh_token: refreshToken,
    user: await loadUserJson(client, user)
  };
}

/**
 * Opens a session for a user who just authenticated with `method` (`password`, `otp`,
 * `magiclink`, ...): a session row, its first refresh token and the signed access token.
 */
export async function startSession(
  auth: AuthContext,
  client: Queryable,
  user: UserRow,
  method: string,
  req: IncomingMessage
): Promise<SessionResponse> {
  const session: SessionRow = { id: randomUUID(), user_id: user.id, aal: 'aal1' };
  const userAgent = req.headers['user-agent'] ?? null;
  await client.query(
    `insert into auth.sessions (id, user_id, created_at, updated_at, aal, refreshed_at, user_agent, ip)
     values ($1, $2, now(), now(), 'aal1', now(), $3, $4)`,
    [session.id, user.id, userAgent, clientAddress(req)]
  );
  await client.query(
    `insert into auth.mfa_amr_claims (id, session_id, created_at, updated_at, authentication_method)
     values ($1, $2, now(), now(), $3)`,
    [randomUUID(), session.id, method]
  );
  const refreshToken = await insertRefreshToken(client, user.id, session.id, null);
  const signedIn = await recordSignIn(client, user.id);
  return buildResponse(auth, client, signedIn, session, refreshToken);
}

export type RefreshOutcome =
  | { kind: 'refreshed'; session: SessionResponse }
  | { kind: 'reused'; tokenId: string; sessionId: string };

/**
 * Exchanges a refresh token for a new session response, rotating the token. A revoked token
 * whose child is still the session's newest token returns that child again, so two tabs
 * refreshing at once both succeed. Any other revoked token is accepted only within the reuse
 * interval. Past it, the session is ended and the caller gets `reused` back, so the deletion
 * commits before `refresh_token_already_used` is raised.
 */
export async function refreshSession(
  auth: AuthContext,
  client: Queryable,
  presented: string
): Promise<RefreshOutcome> {
  const { rows } = await client.query<RefreshTokenRow>(
    `select id, token, user_id, revoked, parent, session_id, updated_at
       from auth.refresh_tokens where token = $1 for update`,
    [presented]
  );
  const token = rows[0];
  if (!token) {
    throw badRequest('refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found');
  }

  const user = await findUserById(client, token.user_id);
  if (!user || user.deleted_at) {
    throw badRequest('refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found');
  }
  if (isBanned(user)) throw badRequest('user_banned', 'Invalid Refresh Token: User Banned');

  const sessions = await client.query<SessionRow>(
    'select id, user_id, aal from auth.sessions where id = $1 for update',
    [token.session_id]
  );
  const session = sessions.rows[0];
  if (!session) {
    throw badRequest('session_not_found', 'Invalid Refresh Token: No Valid Session Found');
  }

  let issued: string | null = null;
  if (token.revoked) {
    const active = await client.query<RefreshTokenRow>(
      `select id, token, parent from auth.refresh_tokens
        where session_id = $1 and revoked = false order by id desc limit 1`,
      [session.id]
    );
    if (active.rows[0]?.parent === token.token) {
      issued = active.rows[0].token;
    } else {
      const reuseUntil =
        token.updated_at.getTime() + auth.settings.refreshTokenReuseInterval * 1000;
      if (Date.now() > reuseUntil) {
        // NOTE: Supabase Auth revokes the session's tokens but keeps the session row. This
        // service deletes the row, so the session's access tokens stop working at once too.
        await client.query('delete from auth.sessions where id = $1', [session.id]);
        return { kind: 'reused', tokenId: token.id, sessionId: session.id };
      }
    }
  }

  if (!issued) {
    if (auth.settings.refreshTokenRotation || token.revoked) {
      // A token revoked earlier keeps its updated_at, so reusing it cannot extend its window.
      await client.query(
        `update auth.refresh_tokens set revoked = true, updated_at = now()
          where id = $1 and revoked = false`,
        [token.id]
      );
      issued = await insertRefreshToken(client, user.id, session.id, token.token);
    } else {
      issued = token.token;
    }
  }
  await client.query(
    'update auth.sessions set refreshed_at = now(), updated_at = now() where id = $1',
    [session.id]
  );
  return { kind: 'refreshed', session: await buildResponse(auth, client, user, session, issued) };
}

/** Ends sessions of a user: all of them, only `sessionId`, or all but `sessionId`. */
export async function endSessions(
  client: Queryable,
  userId: string,
  scope: LogoutScope,
  sessionId: string | null
): Promise<number> {
  if (scope === 'global') {
    const result = await client.query('delete from auth.sessions where user_id = $1', [userId]);
    return result.rowCount ?? 0;
  }
  if (!sessionId) return 0;

  const operator = scope === 'local' ? '=' : '<>';
  const result = await client.query(
    `delete from auth.sessions where user_id = $1 and id ${operator} $2`,
    [userId, sessionId]
  );
  return result.rowCount ?? 0;
}

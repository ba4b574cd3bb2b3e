/** The signed-in caller of a payments function, resolved through Auth. */
import {
  isAuthApiError,
  isAuthSessionMissingError,
  type SupabaseClient,
} from '@supabase/supabase-js';
import { bearerToken, errorResponse } from '../http.ts';

export interface Caller {
  id: string;
  email: string | null;
  /** app_metadata.role is 'admin'; only Auth and the service role can set app_metadata. */
  isAdmin: boolean;
}

/**
 * Resolves an access token through Auth (`GET /auth/v1/user`), which also rejects tokens of
 * signed-out sessions and deleted users. Returns null when Auth rejects the token with a 4xx
 * status and throws when Auth cannot be reached or fails.
 */
export async function callerFromToken(
  client: SupabaseClient,
  accessToken: string,
): Promise<Caller | null> {
  const { data, error } = await client.auth.getUser(accessToken);
  if (error) {
    // supabase-js reports Auth's 403 session_not_found (a signed-out session) as
    // AuthSessionMissingError, which is not an AuthApiError.
    if (isAuthSessionMissingError(error)) return null;
    if (isAuthApiError(error) && error.status >= 400 && error.status < 500) return null;
    throw new Error(`Auth could not resolve the access token: ${error.message}`, { cause: error });
  }
  if (!data.user) return null;

  return {
    id: data.user.id,
    email: data.user.email ?? null,
    isAdmin: data.user.app_metadata?.role === 'admin',
  };
}

/**
 * Resolves the caller of a request from its bearer token, or returns the 401 response to send
 * when the token is missing or Auth rejects it.
 */
export async function authenticateCaller(
  request: Request,
  getCaller: (accessToken: string) => Promise<Caller | null>,
): Promise<Caller | Response> {
  const token = bearerToken(request);
  if (!token) {
    return errorResponse(
      401,
      'missing_authorization',
      'Sign in first: send your access token as "Authorization: Bearer <token>".',
    );
  }

  const caller = await getCaller(token);
  if (!caller) {
    return errorResponse(
      401,
      'invalid_token',
      'Your session has expired or was signed out: sign in again.',
    );
  }
  return caller;
}

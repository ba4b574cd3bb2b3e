/** supabase-js clients for Edge Functions, which keep no session between requests. */
import {
  createClient,
  isAuthApiError,
  isAuthSessionMissingError,
  type SupabaseClient,
} from '@supabase/supabase-js';

const serverAuthOptions = {
  persistSession: false,
  autoRefreshToken: false,
  detectSessionInUrl: false,
};

/** Creates a client with the service role key, which bypasses row-level security. */
export function createServiceClient(url: string, serviceRoleKey: string): SupabaseClient {
  return createClient(url, serviceRoleKey, { auth: serverAuthOptions });
}

/** Creates a client with the anon key, for calls made with a caller's access token. */
export function createAnonClient(url: string, anonKey: string): SupabaseClient {
  return createClient(url, anonKey, { auth: serverAuthOptions });
}

/**
 * Resolves the user id of an access token through Auth (`GET /auth/v1/user`), which also
 * rejects tokens of signed-out sessions and deleted users. Returns null when Auth rejects the
 * token with a 4xx status and throws when Auth cannot be reached or fails.
 */
export async function userIdFromToken(
  client: SupabaseClient,
  accessToken: string,
): Promise<string | null> {
  const { data, error } = await client.auth.getUser(accessToken);
  if (error) {
    // supabase-js reports Auth's 403 session_not_found (a signed-out session) as
    // AuthSessionMissingError, which is not an AuthApiError.
    if (isAuthSessionMissingError(error)) return null;
    if (isAuthApiError(error) && error.status >= 400 && error.status < 500) return null;
    throw new Error(`Auth could not resolve the access token: ${error.message}`, { cause: error });
  }
  return data.user?.id ?? null;
}

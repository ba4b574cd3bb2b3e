import type { Session } from '@supabase/supabase-js';
import { fail, ok, toServiceError, type Result } from './result';
import { getSupabase } from './supabase';

/** The page an email link returns to; it must be in the Auth redirect allow-list. */
export function callbackUrl(): string {
  return `${location.origin}/auth/callback`;
}

/** Emails a magic link that signs the buyer in (and creates the account on first use). */
export async function sendMagicLink(email: string): Promise<Result<null>> {
  const { error } = await getSupabase().auth.signInWithOtp({
    email,
    options: { emailRedirectTo: callbackUrl() }
  });
  if (error) return { data: null, error: toServiceError(error, 'magic_link_failed') };

  return ok(null);
}

export async function signInWithPassword(
  email: string,
  password: string
): Promise<Result<Session>> {
  const { data, error } = await getSupabase().auth.signInWithPassword({ email, password });
  if (error) return { data: null, error: toServiceError(error, 'sign_in_failed') };
  if (!data.session) return fail('sign_in_failed', `Auth returned no session for ${email}.`);

  return ok(data.session);
}

/**
 * Finishes sign-in on the callback page. supabase-js reads an implicit-flow fragment
 * (`#access_token=…`, or `#error_description=…` when the link failed) while it initialises;
 * a `?code=` it did not exchange itself (no stored PKCE verifier) is exchanged here.
 */
export async function completeSignIn(url: URL): Promise<Result<Session>> {
  const supabase = getSupabase();
  const init = await supabase.auth.initialize();
  if (init.error) return { data: null, error: toServiceError(init.error, 'callback_failed') };

  const query = url.searchParams;
  const queryError = query.get('error_description');
  if (queryError) return fail(query.get('error_code') ?? 'callback_failed', queryError);

  const existing = await supabase.auth.getSession();
  if (existing.data.session) return ok(existing.data.session);

  const code = query.get('code');
  if (code) {
    const { data, error } = await supabase.auth.exchangeCodeForSession(code);
    if (error) return { data: null, error: toServiceError(error, 'callback_failed') };
    return ok(data.session);
  }

  if (existing.error)
    return { data: null, error: toServiceError(existing.error, 'callback_failed') };
  return fail('callback_failed', 'The sign-in link carried no session and no code.');
}

export async function signOut(): Promise<Result<null>> {
  const { error } = await getSupabase().auth.signOut({ scope: 'local' });
  if (error) return { data: null, error: toServiceError(error, 'sign_out_failed') };

  return ok(null);
}

import { error, redirect } from '@sveltejs/kit';
import type { User } from '@supabase/supabase-js';
import { getSupabase } from '../services/supabase';
import { signInUrl } from './redirect';
import { isAdmin } from './roles';

/**
 * Guards a protected page: returns the signed-in user, or redirects to the sign-in page
 * with a `next` back to `url`. Every protected page's `load` calls this first.
 *
 * The session is read from the browser, so this only decides what to show: Row Level
 * Security and the Edge Functions check the token on every request.
 */
export async function requireUser(url: URL): Promise<User> {
  const { data } = await getSupabase().auth.getSession();
  const user = data.session?.user;
  if (!user) redirect(307, signInUrl(url));

  return user;
}

/** Guards an admin page: like requireUser, and a 403 error page for other users. */
export async function requireAdmin(url: URL): Promise<User> {
  const user = await requireUser(url);
  if (!isAdmin(user)) {
    error(403, {
      message: `The account ${user.email ?? user.id} is not an admin.`,
      code: 'forbidden'
    });
  }
  return user;
}

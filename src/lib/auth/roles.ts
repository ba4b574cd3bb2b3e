import type { User } from '@supabase/supabase-js';

/** Returns whether a user's JWT carries the admin role (`app_metadata.role`), as RLS reads it. */
export function isAdmin(user: Pick<User, 'app_metadata'> | null | undefined): boolean {
  return user?.app_metadata?.role === 'admin';
}

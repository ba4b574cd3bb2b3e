import type { SupabaseClient, User } from '@supabase/supabase-js';
import { isAdmin } from '../auth/roles';

class SessionState {
  user = $state<User | null>(null);
  /** False until supabase-js has restored (or ruled out) a stored session. */
  ready = $state(false);
  isAdmin = $derived(isAdmin(this.user));
}

/** The signed-in user as the header and pages show it. */
export const session = new SessionState();

/** Keeps `session` in step with supabase-js; returns the function that stops listening. */
export function watchSession(supabase: SupabaseClient): () => void {
  const { data } = supabase.auth.onAuthStateChange((_event, current) => {
    session.user = current?.user ?? null;
    session.ready = true;
  });
  return () => data.subscription.unsubscribe();
}

import { env } from '$env/dynamic/public';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { ConfigError, parsePublicConfig } from '../config';

let client: SupabaseClient | null = null;

/**
 * Returns the app's one Supabase client, creating it on first use from PUBLIC_SUPABASE_URL
 * and PUBLIC_SUPABASE_ANON_KEY. Throws ConfigError when either is missing or invalid.
 * The client reads a session from the URL fragment of an email link when it is created.
 */
export function getSupabase(): SupabaseClient {
  if (client) return client;

  const result = parsePublicConfig(env);
  if (!result.ok) throw new ConfigError(result.problems);

  client = createClient(result.config.supabaseUrl, result.config.supabaseAnonKey, {
    auth: {
      flowType: 'implicit',
      detectSessionInUrl: true,
      persistSession: true,
      autoRefreshToken: true,
      storageKey: 'brankas.auth'
    }
  });
  return client;
}

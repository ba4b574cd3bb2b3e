/**
 * Entry point of the download Edge Function. SUPABASE_URL, SUPABASE_ANON_KEY and
 * SUPABASE_SERVICE_ROLE_KEY are required; PUBLIC_SUPABASE_URL optionally names the API origin
 * browsers use when it differs from SUPABASE_URL.
 */
import { optionalEnv, requireEnv } from '../_shared/env.ts';
import { createAnonClient, createServiceClient } from '../_shared/supabase.ts';
import { createSupabaseDeps } from './deps.ts';
import { createDownloadHandler } from './handler.ts';

const env = requireEnv(['SUPABASE_URL', 'SUPABASE_ANON_KEY', 'SUPABASE_SERVICE_ROLE_KEY']);

const handler = createDownloadHandler(
  createSupabaseDeps({
    anonClient: createAnonClient(env.SUPABASE_URL, env.SUPABASE_ANON_KEY),
    serviceClient: createServiceClient(env.SUPABASE_URL, env.SUPABASE_SERVICE_ROLE_KEY),
    publicUrl: optionalEnv('PUBLIC_SUPABASE_URL'),
  }),
);

Deno.serve(handler);

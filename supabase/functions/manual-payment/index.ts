/**
 * Entry point of the manual-payment Edge Function. SUPABASE_URL, SUPABASE_ANON_KEY and
 * SUPABASE_SERVICE_ROLE_KEY are required at startup.
 */
import { requireEnv } from '../_shared/env.ts';
import { createAnonClient, createServiceClient } from '../_shared/supabase.ts';
import { createSupabaseManualPaymentDeps } from './deps.ts';
import { createManualPaymentHandler } from './handler.ts';

const env = requireEnv(['SUPABASE_URL', 'SUPABASE_ANON_KEY', 'SUPABASE_SERVICE_ROLE_KEY']);

Deno.serve(
  createManualPaymentHandler(
    createSupabaseManualPaymentDeps(
      createAnonClient(env.SUPABASE_URL, env.SUPABASE_ANON_KEY),
      createServiceClient(env.SUPABASE_URL, env.SUPABASE_SERVICE_ROLE_KEY),
    ),
  ),
);

/**
 * Entry point of the checkout Edge Function. SUPABASE_URL, SUPABASE_ANON_KEY and
 * SUPABASE_SERVICE_ROLE_KEY are required at startup; each provider's variables are read per
 * request, so an unconfigured provider is reported to the buyer as provider_not_configured:
 *   stripe    STRIPE_SECRET_KEY, SITE_URL, and optionally STRIPE_API_BASE
 *   midtrans  MIDTRANS_SERVER_KEY, MIDTRANS_CLIENT_KEY, MIDTRANS_SNAP_URL, SITE_URL
 *   manual    BANK_TRANSFER_BANK_NAME, BANK_TRANSFER_ACCOUNT_NAME, BANK_TRANSFER_ACCOUNT_NUMBER
 */
import { requireEnv } from '../_shared/env.ts';
import { createAnonClient, createServiceClient } from '../_shared/supabase.ts';
import { createSupabaseCheckoutDeps } from './deps.ts';
import { createCheckoutHandler } from './handler.ts';

const env = requireEnv(['SUPABASE_URL', 'SUPABASE_ANON_KEY', 'SUPABASE_SERVICE_ROLE_KEY']);

const handler = createCheckoutHandler(
  createSupabaseCheckoutDeps({
    anonClient: createAnonClient(env.SUPABASE_URL, env.SUPABASE_ANON_KEY),
    serviceClient: createServiceClient(env.SUPABASE_URL, env.SUPABASE_SERVICE_ROLE_KEY),
  }),
);

Deno.serve(handler);

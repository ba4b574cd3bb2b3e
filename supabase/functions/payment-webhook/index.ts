/**
 * Entry point of the payment-webhook Edge Function, deployed with verify_jwt = false because
 * providers sign their notifications instead of sending a Supabase JWT. SUPABASE_URL and
 * SUPABASE_SERVICE_ROLE_KEY are required at startup; STRIPE_WEBHOOK_SECRET and
 * MIDTRANS_SERVER_KEY are read per request, so one provider works without the other.
 */
import { requireEnv } from '../_shared/env.ts';
import { createServiceClient } from '../_shared/supabase.ts';
import { createSupabaseWebhookDeps } from './deps.ts';
import { createWebhookHandler } from './handler.ts';

const env = requireEnv(['SUPABASE_URL', 'SUPABASE_SERVICE_ROLE_KEY']);

Deno.serve(
  createWebhookHandler(
    createSupabaseWebhookDeps(createServiceClient(env.SUPABASE_URL, env.SUPABASE_SERVICE_ROLE_KEY)),
  ),
);

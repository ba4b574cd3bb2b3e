/**
 * The download function served by the running stack, called the way the web app calls it. Needs
 * SUPABASE_URL and SUPABASE_ANON_KEY of a stack with the demo seed and its files uploaded (as
 * printed by `npx tsx stack/cli.ts env`), and fails without them.
 */
import assert from 'node:assert/strict';
import { createClient } from '@supabase/supabase-js';
import { z } from 'zod';

const SPEC_FILE_ID = '20000000-0000-4000-8000-000000000001';
const SPEC_SHA256 = '4d9666c46b4d367a12e2922f4f3b114396c377106c57bbc934d03320e6888002';
const EXPIRED_SAMPLE_FILE_ID = '20000000-0000-4000-8000-000000000003';

const stackEnvSchema = z.object({
  SUPABASE_URL: z.url(),
  SUPABASE_ANON_KEY: z.string().min(1),
});

function stackEnv(): z.infer<typeof stackEnvSchema> {
  const parsed = stackEnvSchema.safeParse(Deno.env.toObject());
  if (!parsed.success) {
    throw new Error(
      'download_stack_test.ts calls the running stack: set SUPABASE_URL and SUPABASE_ANON_KEY ' +
        '(export the output of `npx tsx stack/cli.ts env`, or run `npm test`). ' +
        z.prettifyError(parsed.error),
    );
  }
  return parsed.data;
}

async function buyerClient() {
  const env = stackEnv();
  const client = createClient(env.SUPABASE_URL, env.SUPABASE_ANON_KEY, {
    auth: { persistSession: false, autoRefreshToken: false },
  });
  const { error } = await client.auth.signInWithPassword({
    email: 'buyer@example.com',
    password: 'brankas-demo-buyer',
  });
  if (error) throw new Error(`Signing in the demo buyer failed: ${error.message}`);
  return client;
}

async function sha256Hex(bytes: ArrayBuffer): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

Deno.test('functions.invoke returns a link to the bought file', async () => {
  const client = await buyerClient();

  const { data, error } = await client.functions.invoke('download', {
    body: { file_id: SPEC_FILE_ID },
  });

  assert.equal(error, null);
  assert.deepEqual(Object.keys(data).sort(), ['expires_at', 'url']);
  const file = await fetch(data.url);
  assert.equal(file.status, 200);
  assert.equal(await sha256Hex(await file.arrayBuffer()), SPEC_SHA256);
});

Deno.test('functions.invoke reports a refusal as an HTTP error with its code', async () => {
  const client = await buyerClient();

  const { data, error } = await client.functions.invoke('download', {
    body: { file_id: EXPIRED_SAMPLE_FILE_ID },
  });

  assert.equal(data, null);
  assert.equal(error?.name, 'FunctionsHttpError');
  const response = error.context as Response;
  assert.equal(response.status, 403);
  assert.equal((await response.json()).error.code, 'access_expired');
});

Deno.test('the function answers a CORS preflight through the gateway', async () => {
  const env = stackEnv();

  const response = await fetch(`${env.SUPABASE_URL}/functions/v1/download`, {
    method: 'OPTIONS',
    headers: { origin: 'http://127.0.0.1:5173', 'access-control-request-method': 'POST' },
  });
  await response.body?.cancel();

  assert.equal(response.status, 204);
  assert.equal(response.headers.get('access-control-allow-origin'), '*');
});

import { z } from 'zod';

const stackEnvSchema = z.object({
  SUPABASE_URL: z.url(),
  SUPABASE_ANON_KEY: z.string().min(1),
  SUPABASE_SERVICE_ROLE_KEY: z.string().min(1),
  SUPABASE_DB_URL: z.string().startsWith('postgresql://'),
  MAILBOX_URL: z.url(),
  SITE_URL: z.url()
});

export type StackEnv = z.infer<typeof stackEnvSchema>;

/**
 * Reads the running stack's addresses and keys from the environment that `npm test` (or
 * `eval "$(npm run -s stack:env)"`) sets, and fails with the fix when one is missing.
 */
export function stackEnv(): StackEnv {
  const parsed = stackEnvSchema.safeParse(process.env);
  if (!parsed.success) {
    throw new Error(
      `These tests need a running stack: ${z.prettifyError(parsed.error)}\n` +
        'Run them with `npm test`, or start `npm run stack` and export `npm run -s stack:env`.'
    );
  }
  return parsed.data;
}

export interface SandboxSecrets {
  stripeSecretKey: string;
  stripeWebhookSecret: string;
  midtransServerKey: string;
}

/**
 * Picks the demo keys the sandbox shares with the functions out of supabase/functions/.env, so
 * the functions' API calls pass its checks and its webhooks pass theirs.
 */
export function readSandboxSecrets(env: Record<string, string>): SandboxSecrets {
  const names = ['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET', 'MIDTRANS_SERVER_KEY'] as const;
  const missing = names.filter((name) => !env[name]?.trim());
  if (missing.length > 0) {
    throw new Error(
      `The payment sandbox needs ${missing.join(', ')} in supabase/functions/.env: add the demo ` +
        'values the functions use.'
    );
  }
  return {
    stripeSecretKey: env.STRIPE_SECRET_KEY.trim(),
    stripeWebhookSecret: env.STRIPE_WEBHOOK_SECRET.trim(),
    midtransServerKey: env.MIDTRANS_SERVER_KEY.trim()
  };
}

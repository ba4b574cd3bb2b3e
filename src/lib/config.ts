import { z } from 'zod';

const publicConfigSchema = z.object({
  PUBLIC_SUPABASE_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
  PUBLIC_SUPABASE_ANON_KEY: z
    .string({ error: 'is missing' })
    .regex(/^[\w-]+\.[\w-]+\.[\w-]+$/, { error: 'must be a JWT (three dot-separated parts)' })
});

export interface PublicConfig {
  supabaseUrl: string;
  supabaseAnonKey: string;
}

export type PublicConfigResult =
  { ok: true; config: PublicConfig } | { ok: false; problems: string[] };

/**
 * Validates the public settings the app needs to reach Supabase. Each problem names the
 * variable, e.g. "PUBLIC_SUPABASE_URL must be an http(s) URL (got "")".
 */
export function parsePublicConfig(env: Record<string, string | undefined>): PublicConfigResult {
  const parsed = publicConfigSchema.safeParse(env);
  if (parsed.success) {
    return {
      ok: true,
      config: {
        supabaseUrl: parsed.data.PUBLIC_SUPABASE_URL.replace(/\/+$/, ''),
        supabaseAnonKey: parsed.data.PUBLIC_SUPABASE_ANON_KEY
      }
    };
  }

  const problems = parsed.error.issues.map((issue) => {
    const name = String(issue.path[0]);
    const value = env[name];
    const received = value === undefined ? 'it is not set' : `got "${value.slice(0, 40)}"`;
    return `${name} ${issue.message} (${received}).`;
  });
  return { ok: false, problems };
}

/** Thrown by the Supabase client factory when the public settings are invalid. */
export class ConfigError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`The app is not configured: ${problems.join(' ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

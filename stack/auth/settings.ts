import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { z } from 'zod';
import type { StackConfig } from '../config.ts';

/**
 * Auth settings that supabase/config.toml sets but the shared StackConfig leaves out. Defaults
 * are the Supabase CLI's own.
 */
export interface AuthSettings {
  siteUrl: string;
  additionalRedirectUrls: string[];
  jwtExpiry: number;
  enableSignup: boolean;
  enableConfirmations: boolean;
  otpExpiry: number;
  otpLength: number;
  /** Seconds a rotated refresh token may still be presented, for clients racing each other. */
  refreshTokenReuseInterval: number;
  refreshTokenRotation: boolean;
  minimumPasswordLength: number;
  /** Seconds between two emails of the same kind to one user. */
  emailMaxFrequency: number;
  /** Failed one-time code and email-link checks allowed per client address in five minutes. */
  verificationFailureLimit: number;
  /** Failed password sign-ins allowed per client address in five minutes. */
  signInFailureLimit: number;
}

const extraSchema = z.object({
  auth: z
    .object({
      enable_refresh_token_rotation: z.boolean().default(true),
      refresh_token_reuse_interval: z.number().int().nonnegative().default(10),
      minimum_password_length: z.number().int().min(6).default(6),
      email: z
        .object({
          otp_length: z.number().int().min(6).max(10).default(6),
          max_frequency: z.string().default('1s')
        })
        .default({ otp_length: 6, max_frequency: '1s' }),
      rate_limit: z
        .object({
          token_verifications: z.number().int().positive().default(30),
          sign_in_sign_ups: z.number().int().positive().default(30)
        })
        .loose()
        .default({ token_verifications: 30, sign_in_sign_ups: 30 })
    })
    .loose()
});

/** Parses a duration such as "1s", "2m" or "1h30m" (config.toml's Go duration form) to seconds. */
export function parseDurationSeconds(value: string): number | null {
  const text = value.trim();
  if (text === '0') return 0;

  const units: Record<string, number> = {
    ns: 1e-9,
    us: 1e-6,
    µs: 1e-6,
    ms: 1e-3,
    s: 1,
    m: 60,
    h: 3600
  };
  const part = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/y;
  let total = 0;
  let index = 0;
  while (index < text.length) {
    part.lastIndex = index;
    const match = part.exec(text);
    if (!match) return null;
    total += Number(match[1]) * units[match[2]];
    index = part.lastIndex;
  }
  return text.length > 0 ? total : null;
}

export function loadAuthSettings(config: StackConfig): AuthSettings {
  const tomlPath = path.join(config.supabaseDir, 'config.toml');
  const parsed = extraSchema.safeParse(parseToml(readFileSync(tomlPath, 'utf8')));
  if (!parsed.success) {
    throw new Error(`Invalid [auth] settings in ${tomlPath}: ${z.prettifyError(parsed.error)}`);
  }
  const auth = parsed.data.auth;
  const maxFrequency = parseDurationSeconds(auth.email.max_frequency);
  if (maxFrequency === null) {
    throw new Error(
      `Invalid [auth.email] max_frequency "${auth.email.max_frequency}" in ${tomlPath}: ` +
        'write a duration such as "1s" or "1m".'
    );
  }

  return {
    ...config.auth,
    otpLength: auth.email.otp_length,
    refreshTokenReuseInterval: auth.refresh_token_reuse_interval,
    refreshTokenRotation: auth.enable_refresh_token_rotation,
    minimumPasswordLength: auth.minimum_password_length,
    emailMaxFrequency: maxFrequency,
    verificationFailureLimit: auth.rate_limit.token_verifications,
    signInFailureLimit: auth.rate_limit.sign_in_sign_ups
  };
}

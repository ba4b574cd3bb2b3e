import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';
import {
  createClient,
  type SupabaseClient,
  type WebSocketLikeConstructor
} from '@supabase/supabase-js';
import { z } from 'zod';
import { stackEnv } from '../env';

export const stack = stackEnv();

/** Returns the payment sandbox's address from PAYMENTS_SANDBOX_URL, which `stack/cli.ts env` prints. */
export function paymentsSandboxUrl(): string {
  const parsed = z.url().safeParse(process.env.PAYMENTS_SANDBOX_URL);
  if (!parsed.success) {
    throw new Error(
      `PAYMENTS_SANDBOX_URL is "${process.env.PAYMENTS_SANDBOX_URL ?? ''}", not a URL: export ` +
        'the variables `stack/cli.ts env` prints.'
    );
  }
  return parsed.data.replace(/\/+$/, '');
}

export const BUYER = { email: 'buyer@example.com', password: 'brankas-demo-buyer' };
export const ADMIN = { email: 'admin@example.com', password: 'brankas-demo-admin' };

/** The locale and time zone playwright.config.ts gives the browser, for expected dates. */
export const BROWSER_LOCALE = 'en-US';
export const BROWSER_TIME_ZONE = 'Asia/Jakarta';

const SEED_FILES_DIR = path.resolve(import.meta.dirname, '..', '..', 'supabase', 'seed-files');

/** supabase-js wants a WebSocket constructor, which Node 20 lacks; the journeys use no Realtime. */
class RealtimeUnavailable {
  constructor() {
    throw new Error('Realtime is not available in the browser journeys.');
  }
}

/** Creates a service-role client, for reading what the browser cannot see and creating accounts. */
export function serviceClient(): SupabaseClient {
  return createClient(stack.SUPABASE_URL, stack.SUPABASE_SERVICE_ROLE_KEY, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: RealtimeUnavailable as unknown as WebSocketLikeConstructor }
  });
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Returns the SHA-256 of a file under supabase/seed-files, e.g. `gnu-grep-manual/grep.info.gz`. */
export function seedFileSha256(relativePath: string): string {
  return sha256(readFileSync(path.join(SEED_FILES_DIR, relativePath)));
}

/** Creates a confirmed account with a random address, so a journey can buy from scratch. */
export async function createBuyer(): Promise<{ id: string; email: string; password: string }> {
  const email = `e2e-${randomUUID()}@example.com`;
  const password = `pw-${randomUUID()}`;
  const { data, error } = await serviceClient().auth.admin.createUser({
    email,
    password,
    email_confirm: true
  });
  if (error) throw new Error(`Creating the test buyer ${email} failed: ${error.message}`);

  return { id: data.user.id, email, password };
}

const mailSchema = z.array(
  z.object({ to: z.string(), subject: z.string(), text: z.string(), received_at: z.string() })
);

/**
 * Waits for an email to `to` that arrived after `since` and returns the first Auth link in
 * it (`…/auth/v1/verify?…`). The mailbox lists messages newest first.
 */
export async function waitForAuthLink(to: string, since: Date): Promise<string> {
  let link: string | null = null;
  await expect
    .poll(
      async () => {
        const response = await fetch(`${stack.MAILBOX_URL}/messages?to=${encodeURIComponent(to)}`);
        const messages = mailSchema.parse(await response.json());
        const fresh = messages.find(
          (message) => Date.parse(message.received_at) >= since.getTime()
        );
        link = fresh
          ? (/https?:\/\/\S+\/auth\/v1\/verify\?\S+/.exec(fresh.text)?.[0] ?? null)
          : null;
        return link;
      },
      { message: `no sign-in email to ${to} arrived`, timeout: 15_000 }
    )
    .not.toBeNull();
  return link as unknown as string;
}

/** Signs in on the sign-in page with a password and waits for the library. */
export async function signInWithPassword(
  page: Page,
  email: string,
  password: string
): Promise<void> {
  await page.goto('/signin');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).toHaveURL(/\/library$/);
}

/** Formats a date the way the app shows it to a browser with BROWSER_LOCALE. */
export function longDate(value: string): string {
  return new Intl.DateTimeFormat(BROWSER_LOCALE, {
    dateStyle: 'long',
    timeZone: BROWSER_TIME_ZONE
  }).format(new Date(value));
}

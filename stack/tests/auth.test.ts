import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { WebSocketLikeConstructor } from '@supabase/realtime-js';
import {
  createClient,
  type SupabaseClient,
  type SupabaseClientOptions,
  type SupportedStorage
} from '@supabase/supabase-js';
import { decodeJwt, jwtVerify, SignJWT } from 'jose';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackEnv } from '../../tests/env.ts';
import { createAuthHandler } from '../auth/index.ts';
import { loadConfig, type StackConfig } from '../config.ts';
import type { StackContext } from '../context.ts';
import type { ServiceHandler } from '../http.ts';
import { Mailbox } from '../mail/mailbox.ts';

const env = stackEnv();
const db = new pg.Client({ connectionString: env.SUPABASE_DB_URL });
/** The stack's site URL: where Auth falls back to when a redirect is not allowed. */
const SITE_URL = env.SITE_URL;
const LIBRARY_URL = `${SITE_URL}/library`;
let jwtSecret = '';

interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

beforeAll(async () => {
  await db.connect();
  jwtSecret = (await loadConfig()).jwtSecret;
});

afterAll(async () => {
  await db.end();
});

/**
 * supabase-js 2.109 looks up a WebSocket constructor for Realtime when a client is created, and
 * Node 20 has none without --experimental-websocket. These tests never open a channel.
 */
class RealtimeUnavailable {
  constructor() {
    throw new Error('Realtime is not used by the Auth tests.');
  }
}

function makeClient(
  key: string,
  auth: SupabaseClientOptions<'public'>['auth'] = {},
  headers?: Record<string, string>,
  url = env.SUPABASE_URL
): SupabaseClient {
  return createClient(url, key, {
    auth: { persistSession: false, autoRefreshToken: false, ...auth },
    realtime: { transport: RealtimeUnavailable as unknown as WebSocketLikeConstructor },
    global: headers ? { headers } : undefined
  });
}

function anonClient(): SupabaseClient {
  return makeClient(env.SUPABASE_ANON_KEY);
}

function serviceClient(): SupabaseClient {
  return makeClient(env.SUPABASE_SERVICE_ROLE_KEY);
}

/** Creates a PKCE client whose storage, code verifier included, is a Map the test can read. */
function pkceClient(url = env.SUPABASE_URL): {
  client: SupabaseClient;
  storage: Map<string, string>;
} {
  const storage = new Map<string, string>();
  const adapter: SupportedStorage = {
    getItem: (key) => storage.get(key) ?? null,
    setItem: (key, value) => void storage.set(key, value),
    removeItem: (key) => void storage.delete(key)
  };
  const client = makeClient(
    env.SUPABASE_ANON_KEY,
    {
      flowType: 'pkce',
      storage: adapter,
      persistSession: true,
      detectSessionInUrl: false
    },
    undefined,
    url
  );
  return { client, storage };
}

function uniqueEmail(label: string): string {
  return `${label}-${randomUUID().slice(0, 8)}@example.com`;
}

async function createConfirmedUser(label: string, password = 'correct-horse-battery') {
  const email = uniqueEmail(label);
  const { data, error } = await serviceClient().auth.admin.createUser({
    email,
    password,
    email_confirm: true
  });
  expect(error).toBeNull();
  return { email, password, id: data.user!.id };
}

async function signIn(email: string, password: string) {
  const client = anonClient();
  const { data, error } = await client.auth.signInWithPassword({ email, password });
  expect(error).toBeNull();
  return { client, session: data.session! };
}

async function latestMail(to: string): Promise<MailMessage> {
  const response = await fetch(`${env.MAILBOX_URL}/messages?to=${encodeURIComponent(to)}`);
  const messages = (await response.json()) as MailMessage[];
  expect(messages.length).toBeGreaterThan(0);
  return messages[0];
}

function verifyLinkOf(mail: MailMessage): URL {
  const match = /http:\/\/\S+\/auth\/v1\/verify\?\S+/.exec(mail.text);
  expect(match).not.toBeNull();
  return new URL(match![0]);
}

function codeOf(mail: MailMessage): string {
  const match = /Or enter this code: (\d{6})/.exec(mail.text);
  expect(match).not.toBeNull();
  return match![1];
}

async function openLink(link: URL | string): Promise<{ status: number; location: URL }> {
  const response = await fetch(link, { redirect: 'manual' });
  return { status: response.status, location: new URL(response.headers.get('location') ?? '') };
}

function fragmentOf(url: URL): URLSearchParams {
  return new URLSearchParams(url.hash.slice(1));
}

async function authFetch(path: string, init: RequestInit & { version?: boolean } = {}) {
  const headers = new Headers(init.headers);
  headers.set('apikey', env.SUPABASE_ANON_KEY);
  if (init.version !== false) headers.set('x-supabase-api-version', '2024-01-01');
  if (init.body) headers.set('content-type', 'application/json');
  return fetch(`${env.SUPABASE_URL}/auth/v1${path}`, { ...init, headers });
}

async function signToken(claims: Record<string, unknown>, expiresAt: number): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt(expiresAt - 3600)
    .setExpirationTime(expiresAt)
    .sign(new TextEncoder().encode(jwtSecret));
}

describe('sign-up', () => {
  it('returns a session with standard claims', async () => {
    const email = uniqueEmail('signup');

    const { data, error } = await anonClient().auth.signUp({
      email,
      password: 'signup-password',
      options: { data: { full_name: 'New Buyer' } }
    });

    expect(error).toBeNull();
    expect(data.user!.email).toBe(email);
    expect(data.user!.identities!.map((identity) => identity.provider)).toEqual(['email']);
    const { payload } = await jwtVerify(
      data.session!.access_token,
      new TextEncoder().encode(jwtSecret)
    );
    expect(payload.iss).toBe(`${env.SUPABASE_URL}/auth/v1`);
    expect(payload.sub).toBe(data.user!.id);
    expect(payload.aud).toBe('authenticated');
    expect(payload.role).toBe('authenticated');
    expect(payload.email).toBe(email);
    expect(payload.phone).toBe('');
    expect(payload.app_metadata).toEqual({ provider: 'email', providers: ['email'] });
    expect(payload.user_metadata).toEqual({ full_name: 'New Buyer' });
    expect(payload.aal).toBe('aal1');
    expect((payload.amr as { method: string }[]).map((entry) => entry.method)).toEqual([
      'password'
    ]);
    expect(payload.is_anonymous).toBe(false);
    expect(payload.exp! - payload.iat!).toBe(3600);
    expect(data.session!.expires_in).toBe(3600);
    expect(data.session!.token_type).toBe('bearer');
    const sessions = await db.query('select user_id from auth.sessions where id = $1', [
      payload.session_id
    ]);
    expect(sessions.rows).toEqual([{ user_id: data.user!.id }]);
  });

  it('rejects a registered address', async () => {
    const { email } = await createConfirmedUser('taken');

    const { data, error } = await anonClient().auth.signUp({ email, password: 'another-password' });

    expect(data.user).toBeNull();
    expect(error!.status).toBe(422);
    expect(error!.code).toBe('user_already_exists');
    expect(error!.message).toBe('User already registered');
  });

  it('rejects a short password', async () => {
    const { error } = await anonClient().auth.signUp({
      email: uniqueEmail('weak'),
      password: '12345'
    });

    expect(error!.status).toBe(422);
    expect(error!.code).toBe('weak_password');
    expect((error as unknown as { reasons: string[] }).reasons).toEqual(['length']);
  });

  it('rejects a malformed email address', async () => {
    const { error } = await anonClient().auth.signUp({
      email: 'not-an-email',
      password: 'long-enough'
    });

    expect(error!.status).toBe(400);
    expect(error!.code).toBe('validation_failed');
    expect(error!.message).toBe('Unable to validate email address: invalid format');
  });
  it('rejects anonymous sign-in', async () => {
    const { data, error } = await anonClient().auth.signInAnonymously();

    expect(data.session).toBeNull();
    expect(error!.status).toBe(422);
    expect(error!.code).toBe('anonymous_provider_disabled');
  });
});

describe('password sign-in', () => {
  it('accepts a pgcrypto bcrypt hash', async () => {
    const { data, error } = await anonClient().auth.signInWithPassword({
      email: 'buyer@example.com',
      password: 'brankas-demo-buyer'
    });

    expect(error).toBeNull();
    expect(data.user!.id).toBe('b0000000-0000-4000-8000-000000000001');
    expect(data.user!.user_metadata).toEqual({ full_name: 'Demo Buyer' });
  });

  it('puts the admin role in the token', async () => {
    const { data } = await anonClient().auth.signInWithPassword({
      email: 'admin@example.com',
      password: 'brankas-demo-admin'
    });

    expect(decodeJwt(data.session!.access_token).app_metadata).toEqual({
      provider: 'email',
      providers: ['email'],
      role: 'admin'
    });
  });

  it('rejects a wrong password', async () => {
    const { data, error } = await anonClient().auth.signInWithPassword({
      email: 'buyer@example.com',
      password: 'not-the-password'
    });

    expect(data.session).toBeNull();
    expect(error!.status).toBe(400);
    expect(error!.code).toBe('invalid_credentials');
    expect(error!.message).toBe('Invalid login credentials');
  });

  it('rejects an unknown address', async () => {
    const { error } = await anonClient().auth.signInWithPassword({
      email: uniqueEmail('nobody'),
      password: 'whatever-password'
    });

    expect(error!.status).toBe(400);
    expect(error!.code).toBe('invalid_credentials');
  });

  it('rejects an unconfirmed email', async () => {
    const email = uniqueEmail('unconfirmed');
    await serviceClient().auth.admin.createUser({ email, password: 'unconfirmed-password' });

    const { error } = await anonClient().auth.signInWithPassword({
      email,
      password: 'unconfirmed-password'
    });

    expect(error!.status).toBe(400);
    expect(error!.code).toBe('email_not_confirmed');
  });
});

describe('magic link', () => {
  it('signs in through the link once', async () => {
    const { email, id } = await createConfirmedUser('magic');

    const { error } = await anonClient().auth.signInWithOtp({
      email,
      options: { emailRedirectTo: LIBRARY_URL }
    });
    const mail = await latestMail(email);
    const link = verifyLinkOf(mail);
    const first = await openLink(link);
    const second = await openLink(link);

    expect(error).toBeNull();
    expect(mail.subject).toBe('Your Magic Link');
    expect(mail.html).toContain(codeOf(mail));
    expect(link.searchParams.get('type')).toBe('magiclink');
    expect(link.searchParams.get('redirect_to')).toBe(LIBRARY_URL);
    expect(link.searchParams.get('token')).toMatch(/^[0-9a-f]{56}$/);
    expect(first.status).toBe(303);
    expect(`${first.location.origin}${first.location.pathname}`).toBe(LIBRARY_URL);
    const fragment = fragmentOf(first.location);
    expect(fragment.get('type')).toBe('magiclink');
    expect(fragment.get('token_type')).toBe('bearer');
    expect(fragment.get('expires_in')).toBe('3600');
    const { data } = await anonClient().auth.getUser(fragment.get('access_token')!);
    expect(data.user!.id).toBe(id);
    expect(second.status).toBe(303);
    expect(fragmentOf(second.location).get('error_code')).toBe('otp_expired');
    expect(fragmentOf(second.location).get('error')).toBe('access_denied');
  });

  it('confirms a new address by code', async () => {
    const email = uniqueEmail('otp-new');

    const { error } = await anonClient().auth.signInWithOtp({ email });
    const mail = await latestMail(email);
    const code = codeOf(mail);
    const verified = await anonClient().auth.verifyOtp({ email, token: code, type: 'email' });
    const reused = await anonClient().auth.verifyOtp({ email, token: code, type: 'email' });

    expect(error).toBeNull();
    expect(mail.subject).toBe('Confirm Your Signup');
    expect(verifyLinkOf(mail).searchParams.get('type')).toBe('signup');
    expect(verified.error).toBeNull();
    expect(verified.data.user!.email).toBe(email);
    expect(verified.data.user!.email_confirmed_at).toEqual(expect.any(String));
    expect(
      (decodeJwt(verified.data.session!.access_token).amr as { method: string }[])[0].method
    ).toBe('otp');
    expect(reused.error!.status).toBe(403);
    expect(reused.error!.code).toBe('otp_expired');
  });

  it('accepts the token hash', async () => {
    const { email, id } = await createConfirmedUser('token-hash');

    await anonClient().auth.signInWithOtp({ email });
    const tokenHash = verifyLinkOf(await latestMail(email)).searchParams.get('token')!;
    const { data, error } = await anonClient().auth.verifyOtp({
      token_hash: tokenHash,
      type: 'magiclink'
    });

    expect(error).toBeNull();
    expect(data.user!.id).toBe(id);
    expect(data.session!.refresh_token).toEqual(expect.any(String));
  });

  it('rejects a wrong 6-digit code', async () => {
    const { email } = await createConfirmedUser('wrong-code');

    await anonClient().auth.signInWithOtp({ email });
    const code = codeOf(await latestMail(email));
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    const { error } = await anonClient().auth.verifyOtp({ email, token: wrong, type: 'email' });

    expect(error!.status).toBe(403);
    expect(error!.code).toBe('otp_expired');
    expect(error!.message).toBe('Token has expired or is invalid');
  });

  it('rejects a code older than the OTP expiry', async () => {
    const { email, id } = await createConfirmedUser('expired-code');

    await anonClient().auth.signInWithOtp({ email });
    const code = codeOf(await latestMail(email));
    await db.query(
      `update auth.users set recovery_sent_at = now() - interval '2 hours' where id = $1`,
      [id]
    );
    const { error } = await anonClient().auth.verifyOtp({ email, token: code, type: 'email' });

    expect(error!.status).toBe(403);
    expect(error!.code).toBe('otp_expired');
  });

  it('honours create_user false', async () => {
    const email = uniqueEmail('no-create');

    const { error } = await anonClient().auth.signInWithOtp({
      email,
      options: { shouldCreateUser: false }
    });
    const users = await db.query('select id from auth.users where email = $1', [email]);

    expect(error!.status).toBe(422);
    expect(error!.code).toBe('otp_disabled');
    expect(users.rowCount).toBe(0);
  });

  it('replaces a foreign redirect', async () => {
    const { email } = await createConfirmedUser('redirect');

    await anonClient().auth.signInWithOtp({
      email,
      options: { emailRedirectTo: 'https://attacker.example/collect' }
    });
    const link = verifyLinkOf(await latestMail(email));
    const { status, location } = await openLink(link);

    expect(link.searchParams.get('redirect_to')).toBe(SITE_URL);
    expect(status).toBe(303);
    expect(location.origin).toBe(SITE_URL);
    expect(fragmentOf(location).get('access_token')).toEqual(expect.any(String));
  });

  it('accepts another loopback port', async () => {
    const { email } = await createConfirmedUser('redirect-port');

    await anonClient().auth.signInWithOtp({
      email,
      options: { emailRedirectTo: 'http://127.0.0.1:4999/welcome' }
    });
    const link = verifyLinkOf(await latestMail(email));

    expect(link.searchParams.get('redirect_to')).toBe('http://127.0.0.1:4999/welcome');
  });

  it('redirects an unknown token with the error', async () => {
    const { status, location } = await openLink(
      `${env.SUPABASE_URL}/auth/v1/verify?token=${'0'.repeat(56)}&type=magiclink&redirect_to=${encodeURIComponent(LIBRARY_URL)}`
    );

    expect(status).toBe(303);
    expect(`${location.origin}${location.pathname}`).toBe(LIBRARY_URL);
    expect(location.search).toBe('');
    expect(Object.fromEntries(fragmentOf(location))).toEqual({
      error: 'access_denied',
      error_code: 'otp_expired',
      error_description: 'Email link is invalid or has expired'
    });
  });
});

describe('password recovery', () => {
  it('resets the password by code', async () => {
    const { email, id } = await createConfirmedUser('recover', 'old-password-1');

    const { error } = await anonClient().auth.resetPasswordForEmail(email, {
      redirectTo: LIBRARY_URL
    });
    const mail = await latestMail(email);
    const verified = await anonClient().auth.verifyOtp({
      email,
      token: codeOf(mail),
      type: 'recovery'
    });
    const client = anonClient();
    await client.auth.setSession(verified.data.session!);
    const updated = await client.auth.updateUser({ password: 'new-password-2' });
    const signedIn = await anonClient().auth.signInWithPassword({
      email,
      password: 'new-password-2'
    });

    expect(error).toBeNull();
    expect(mail.subject).toBe('Reset Your Password');
    expect(verifyLinkOf(mail).searchParams.get('type')).toBe('recovery');
    expect(verified.data.user!.id).toBe(id);
    expect(updated.error).toBeNull();
    expect(signedIn.error).toBeNull();
  });
});

describe('PKCE', () => {
  it('exchanges the code once', async () => {
    const { email, id } = await createConfirmedUser('pkce');
    const { client, storage } = pkceClient();

    await client.auth.signInWithOtp({ email, options: { emailRedirectTo: LIBRARY_URL } });
    const verifierKey = [...storage.keys()].find((key) => key.endsWith('-code-verifier'))!;
    const verifier = storage.get(verifierKey)!;
    const link = verifyLinkOf(await latestMail(email));
    const { status, location } = await openLink(link);
    const code = location.searchParams.get('code')!;
    const exchanged = await client.auth.exchangeCodeForSession(code);
    const replay = await authFetch('/token?grant_type=pkce', {
      method: 'POST',
      body: JSON.stringify({ auth_code: code, code_verifier: verifier })
    });

    expect(link.searchParams.get('token')).toMatch(/^pkce_[0-9a-f]{56}$/);
    expect(status).toBe(303);
    expect(`${location.origin}${location.pathname}`).toBe(LIBRARY_URL);
    expect(location.hash).toBe('');
    expect(exchanged.error).toBeNull();
    expect(exchanged.data.user!.id).toBe(id);
    expect(
      (decodeJwt(exchanged.data.session!.access_token).amr as { method: string }[])[0].method
    ).toBe('magiclink');
    expect(replay.status).toBe(404);
    expect(await replay.json()).toEqual({
      code: 'flow_state_not_found',
      message: 'invalid flow state, no valid flow state found'
    });
  });

  it('rejects a wrong code verifier', async () => {
    const { email } = await createConfirmedUser('pkce-verifier');
    const { client } = pkceClient();

    await client.auth.signInWithOtp({ email, options: { emailRedirectTo: LIBRARY_URL } });
    const { location } = await openLink(verifyLinkOf(await latestMail(email)));
    const response = await authFetch('/token?grant_type=pkce', {
      method: 'POST',
      body: JSON.stringify({
        auth_code: location.searchParams.get('code'),
        code_verifier: 'x'.repeat(56)
      })
    });

    expect(response.status).toBe(400);
    expect(response.headers.get('x-sb-error-code')).toBe('bad_code_verifier');
  });

  it('rejects an expired auth code', async () => {
    const { email } = await createConfirmedUser('pkce-expired');
    const { client } = pkceClient();

    await client.auth.signInWithOtp({ email, options: { emailRedirectTo: LIBRARY_URL } });
    const { location } = await openLink(verifyLinkOf(await latestMail(email)));
    const code = location.searchParams.get('code')!;
    await db.query(
      `update auth.flow_state set auth_code_issued_at = now() - interval '6 minutes'
        where auth_code = $1`,
      [code]
    );
    const { error } = await client.auth.exchangeCodeForSession(code);

    expect(error!.status).toBe(422);
    expect(error!.code).toBe('flow_state_expired');
  });
});

describe('refresh tokens', () => {
  it('rotates and keeps the session', async () => {
    const { email, password } = await createConfirmedUser('rotate');
    const { session } = await signIn(email, password);

    const { data, error } = await anonClient().auth.refreshSession({
      refresh_token: session.refresh_token
    });

    expect(error).toBeNull();
    expect(data.session!.refresh_token).not.toBe(session.refresh_token);
    expect(decodeJwt(data.session!.access_token).session_id).toBe(
      decodeJwt(session.access_token).session_id
    );
    const revoked = await db.query('select revoked from auth.refresh_tokens where token = $1', [
      session.refresh_token
    ]);
    expect(revoked.rows).toEqual([{ revoked: true }]);
  });

  it('repeats the child for its parent', async () => {
    const { email, password } = await createConfirmedUser('race');
    const { session } = await signIn(email, password);

    const first = await anonClient().auth.refreshSession({ refresh_token: session.refresh_token });
    const again = await anonClient().auth.refreshSession({ refresh_token: session.refresh_token });

    expect(again.error).toBeNull();
    expect(again.data.session!.refresh_token).toBe(first.data.session!.refresh_token);
  });

  it('ends the session on reuse', async () => {
    const { email, password } = await createConfirmedUser('reuse');
    const { session } = await signIn(email, password);
    const second = await anonClient().auth.refreshSession({ refresh_token: session.refresh_token });
    const third = await anonClient().auth.refreshSession({
      refresh_token: second.data.session!.refresh_token
    });
    await db.query(
      `update auth.refresh_tokens set updated_at = now() - interval '1 minute' where token = $1`,
      [session.refresh_token]
    );

    const reused = await anonClient().auth.refreshSession({ refresh_token: session.refresh_token });
    const latest = await anonClient().auth.refreshSession({
      refresh_token: third.data.session!.refresh_token
    });
    const user = await anonClient().auth.getUser(third.data.session!.access_token);

    expect(reused.error!.status).toBe(400);
    expect(reused.error!.code).toBe('refresh_token_already_used');
    expect(reused.error!.message).toBe('Invalid Refresh Token: Already Used');
    expect(latest.error!.code).toBe('refresh_token_not_found');
    expect(user.error!.name).toBe('AuthSessionMissingError');
  });

  it('rejects an unknown refresh token', async () => {
    const { error } = await anonClient().auth.refreshSession({ refresh_token: 'no-such-token' });

    expect(error!.status).toBe(400);
    expect(error!.code).toBe('refresh_token_not_found');
    expect(error!.message).toBe('Invalid Refresh Token: Refresh Token Not Found');
  });
});

describe('user', () => {
  it('returns the signed-in user', async () => {
    const { email, password, id } = await createConfirmedUser('get-user');
    const { session } = await signIn(email, password);

    const { data, error } = await anonClient().auth.getUser(session.access_token);

    expect(error).toBeNull();
    expect(data.user!.id).toBe(id);
    expect(data.user!.email).toBe(email);
    expect(data.user!.aud).toBe('authenticated');
  });

  it('merges metadata and sets password', async () => {
    const { email, password } = await createConfirmedUser('update-user');
    const { client } = await signIn(email, password);

    const first = await client.auth.updateUser({ data: { full_name: 'Ayu', locale: 'id' } });
    const second = await client.auth.updateUser({
      data: { locale: null, theme: 'dark' },
      password: 'a-brand-new-password'
    });
    const oldPassword = await anonClient().auth.signInWithPassword({ email, password });
    const newPassword = await anonClient().auth.signInWithPassword({
      email,
      password: 'a-brand-new-password'
    });

    expect(first.error).toBeNull();
    expect(first.data.user!.user_metadata).toEqual({ full_name: 'Ayu', locale: 'id' });
    expect(second.error).toBeNull();
    expect(second.data.user!.user_metadata).toEqual({ full_name: 'Ayu', theme: 'dark' });
    expect(oldPassword.error!.code).toBe('invalid_credentials');
    expect(newPassword.error).toBeNull();
  });

  it('rejects the current password', async () => {
    const { email, password } = await createConfirmedUser('same-password');
    const { client } = await signIn(email, password);

    const { error } = await client.auth.updateUser({ password });

    expect(error!.status).toBe(422);
    expect(error!.code).toBe('same_password');
  });

  it('changes the email at once', async () => {
    const { email, password, id } = await createConfirmedUser('change-email');
    const { client } = await signIn(email, password);
    const newEmail = uniqueEmail('changed');

    const { data, error } = await client.auth.updateUser({ email: newEmail });
    const signedIn = await anonClient().auth.signInWithPassword({ email: newEmail, password });

    expect(error).toBeNull();
    expect(data.user!.email).toBe(newEmail);
    expect(signedIn.data.user!.id).toBe(id);
  });

  it('rejects a missing Bearer token', async () => {
    const response = await authFetch('/user');

    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      code: 'no_authorization',
      message: 'This endpoint requires a valid Bearer token'
    });
  });

  it('rejects an expired access token', async () => {
    const { email, password, id } = await createConfirmedUser('expired-jwt');
    const { session } = await signIn(email, password);
    const claims = decodeJwt(session.access_token);
    const expired = await signToken(
      { ...claims, sub: id, exp: undefined, iat: undefined },
      Math.floor(Date.now() / 1000) - 60
    );

    const { data, error } = await anonClient().auth.getUser(expired);

    expect(data.user).toBeNull();
    expect(error!.status).toBe(403);
    expect(error!.code).toBe('bad_jwt');
  });

  it('rejects a foreign signature', async () => {
    const { email, password } = await createConfirmedUser('forged-jwt');
    const { session } = await signIn(email, password);
    const claims = decodeJwt(session.access_token);
    const forged = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .sign(new TextEncoder().encode('another-secret-that-is-at-least-32-characters'));

    const { error } = await anonClient().auth.getUser(forged);

    expect(error!.status).toBe(403);
    expect(error!.code).toBe('bad_jwt');
  });

  it('rejects the anon key', async () => {
    const { error } = await anonClient().auth.getUser(env.SUPABASE_ANON_KEY);

    expect(error!.status).toBe(403);
    expect(error!.code).toBe('bad_jwt');
  });
});

describe('sign-out', () => {
  it('revokes refresh token and session', async () => {
    const { email, password } = await createConfirmedUser('sign-out');
    const { client, session } = await signIn(email, password);

    const { error } = await client.auth.signOut();
    const refreshed = await anonClient().auth.refreshSession({
      refresh_token: session.refresh_token
    });
    const user = await anonClient().auth.getUser(session.access_token);
    const local = await client.auth.getSession();

    expect(error).toBeNull();
    expect(refreshed.error!.status).toBe(400);
    expect(refreshed.error!.code).toBe('refresh_token_not_found');
    expect(user.error!.name).toBe('AuthSessionMissingError');
    expect(local.data.session).toBeNull();
  });

  it('keeps the session for others', async () => {
    const { email, password } = await createConfirmedUser('sign-out-others');
    const kept = await signIn(email, password);
    const ended = await signIn(email, password);

    const { error } = await kept.client.auth.signOut({ scope: 'others' });
    const keptRefresh = await anonClient().auth.refreshSession({
      refresh_token: kept.session.refresh_token
    });
    const endedRefresh = await anonClient().auth.refreshSession({
      refresh_token: ended.session.refresh_token
    });

    expect(error).toBeNull();
    expect(keptRefresh.error).toBeNull();
    expect(endedRefresh.error!.code).toBe('refresh_token_not_found');
  });

  it('rejects an unknown scope', async () => {
    const { email, password } = await createConfirmedUser('bad-scope');
    const { session } = await signIn(email, password);

    const response = await authFetch('/logout?scope=everywhere', {
      method: 'POST',
      headers: { authorization: `Bearer ${session.access_token}` }
    });

    expect(response.status).toBe(400);
    expect(response.headers.get('x-sb-error-code')).toBe('validation_failed');
  });
});

describe('settings and health', () => {
  it('lists only the email provider', async () => {
    const response = await authFetch('/settings');
    const settings = await response.json();

    expect(response.status).toBe(200);
    expect(settings.disable_signup).toBe(false);
    expect(settings.mailer_autoconfirm).toBe(true);
    expect(settings.external.email).toBe(true);
    expect(settings.external.google).toBe(false);
    expect(Object.entries(settings.external).filter(([, enabled]) => enabled)).toEqual([
      ['email', true]
    ]);
  });

  it('reports GoTrue', async () => {
    const response = await authFetch('/health');

    expect(response.status).toBe(200);
    expect((await response.json()).name).toBe('GoTrue');
  });
});

describe('error format', () => {
  it('uses {code, message} when versioned', async () => {
    const response = await authFetch('/token?grant_type=password', {
      method: 'POST',
      body: JSON.stringify({ email: 'buyer@example.com', password: 'wrong-password' })
    });

    expect(response.status).toBe(400);
    expect(response.headers.get('x-sb-error-code')).toBe('invalid_credentials');
    expect(response.headers.get('x-supabase-api-version')).toBe('2024-01-01');
    expect(await response.json()).toEqual({
      code: 'invalid_credentials',
      message: 'Invalid login credentials'
    });
  });

  it('uses {code, error_code, msg} unversioned', async () => {
    const response = await authFetch('/token?grant_type=password', {
      method: 'POST',
      version: false,
      body: JSON.stringify({ email: 'buyer@example.com', password: 'wrong-password' })
    });

    expect(response.headers.get('x-sb-error-code')).toBe('invalid_credentials');
    expect(await response.json()).toEqual({
      code: 400,
      error_code: 'invalid_credentials',
      msg: 'Invalid login credentials'
    });
  });

  it('names the supported grant types', async () => {
    const response = await authFetch('/token?grant_type=magic', { method: 'POST', body: '{}' });

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      code: 'validation_failed',
      message: 'Unsupported grant_type "magic": use password, refresh_token or pkce.'
    });
  });

  it('rejects a malformed JSON body', async () => {
    const response = await authFetch('/signup', { method: 'POST', body: '{"email":' });

    expect(response.status).toBe(400);
    expect(response.headers.get('x-sb-error-code')).toBe('bad_json');
  });
});

describe('admin', () => {
  it('creates a user with app_metadata', async () => {
    const email = uniqueEmail('admin-create');

    const { data, error } = await serviceClient().auth.admin.createUser({
      email,
      password: 'admin-made-password',
      email_confirm: true,
      app_metadata: { role: 'admin' },
      user_metadata: { full_name: 'Made By Admin' }
    });
    const { session } = await signIn(email, 'admin-made-password');

    expect(error).toBeNull();
    expect(data.user!.app_metadata).toEqual({
      provider: 'email',
      providers: ['email'],
      role: 'admin'
    });
    expect(data.user!.user_metadata).toEqual({ full_name: 'Made By Admin' });
    expect(data.user!.email_confirmed_at).toEqual(expect.any(String));
    expect(decodeJwt(session.access_token).app_metadata).toEqual({
      provider: 'email',
      providers: ['email'],
      role: 'admin'
    });
  });

  it('rejects a registered address', async () => {
    const { email } = await createConfirmedUser('admin-duplicate');

    const { error } = await serviceClient().auth.admin.createUser({
      email,
      password: 'password-2'
    });

    expect(error!.status).toBe(422);
    expect(error!.code).toBe('email_exists');
  });

  it('pages users with total and links', async () => {
    const { rows } = await db.query<{ count: string }>('select count(*) from auth.users');
    const total = Number(rows[0].count);

    const { data, error } = await serviceClient().auth.admin.listUsers({ page: 1, perPage: 2 });
    const response = await fetch(`${env.SUPABASE_URL}/auth/v1/admin/users?page=2&per_page=2`, {
      headers: {
        apikey: env.SUPABASE_SERVICE_ROLE_KEY,
        authorization: `Bearer ${env.SUPABASE_SERVICE_ROLE_KEY}`
      }
    });
    const secondPage = await response.json();
    const lastPage = Math.ceil(total / 2);

    expect(error).toBeNull();
    expect(data.users).toHaveLength(2);
    const pagination = data as unknown as { total: number; nextPage: number | null };
    expect(pagination.total).toBe(total);
    expect(pagination.nextPage).toBe(2);
    expect(response.headers.get('x-total-count')).toBe(String(total));
    expect(response.headers.get('link')).toBe(
      `<${env.SUPABASE_URL}/auth/v1/admin/users?page=3&per_page=2>; rel="next", ` +
        `<${env.SUPABASE_URL}/auth/v1/admin/users?page=${lastPage}&per_page=2>; rel="last"`
    );
    expect(secondPage.aud).toBe('authenticated');
    expect(secondPage.users).toHaveLength(2);
    expect(secondPage.users.map((user: { id: string }) => user.id)).not.toContain(data.users[0].id);
  });

  it('merges app_metadata, dropping nulls', async () => {
    const { id } = await createConfirmedUser('admin-update');
    const admin = serviceClient().auth.admin;

    await admin.updateUserById(id, { app_metadata: { role: 'admin', tier: 'gold' } });
    const { data, error } = await admin.updateUserById(id, { app_metadata: { role: null } });

    expect(error).toBeNull();
    expect(data.user!.app_metadata).toEqual({
      provider: 'email',
      providers: ['email'],
      tier: 'gold'
    });
  });

  it('bans a user and ends sessions', async () => {
    const { email, password, id } = await createConfirmedUser('admin-ban');
    const { session } = await signIn(email, password);

    const { data, error } = await serviceClient().auth.admin.updateUserById(id, {
      ban_duration: '24h'
    });
    const signIn2 = await anonClient().auth.signInWithPassword({ email, password });
    const refreshed = await anonClient().auth.refreshSession({
      refresh_token: session.refresh_token
    });

    expect(error).toBeNull();
    expect(data.user!.banned_until).toEqual(expect.any(String));
    expect(signIn2.error!.code).toBe('user_banned');
    expect(refreshed.error!.code).toBe('refresh_token_not_found');
  });

  it('gets and deletes a user', async () => {
    const { id, email } = await createConfirmedUser('admin-delete');
    const admin = serviceClient().auth.admin;

    const fetched = await admin.getUserById(id);
    const deleted = await admin.deleteUser(id);
    const after = await admin.getUserById(id);

    expect(fetched.data.user!.email).toBe(email);
    expect(deleted.error).toBeNull();
    expect(after.error!.status).toBe(404);
    expect(after.error!.code).toBe('user_not_found');
  });

  it('generates a magic link without mail', async () => {
    const { email, id } = await createConfirmedUser('admin-link');

    const { data, error } = await serviceClient().auth.admin.generateLink({
      type: 'magiclink',
      email,
      options: { redirectTo: LIBRARY_URL }
    });
    const mails = await (await fetch(`${env.MAILBOX_URL}/messages?to=${email}`)).json();
    const verified = await anonClient().auth.verifyOtp({
      email,
      token: data.properties!.email_otp,
      type: 'magiclink'
    });

    expect(error).toBeNull();
    expect(data.user!.id).toBe(id);
    expect(data.properties!.verification_type).toBe('magiclink');
    expect(data.properties!.redirect_to).toBe(LIBRARY_URL);
    expect(data.properties!.email_otp).toMatch(/^\d{6}$/);
    const link = new URL(data.properties!.action_link);
    expect(link.searchParams.get('token')).toBe(data.properties!.hashed_token);
    expect(link.searchParams.get('type')).toBe('magiclink');
    expect(mails).toEqual([]);
    expect(verified.data.user!.id).toBe(id);
  });

  it('invites a user by email', async () => {
    const email = uniqueEmail('invited');

    const { data, error } = await serviceClient().auth.admin.inviteUserByEmail(email, {
      redirectTo: LIBRARY_URL
    });
    const mail = await latestMail(email);
    const { location } = await openLink(verifyLinkOf(mail));

    expect(error).toBeNull();
    expect(data.user!.invited_at).toEqual(expect.any(String));
    expect(data.user!.email_confirmed_at).toBeUndefined();
    expect(mail.subject).toBe('You have been invited');
    expect(fragmentOf(location).get('type')).toBe('invite');
    expect(fragmentOf(location).get('access_token')).toEqual(expect.any(String));
  });

  it('rejects anon and user tokens', async () => {
    const { email, password } = await createConfirmedUser('not-admin');
    const { session } = await signIn(email, password);
    const asUser = makeClient(
      env.SUPABASE_ANON_KEY,
      {},
      {
        Authorization: `Bearer ${session.access_token}`
      }
    );

    const anon = await anonClient().auth.admin.listUsers();
    const user = await asUser.auth.admin.createUser({ email: uniqueEmail('sneaky') });

    expect(anon.error!.status).toBe(403);
    expect(anon.error!.code).toBe('not_admin');
    expect(user.error!.status).toBe(403);
    expect(user.error!.code).toBe('not_admin');
  });
});

/**
 * A second Auth service on its own port, built from the real handler and the stack's database
 * but with other settings, for the behaviour config.toml turns off locally.
 */
async function startAuthService(overrides: Partial<StackConfig['auth']>) {
  const config = await loadConfig();
  const pool = new pg.Pool({ connectionString: env.SUPABASE_DB_URL, max: 4 });
  const mailDir = mkdtempSync(path.join(tmpdir(), 'brankas-auth-test-'));
  const mailbox = new Mailbox(mailDir);
  const logged: string[] = [];
  let handler: ServiceHandler | null = null;
  const server = http.createServer((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    void handler!(req, res, pathname.slice('/auth/v1'.length));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const ctx: StackContext = {
    config: { ...config, apiUrl: url, auth: { ...config.auth, ...overrides } },
    pool,
    mailbox,
    log: (_service, message) => logged.push(message)
  };
  handler = createAuthHandler(ctx);

  const close = async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await pool.end();
    rmSync(mailDir, { recursive: true, force: true });
  };
  const latest = (to: string): MailMessage => {
    const [message] = mailbox.list(to);
    expect(message).toBeDefined();
    return message;
  };
  return { url, latest, logged, close };
}

describe('with email confirmations on', () => {
  let service: Awaited<ReturnType<typeof startAuthService>>;
  const client = () => makeClient(env.SUPABASE_ANON_KEY, {}, undefined, service.url);

  beforeAll(async () => {
    service = await startAuthService({ enableConfirmations: true });
  });

  afterAll(async () => {
    await service.close();
  });

  it('holds the session until confirmation', async () => {
    const email = uniqueEmail('confirm');

    const signedUp = await client().auth.signUp({
      email,
      password: 'confirm-password',
      options: { emailRedirectTo: LIBRARY_URL }
    });
    const early = await client().auth.signInWithPassword({ email, password: 'confirm-password' });
    const mail = service.latest(email);
    const { status, location } = await openLink(verifyLinkOf(mail));
    const later = await client().auth.signInWithPassword({ email, password: 'confirm-password' });

    expect(signedUp.error).toBeNull();
    expect(signedUp.data.session).toBeNull();
    expect(signedUp.data.user!.email).toBe(email);
    expect(signedUp.data.user!.confirmation_sent_at).toEqual(expect.any(String));
    expect(signedUp.data.user!.email_confirmed_at).toBeUndefined();
    expect(early.error!.code).toBe('email_not_confirmed');
    expect(mail.subject).toBe('Confirm Your Signup');
    expect(verifyLinkOf(mail).origin).toBe(service.url);
    expect(status).toBe(303);
    expect(fragmentOf(location).get('type')).toBe('signup');
    expect(later.error).toBeNull();
    expect(later.data.user!.email_confirmed_at).toEqual(expect.any(String));
  });

  it('hides a registered address', async () => {
    const { email, id } = await createConfirmedUser('confirm-taken');

    const { data, error } = await client().auth.signUp({ email, password: 'other-password' });

    expect(error).toBeNull();
    expect(data.session).toBeNull();
    expect(data.user!.identities).toEqual([]);
    expect(data.user!.id).not.toBe(id);
  });

  it('confirms a PKCE sign-up', async () => {
    const email = uniqueEmail('confirm-pkce');
    const { client: pkce } = pkceClient(service.url);

    await pkce.auth.signUp({
      email,
      password: 'confirm-pkce-password',
      options: { emailRedirectTo: LIBRARY_URL }
    });
    const link = verifyLinkOf(service.latest(email));
    const { location } = await openLink(link);
    const { data, error } = await pkce.auth.exchangeCodeForSession(
      location.searchParams.get('code')!
    );

    expect(link.searchParams.get('token')).toMatch(/^pkce_/);
    expect(error).toBeNull();
    expect(data.user!.email).toBe(email);
    expect(data.user!.email_confirmed_at).toEqual(expect.any(String));
    expect((decodeJwt(data.session!.access_token).amr as { method: string }[])[0].method).toBe(
      'email/signup'
    );
  });

  it('resends the confirmation', async () => {
    const email = uniqueEmail('confirm-resend');
    await client().auth.signUp({ email, password: 'resend-password' });
    const first = service.latest(email);
    await db.query(
      `update auth.users set confirmation_sent_at = now() - interval '1 minute' where email = $1`,
      [email]
    );

    const { error } = await client().auth.resend({ type: 'signup', email });
    const second = service.latest(email);
    const stale = await openLink(verifyLinkOf(first));
    const fresh = await openLink(verifyLinkOf(second));

    expect(error).toBeNull();
    expect(second.subject).toBe('Confirm Your Signup');
    expect(codeOf(second)).not.toBe(codeOf(first));
    expect(fragmentOf(stale.location).get('error_code')).toBe('otp_expired');
    expect(fragmentOf(fresh.location).get('access_token')).toEqual(expect.any(String));
  });

  it('changes the email after confirmation', async () => {
    const { email, password, id } = await createConfirmedUser('confirm-change');
    const signedIn = makeClient(env.SUPABASE_ANON_KEY, {}, undefined, service.url);
    await signedIn.auth.signInWithPassword({ email, password });
    const newEmail = uniqueEmail('confirm-changed');

    const { data, error } = await signedIn.auth.updateUser({ email: newEmail });
    const mail = service.latest(newEmail);
    const before = await db.query('select email from auth.users where id = $1', [id]);
    await openLink(verifyLinkOf(mail));
    const after = await db.query('select email, email_change from auth.users where id = $1', [id]);

    expect(error).toBeNull();
    expect(data.user!.email).toBe(email);
    expect(data.user!.new_email).toBe(newEmail);
    expect(mail.subject).toBe('Confirm Email Change');
    expect(before.rows).toEqual([{ email }]);
    expect(after.rows).toEqual([{ email: newEmail, email_change: '' }]);
  });
});

describe('with sign-ups off', () => {
  let service: Awaited<ReturnType<typeof startAuthService>>;
  const client = () => makeClient(env.SUPABASE_ANON_KEY, {}, undefined, service.url);

  beforeAll(async () => {
    service = await startAuthService({ enableSignup: false });
  });

  afterAll(async () => {
    await service.close();
  });

  it('rejects new accounts only', async () => {
    const { email, password } = await createConfirmedUser('closed');

    const signUp = await client().auth.signUp({ email: uniqueEmail('closed-new'), password });
    const otp = await client().auth.signInWithOtp({ email: uniqueEmail('closed-otp') });
    const signIn = await client().auth.signInWithPassword({ email, password });
    const settings = await (await fetch(`${service.url}/auth/v1/settings`)).json();

    expect(signUp.error!.status).toBe(422);
    expect(signUp.error!.code).toBe('signup_disabled');
    expect(otp.error!.code).toBe('signup_disabled');
    expect(signIn.error).toBeNull();
    expect(settings.disable_signup).toBe(true);
  });
});

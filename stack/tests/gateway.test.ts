import path from 'node:path';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { SignJWT } from 'jose';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '@supabase/supabase-js';
import { loadConfig } from '../config.ts';
import { MigrationError, migrate } from '../migrate.ts';
import { stackEnv } from '../../tests/env.ts';

const env = stackEnv();
const db = new pg.Client({ connectionString: env.SUPABASE_DB_URL });

async function userToken(sub: string, expiresIn = '1h'): Promise<string> {
  const config = await loadConfig();
  return new SignJWT({ sub, role: 'authenticated', aud: 'authenticated' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(config.jwtSecret));
}

/** Polls until PostgREST's schema cache has the test table, which it loads after `notify`. */
async function waitForSchemaReload(): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const response = await fetch(`${env.SUPABASE_URL}/rest/v1/gateway_notes?select=id`, {
      headers: { apikey: env.SUPABASE_SERVICE_ROLE_KEY }
    });
    if (response.status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('PostgREST did not load public.gateway_notes within 10 s.');
}

beforeAll(async () => {
  await db.connect();
  await db.query(`
    drop table if exists public.gateway_notes;
    create table public.gateway_notes (id serial primary key, owner uuid not null, body text not null);
    alter table public.gateway_notes enable row level security;
    create policy "Owners can view their own notes" on public.gateway_notes
      for select to authenticated using (owner = auth.uid());
    insert into public.gateway_notes (owner, body) values
      ('00000000-0000-4000-8000-0000000000a1', 'first'),
      ('00000000-0000-4000-8000-0000000000a2', 'second');
    notify pgrst, 'reload schema';
  `);
  await waitForSchemaReload();
});

afterAll(async () => {
  await db.query('drop table if exists public.gateway_notes');
  await db.end();
});

describe('API key check', () => {
  it('rejects the REST API without an apikey', async () => {
    const response = await fetch(`${env.SUPABASE_URL}/rest/v1/gateway_notes`);

    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      message: 'No API key found in request',
      hint: 'No `apikey` request header or url param was found.'
    });
  });

  it('rejects a key that is not one of the project keys', async () => {
    const response = await fetch(`${env.SUPABASE_URL}/auth/v1/settings`, {
      headers: { apikey: await userToken('00000000-0000-4000-8000-0000000000a1') }
    });

    expect(response.status).toBe(401);
    expect((await response.json()).message).toBe('Invalid API key');
  });

  it('lets email links reach /auth/v1/verify without a key', async () => {
    const response = await fetch(`${env.SUPABASE_URL}/auth/v1/verify?token=nope&type=magiclink`, {
      redirect: 'manual'
    });

    expect(response.status).not.toBe(401);
  });

  it('answers CORS preflight requests', async () => {
    const response = await fetch(`${env.SUPABASE_URL}/rest/v1/gateway_notes`, {
      method: 'OPTIONS',
      headers: { origin: 'http://127.0.0.1:5173', 'access-control-request-method': 'GET' }
    });

    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-headers')).toContain('apikey');
  });

  it('answers an unknown path with 404', async () => {
    const response = await fetch(`${env.SUPABASE_URL}/nothing/here`);

    expect(response.status).toBe(404);
  });
});

describe('row-level security through PostgREST', () => {
  it('shows anon no rows of an owner-only table', async () => {
    const client = createClient(env.SUPABASE_URL, env.SUPABASE_ANON_KEY);

    const { data, error } = await client.from('gateway_notes').select('body');

    expect(error).toBeNull();
    expect(data).toEqual([]);
  });

  it('shows a user only their own rows', async () => {
    const token = await userToken('00000000-0000-4000-8000-0000000000a1');
    const client = createClient(env.SUPABASE_URL, env.SUPABASE_ANON_KEY, {
      global: { headers: { Authorization: `Bearer ${token}` } }
    });

    const { data, error } = await client.from('gateway_notes').select('body');

    expect(error).toBeNull();
    expect(data).toEqual([{ body: 'first' }]);
  });

  it('shows the service role every row', async () => {
    const client = createClient(env.SUPABASE_URL, env.SUPABASE_SERVICE_ROLE_KEY);

    const { data, error } = await client.from('gateway_notes').select('body').order('id');

    expect(error).toBeNull();
    expect(data).toEqual([{ body: 'first' }, { body: 'second' }]);
  });

  it('rejects an expired user token', async () => {
    const token = await userToken('00000000-0000-4000-8000-0000000000a1', '-1m');
    const response = await fetch(`${env.SUPABASE_URL}/rest/v1/gateway_notes`, {
      headers: { apikey: env.SUPABASE_ANON_KEY, Authorization: `Bearer ${token}` }
    });

    expect(response.status).toBe(401);
    expect((await response.json()).code).toBe('PGRST301');
  });
});

describe('Edge Functions behind verify_jwt', () => {
  it('rejects a call without an Authorization header', async () => {
    const response = await fetch(`${env.SUPABASE_URL}/functions/v1/download`, {
      method: 'POST',
      body: '{}'
    });

    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ msg: 'Error: Missing authorization header' });
  });

  it('rejects a token signed with another secret', async () => {
    const forged = await new SignJWT({ sub: 'x', role: 'authenticated' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('another-secret-of-at-least-thirty-two-chars'));
    const response = await fetch(`${env.SUPABASE_URL}/functions/v1/download`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${forged}` },
      body: '{}'
    });

    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ msg: 'Invalid JWT' });
  });

  it('passes a valid token through to the function', async () => {
    const response = await fetch(`${env.SUPABASE_URL}/functions/v1/download`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${env.SUPABASE_ANON_KEY}`,
        'content-type': 'application/json'
      },
      body: '{}'
    });
    const body = await response.json();

    expect(body.msg).toBeUndefined();
    expect(body.error.code).toEqual(expect.any(String));
  });

  it('answers 404 for a function that does not exist', async () => {
    const response = await fetch(`${env.SUPABASE_URL}/functions/v1/no-such-function`, {
      method: 'POST'
    });

    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      code: 'NOT_FOUND',
      message: 'Requested function was not found'
    });
  });
});

describe('migrations', () => {
  it('names the failing file and the Postgres message', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'brankas-migrate-'));
    mkdirSync(path.join(root, 'supabase', 'migrations'), { recursive: true });
    writeFileSync(
      path.join(root, 'supabase', 'config.toml'),
      '[auth]\nsite_url = "http://127.0.0.1:5173"\n'
    );
    writeFileSync(
      path.join(root, 'supabase', 'migrations', '29991231000000_broken.sql'),
      'create table public.broken_example (id int);\nselect no_such_column from public.broken_example;\n'
    );
    const config = { ...(await loadConfig(root)), dbUrl: env.SUPABASE_DB_URL };

    const failure = await migrate(config, () => undefined).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(MigrationError);
    expect((failure as Error).message).toBe(
      'Migration supabase/migrations/29991231000000_broken.sql failed (line 2): ' +
        'column "no_such_column" does not exist'
    );
    const leftover = await db.query("select to_regclass('public.broken_example') as name");
    expect(leftover.rows[0].name).toBeNull();
  });
});

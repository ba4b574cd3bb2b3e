import { createHash, randomUUID } from 'node:crypto';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import type { WebSocketLikeConstructor } from '@supabase/realtime-js';
import { SignJWT } from 'jose';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackEnv } from '../../tests/env.ts';
import { loadConfig } from '../config.ts';

// Drives the running stack's Storage service with unmodified supabase-js. The buckets, the
// policies and the users belong to this file (suffixed per run) and are removed at the end.

const env = stackEnv();
const db = new pg.Client({ connectionString: env.SUPABASE_DB_URL });
const run = randomUUID().slice(0, 8);

const privateBucket = `private-${run}`;
const publicBucket = `public-${run}`;
const limitedBucket = `limited-${run}`;
const apiBucket = `api-${run}`;

const alice = randomUUID();
const bob = randomUUID();

const storageUrl = `${env.SUPABASE_URL}/storage/v1`;

let secret: Uint8Array;
let aliceToken: string;
let bobToken: string;
let asAlice: SupabaseClient;
let asBob: SupabaseClient;
let asAnon: SupabaseClient;
let asService: SupabaseClient;

/**
 * supabase-js 2.109 looks up a WebSocket constructor for Realtime when a client is created, and
 * Node 20 has none without --experimental-websocket. These tests never open a channel.
 */
class RealtimeUnavailable {
  constructor() {
    throw new Error('Realtime is not used by the storage tests.');
  }
}

function client(key: string, accessToken?: string): SupabaseClient {
  return createClient(env.SUPABASE_URL, key, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: RealtimeUnavailable as unknown as WebSocketLikeConstructor },
    global: accessToken ? { headers: { Authorization: `Bearer ${accessToken}` } } : undefined
  });
}

async function userToken(sub: string): Promise<string> {
  return new SignJWT({ sub, role: 'authenticated', aud: 'authenticated' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(secret);
}

function headersFor(accessToken: string): Record<string, string> {
  return { apikey: env.SUPABASE_ANON_KEY, authorization: `Bearer ${accessToken}` };
}

function textBlob(text: string, type = 'text/plain'): Blob {
  return new Blob([text], { type });
}

function md5(text: string): string {
  return createHash('md5').update(text).digest('hex');
}

/** Decodes the payload of a JWT without verifying it. */
function jwtPayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}

function tokenOf(signedUrl: string): string {
  return new URL(signedUrl).searchParams.get('token') ?? '';
}

beforeAll(async () => {
  const config = await loadConfig();
  secret = new TextEncoder().encode(config.jwtSecret);
  aliceToken = await userToken(alice);
  bobToken = await userToken(bob);

  await db.connect();
  await db.query(
    `insert into auth.users (id, aud, role, email, created_at, updated_at)
     values ($1, 'authenticated', 'authenticated', $3, now(), now()),
            ($2, 'authenticated', 'authenticated', $4, now(), now())`,
    [alice, bob, `alice-${run}@example.com`, `bob-${run}@example.com`]
  );
  await db.query(
    `insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types) values
       ($1, $1, false, null, null),
       ($2, $2, true, null, null),
       ($3, $3, false, 16, array['image/png', 'text/*'])`,
    [privateBucket, publicBucket, limitedBucket]
  );

  // Each user may read and write only objects under a folder named after their user id.
  const ownFolder = (bucket: string) =>
    `bucket_id = '${bucket}' and (storage.foldername(name))[1] = (select auth.uid()::text)`;
  await db.query(`
    create policy "Users read their own folder ${run}" on storage.objects
      for select to authenticated using (${ownFolder(privateBucket)});
    create policy "Users upload into their own folder ${run}" on storage.objects
      for insert to authenticated with check (${ownFolder(privateBucket)});
    create policy "Users replace in their own folder ${run}" on storage.objects
      for update to authenticated using (${ownFolder(privateBucket)})
      with check (${ownFolder(privateBucket)});
    create policy "Users delete from their own folder ${run}" on storage.objects
      for delete to authenticated using (${ownFolder(privateBucket)});
    create policy "Users upload into the limited bucket ${run}" on storage.objects
      for insert to authenticated with check (bucket_id = '${limitedBucket}');
  `);

  asAlice = client(env.SUPABASE_ANON_KEY, aliceToken);
  asBob = client(env.SUPABASE_ANON_KEY, bobToken);
  asAnon = client(env.SUPABASE_ANON_KEY);
  asService = client(env.SUPABASE_SERVICE_ROLE_KEY);
});

afterAll(async () => {
  for (const bucket of [privateBucket, publicBucket, limitedBucket, apiBucket]) {
    await asService?.storage.emptyBucket(bucket);
    await asService?.storage.deleteBucket(bucket);
  }
  await db.query(`
    drop policy if exists "Users read their own folder ${run}" on storage.objects;
    drop policy if exists "Users upload into their own folder ${run}" on storage.objects;
    drop policy if exists "Users replace in their own folder ${run}" on storage.objects;
    drop policy if exists "Users delete from their own folder ${run}" on storage.objects;
    drop policy if exists "Users upload into the limited bucket ${run}" on storage.objects;
  `);
  await db.query('delete from storage.buckets where id = any($1)', [
    [privateBucket, publicBucket, limitedBucket, apiBucket]
  ]);
  await db.query('delete from auth.users where id = any($1)', [[alice, bob]]);
  await db.end();
});

describe('uploads', () => {
  it('stores a Blob as multipart', async () => {
    const { data, error } = await asAlice.storage
      .from(privateBucket)
      .upload(`${alice}/notes.txt`, textBlob('alice notes'));

    expect(error).toBeNull();
    expect(data?.path).toBe(`${alice}/notes.txt`);
    expect(data?.fullPath).toBe(`${privateBucket}/${alice}/notes.txt`);
    expect(data?.id).toMatch(/^[0-9a-f-]{36}$/);

    const row = await db.query('select owner, metadata from storage.objects where id = $1', [
      data?.id
    ]);
    expect(row.rows[0].owner).toBe(alice);
    expect(row.rows[0].metadata.size).toBe(11);
    expect(row.rows[0].metadata.mimetype).toBe('text/plain');
    expect(row.rows[0].metadata.eTag).toBe(`"${md5('alice notes')}"`);
    expect(row.rows[0].metadata.cacheControl).toBe('max-age=3600');
  });

  it('stores a raw body with its headers', async () => {
    const { error } = await asAlice.storage
      .from(privateBucket)
      .upload(`${alice}/raw.pdf`, Buffer.from('%PDF-1.7 raw'), {
        contentType: 'application/pdf',
        cacheControl: '60'
      });
    expect(error).toBeNull();

    const response = await fetch(`${storageUrl}/object/${privateBucket}/${alice}/raw.pdf`, {
      headers: headersFor(aliceToken)
    });

    expect(response.status).toBe(200);
    expect(await response.text()).toBe('%PDF-1.7 raw');
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-length')).toBe('12');
    expect(response.headers.get('etag')).toBe(`"${md5('%PDF-1.7 raw')}"`);
    expect(response.headers.get('cache-control')).toBe('max-age=60');
    expect(response.headers.get('accept-ranges')).toBe('bytes');
    expect(Number.isNaN(Date.parse(response.headers.get('last-modified') ?? ''))).toBe(false);
  });

  it('rejects a duplicate upload without upsert', async () => {
    const path = `${alice}/duplicate.txt`;
    await asAlice.storage.from(privateBucket).upload(path, textBlob('first'));

    const { data, error } = await asAlice.storage
      .from(privateBucket)
      .upload(path, textBlob('second'));

    expect(data).toBeNull();
    expect(error?.message).toBe('The resource already exists');
    expect(error).toMatchObject({ status: 400, statusCode: '409' });
    const { data: kept } = await asAlice.storage.from(privateBucket).download(path);
    expect(await kept?.text()).toBe('first');
  });

  it('replaces content on upsert, keeping the id', async () => {
    const path = `${alice}/upsert.txt`;
    const first = await asAlice.storage.from(privateBucket).upload(path, textBlob('version one'));

    const second = await asAlice.storage
      .from(privateBucket)
      .upload(path, textBlob('version two'), { upsert: true });

    expect(second.error).toBeNull();
    expect(second.data?.id).toBe(first.data?.id);
    const { data } = await asAlice.storage.from(privateBucket).download(path);
    expect(await data?.text()).toBe('version two');
  });

  it('replaces content on update', async () => {
    const path = `${alice}/update.txt`;
    await asAlice.storage.from(privateBucket).upload(path, textBlob('before'));

    const { error } = await asAlice.storage.from(privateBucket).update(path, textBlob('after'));

    expect(error).toBeNull();
    const { data } = await asAlice.storage.from(privateBucket).download(path);
    expect(await data?.text()).toBe('after');
  });

  it("rejects an upload into another's folder", async () => {
    const { data, error } = await asBob.storage
      .from(privateBucket)
      .upload(`${alice}/from-bob.txt`, textBlob('intruder'));

    expect(data).toBeNull();
    expect(error?.message).toBe('new row violates row-level security policy');
    expect(error).toMatchObject({ status: 400, statusCode: '403' });
    const rows = await db.query(
      'select 1 from storage.objects where bucket_id = $1 and name = $2',
      [privateBucket, `${alice}/from-bob.txt`]
    );
    expect(rows.rowCount).toBe(0);
  });

  it("rejects an upsert over another's object", async () => {
    const { error } = await asBob.storage
      .from(privateBucket)
      .upload(`${alice}/notes.txt`, textBlob('overwrite'), { upsert: true });

    expect(error?.message).toBe('new row violates row-level security policy');
    expect(error).toMatchObject({ statusCode: '403' });
    const { data } = await asAlice.storage.from(privateBucket).download(`${alice}/notes.txt`);
    expect(await data?.text()).toBe('alice notes');
  });

  it('rejects an unknown bucket', async () => {
    const { error } = await asService.storage
      .from(`missing-${run}`)
      .upload('file.txt', textBlob('nowhere'));

    expect(error?.message).toBe('Bucket not found');
    expect(error).toMatchObject({ status: 400, statusCode: '404' });
  });

  it('rejects a file over the limit', async () => {
    const { error } = await asAlice.storage
      .from(limitedBucket)
      .upload('too-big.txt', textBlob('x'.repeat(17)));

    expect(error?.message).toBe(
      `The object exceeded the maximum allowed size: bucket "${limitedBucket}" (file_size_limit) allows at most 16 bytes.`
    );
    expect(error).toMatchObject({ status: 400, statusCode: '413' });
  });

  it('accepts a file at the limit', async () => {
    const { error } = await asAlice.storage
      .from(limitedBucket)
      .upload('exact.txt', textBlob('x'.repeat(16)));

    expect(error).toBeNull();
  });

  it('rejects a raw body over the limit', async () => {
    const { error } = await asAlice.storage
      .from(limitedBucket)
      .upload('too-big-raw.txt', 'y'.repeat(40), { contentType: 'text/plain' });

    expect(error).toMatchObject({ status: 400, statusCode: '413' });
  });

  it('rejects a disallowed mime type', async () => {
    const { error } = await asAlice.storage
      .from(limitedBucket)
      .upload('doc.pdf', textBlob('%PDF', 'application/pdf'));

    expect(error?.message).toBe(
      `mime type application/pdf is not supported: bucket "${limitedBucket}" accepts only image/png, text/*.`
    );
    expect(error).toMatchObject({ status: 400, statusCode: '415' });
  });

  it('accepts a wildcard mime type', async () => {
    const { error } = await asAlice.storage
      .from(limitedBucket)
      .upload('page.html', textBlob('<p>', 'text/html'));

    expect(error).toBeNull();
  });
});

describe('path checks', () => {
  const cases = [
    {
      label: 'a parent segment',
      path: `${alice}%2F..%2F${bob}%2Fescape.txt`,
      reason: 'contains a ".." path segment'
    },
    { label: 'an absolute path', path: '%2Fetc%2Fpasswd', reason: 'is an absolute path' },
    { label: 'a backslash', path: `${alice}%5C..%5Cescape.txt`, reason: 'contains a backslash' },
    {
      label: 'a NUL byte',
      path: `${alice}%2Fname%00.txt`,
      reason: 'contains NUL or another control character'
    },
    {
      label: 'an empty segment',
      path: `${alice}%2F%2Fdouble.txt`,
      reason: 'contains an empty path segment'
    }
  ];

  for (const { label, path, reason } of cases) {
    it(`rejects an object name with ${label}`, async () => {
      const response = await fetch(`${storageUrl}/object/${privateBucket}/${path}`, {
        method: 'POST',
        headers: { ...headersFor(aliceToken), 'content-type': 'text/plain' },
        body: 'payload'
      });
      const body = await response.json();

      expect(response.status).toBe(400);
      expect(body.statusCode).toBe('400');
      expect(body.error).toBe('InvalidKey');
      expect(body.message).toContain(reason);
    });
  }

  it('rejects a parent segment from supabase-js', async () => {
    const { error } = await asAlice.storage
      .from(privateBucket)
      .upload(`${alice}/..%2F..%2Fescape.txt`, textBlob('escape'));

    expect(error?.message).toBe(
      `Invalid key: "${alice}/../../escape.txt" contains a ".." path segment. Use a relative path such as "folder/file.pdf".`
    );
    expect(error).toMatchObject({ status: 400, statusCode: '400' });
  });

  it('rejects a parent segment as bucket', async () => {
    const response = await fetch(`${storageUrl}/object/..%2F${privateBucket}/file.txt`, {
      headers: headersFor(aliceToken)
    });
    const body = await response.json();

    expect(response.status).toBe(400);
    expect(body.error).toBe('Invalid Input');
    expect(body.message).toMatch(/^Bucket name invalid: /);
  });
});

describe('downloads', () => {
  it('returns the owner their own file', async () => {
    const { data, error } = await asAlice.storage
      .from(privateBucket)
      .download(`${alice}/notes.txt`);

    expect(error).toBeNull();
    expect(await data?.text()).toBe('alice notes');
    expect(data?.type).toBe('text/plain');
  });

  it("hides another user's file", async () => {
    const { data, error } = await asBob.storage.from(privateBucket).download(`${alice}/notes.txt`);

    expect(data).toBeNull();
    expect(error?.message).toBe('Object not found');
    expect(error).toMatchObject({ status: 400, statusCode: '404' });
  });

  it('hides a private file from anon', async () => {
    const { data, error } = await asAnon.storage.from(privateBucket).download(`${alice}/notes.txt`);

    expect(data).toBeNull();
    expect(error?.message).toBe('Object not found');
    expect(error).toMatchObject({ statusCode: '404' });
  });

  it('rejects an anon upload', async () => {
    const { error } = await asAnon.storage
      .from(privateBucket)
      .upload(`${alice}/anon.txt`, textBlob('anon'));

    expect(error?.message).toBe('new row violates row-level security policy');
    expect(error).toMatchObject({ statusCode: '403' });
  });

  it('lets the service role read all', async () => {
    const { data, error } = await asService.storage
      .from(privateBucket)
      .download(`${alice}/notes.txt`);

    expect(error).toBeNull();
    expect(await data?.text()).toBe('alice notes');
  });

  it('applies policies on the authenticated route', async () => {
    const own = await fetch(
      `${storageUrl}/object/authenticated/${privateBucket}/${alice}/notes.txt`,
      {
        headers: headersFor(aliceToken)
      }
    );
    const other = await fetch(
      `${storageUrl}/object/authenticated/${privateBucket}/${alice}/notes.txt`,
      { headers: headersFor(bobToken) }
    );

    expect(own.status).toBe(200);
    expect(await own.text()).toBe('alice notes');
    expect(other.status).toBe(400);
    expect(await other.json()).toEqual({
      statusCode: '404',
      code: 'NoSuchKey',
      error: 'not_found',
      message: 'Object not found'
    });
  });

  it('answers HEAD with the headers alone', async () => {
    const response = await fetch(`${storageUrl}/object/${privateBucket}/${alice}/notes.txt`, {
      method: 'HEAD',
      headers: headersFor(aliceToken)
    });

    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe('11');
    expect(response.headers.get('etag')).toBe(`"${md5('alice notes')}"`);
    expect(await response.text()).toBe('');
  });

  it('reports existence through exists()', async () => {
    const present = await asAlice.storage.from(privateBucket).exists(`${alice}/notes.txt`);
    const hidden = await asBob.storage.from(privateBucket).exists(`${alice}/notes.txt`);

    expect(present.data).toBe(true);
    expect(hidden.data).toBe(false);
  });

  it('serves a byte range', async () => {
    const response = await fetch(`${storageUrl}/object/${privateBucket}/${alice}/notes.txt`, {
      headers: { ...headersFor(aliceToken), range: 'bytes=0-4' }
    });

    expect(response.status).toBe(206);
    expect(await response.text()).toBe('alice');
    expect(response.headers.get('content-range')).toBe('bytes 0-4/11');
    expect(response.headers.get('content-length')).toBe('5');
  });

  it('rejects a range past the end', async () => {
    const response = await fetch(`${storageUrl}/object/${privateBucket}/${alice}/notes.txt`, {
      headers: { ...headersFor(aliceToken), range: 'bytes=50-60' }
    });
    const body = await response.json();

    expect(response.status).toBe(400);
    expect(body.statusCode).toBe('416');
    expect(body.error).toBe('invalid_range');
  });

  it('answers If-None-Match with 304', async () => {
    const response = await fetch(`${storageUrl}/object/${privateBucket}/${alice}/notes.txt`, {
      headers: { ...headersFor(aliceToken), 'if-none-match': `"${md5('alice notes')}"` }
    });

    expect(response.status).toBe(304);
  });

  it('rejects a token signed with another secret', async () => {
    const forged = await new SignJWT({ sub: alice, role: 'authenticated' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('another-secret-that-is-at-least-32-characters'));

    const { error } = await client(env.SUPABASE_ANON_KEY, forged)
      .storage.from(privateBucket)
      .download(`${alice}/notes.txt`);

    expect(error?.message).toBe(
      'Invalid JWT: the token is malformed or its signature does not match the stack JWT secret.'
    );
    expect(error).toMatchObject({ status: 400, statusCode: '400' });
  });

  it('rejects a non-API database role', async () => {
    const token = await new SignJWT({ sub: alice, role: 'postgres' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('1h')
      .sign(secret);

    const { error } = await client(env.SUPABASE_ANON_KEY, token)
      .storage.from(privateBucket)
      .download(`${alice}/notes.txt`);

    expect(error?.message).toBe(
      'Invalid JWT: the role claim "postgres" is not one of anon, authenticated, service_role.'
    );
  });
});

describe('public buckets', () => {
  beforeAll(async () => {
    const { error } = await asService.storage
      .from(publicBucket)
      .upload('images/logo.txt', textBlob('public logo'));
    if (error) throw new Error(`Uploading the public fixture failed: ${error.message}`);
  });

  it('serves a public object without keys', async () => {
    const { data } = asAnon.storage.from(publicBucket).getPublicUrl('images/logo.txt');

    const response = await fetch(data.publicUrl);

    expect(response.status).toBe(200);
    expect(await response.text()).toBe('public logo');
    expect(response.headers.get('content-type')).toBe('text/plain');
  });

  it('rejects the public route for private buckets', async () => {
    const { data } = asAnon.storage.from(privateBucket).getPublicUrl(`${alice}/notes.txt`);

    const response = await fetch(data.publicUrl);

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ statusCode: '404', message: 'Bucket not found' });
  });

  it('names the requested attachment', async () => {
    const { data } = asAnon.storage
      .from(publicBucket)
      .getPublicUrl('images/logo.txt', { download: 'Logo file.txt' });

    const response = await fetch(data.publicUrl);

    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="Logo file.txt"; filename*=UTF-8''Logo%20file.txt`
    );
  });
});

describe('signed URLs', () => {
  const path = () => `${alice}/signed.txt`;

  beforeAll(async () => {
    const { error } = await asAlice.storage
      .from(privateBucket)
      .upload(path(), textBlob('signed body'));
    if (error) throw new Error(`Uploading the signed fixture failed: ${error.message}`);
  });

  it('serves the object until expiry', async () => {
    const { data, error } = await asAlice.storage.from(privateBucket).createSignedUrl(path(), 1);
    expect(error).toBeNull();
    const signedUrl = data?.signedUrl ?? '';
    const payload = jwtPayload(tokenOf(signedUrl));
    expect(payload.url).toBe(`${privateBucket}/${path()}`);
    expect(payload.scope).toBe('download');
    expect(payload.exp).toBe((payload.iat as number) + 1);

    const fresh = await fetch(signedUrl);
    expect(fresh.status).toBe(200);
    expect(await fresh.text()).toBe('signed body');
    expect(fresh.headers.get('expires')).toBe(
      new Date((payload.exp as number) * 1000).toUTCString()
    );

    await new Promise((resolve) => setTimeout(resolve, 2100));
    const expired = await fetch(signedUrl);
    expect(expired.status).toBe(400);
    expect(await expired.json()).toEqual({
      statusCode: '400',
      code: 'ExpiredToken',
      error: 'ExpiredToken',
      message: 'The provided token has expired.'
    });
  });

  it('sends the requested attachment name', async () => {
    const { data } = await asAlice.storage
      .from(privateBucket)
      .createSignedUrl(path(), 60, { download: 'report.txt' });

    const response = await fetch(data?.signedUrl ?? '');

    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="report.txt"; filename*=UTF-8''report.txt`
    );
  });

  it('defaults the attachment to the object name', async () => {
    const { data } = await asAlice.storage
      .from(privateBucket)
      .createSignedUrl(path(), 60, { download: true });

    const response = await fetch(data?.signedUrl ?? '');

    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="signed.txt"; filename*=UTF-8''signed.txt`
    );
  });

  it('rejects a tampered token', async () => {
    const { data } = await asAlice.storage.from(privateBucket).createSignedUrl(path(), 60);
    const token = tokenOf(data?.signedUrl ?? '');
    const [header, , signature] = token.split('.');
    const payload = jwtPayload(token);
    const widened = Buffer.from(
      JSON.stringify({ ...payload, exp: (payload.exp as number) + 86400 })
    ).toString('base64url');

    const response = await fetch(
      `${storageUrl}/object/sign/${privateBucket}/${path()}?token=${header}.${widened}.${signature}`
    );

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      statusCode: '400',
      code: 'InvalidJWT',
      error: 'Invalid JWT',
      message:
        'Invalid JWT: the signed URL token is malformed or its signature does not verify. Create a new signed URL.'
    });
  });

  it('rejects a token for another object', async () => {
    const { data } = await asAlice.storage.from(privateBucket).createSignedUrl(path(), 60);
    const token = tokenOf(data?.signedUrl ?? '');

    const response = await fetch(
      `${storageUrl}/object/sign/${privateBucket}/${alice}/notes.txt?token=${token}`
    );

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      statusCode: '400',
      code: 'InvalidSignature',
      error: 'InvalidSignature',
      message:
        `The signed URL token does not match the requested object: it was signed for ` +
        `"${privateBucket}/${path()}", not "${privateBucket}/${alice}/notes.txt".`
    });
  });

  it('rejects a request without a token', async () => {
    const response = await fetch(`${storageUrl}/object/sign/${privateBucket}/${path()}`);

    expect(response.status).toBe(400);
    expect((await response.json()).message).toBe(
      'Missing Required Parameter token: a signed URL carries its token as ?token=….'
    );
  });

  it('rejects signing a hidden object', async () => {
    const { data, error } = await asBob.storage.from(privateBucket).createSignedUrl(path(), 60);

    expect(data).toBeNull();
    expect(error?.message).toBe('Object not found');
    expect(error).toMatchObject({ statusCode: '404' });
  });

  it('rejects a lifetime under one second', async () => {
    const { error } = await asAlice.storage.from(privateBucket).createSignedUrl(path(), 0);

    expect(error?.message).toBe(
      'Invalid request: expiresIn: the lifetime must be at least 1 second.'
    );
  });

  it('signs several paths, reporting hidden ones', async () => {
    const { data, error } = await asAlice.storage
      .from(privateBucket)
      .createSignedUrls([path(), `${bob}/nothing.txt`], 60);

    expect(error).toBeNull();
    expect(data?.[0].error).toBeNull();
    expect(data?.[0].path).toBe(path());
    const response = await fetch(data?.[0].signedUrl ?? '');
    expect(await response.text()).toBe('signed body');
    expect(data?.[1]).toEqual({
      error: 'Either the object does not exist or you do not have access to it',
      path: `${bob}/nothing.txt`,
      signedURL: null,
      signedUrl: null
    });
  });
});

describe('signed uploads', () => {
  it('uploads through a signed URL', async () => {
    const path = `${alice}/via-signed-upload.txt`;
    const signed = await asAlice.storage.from(privateBucket).createSignedUploadUrl(path);
    expect(signed.error).toBeNull();
    expect(jwtPayload(signed.data?.token ?? '')).toMatchObject({
      url: `${privateBucket}/${path}`,
      scope: 'upload',
      owner: alice,
      upsert: false
    });

    const { data, error } = await asAnon.storage
      .from(privateBucket)
      .uploadToSignedUrl(path, signed.data?.token ?? '', textBlob('signed upload'));

    expect(error).toBeNull();
    expect(data?.fullPath).toBe(`${privateBucket}/${path}`);
    const row = await db.query(
      'select owner from storage.objects where bucket_id = $1 and name = $2',
      [privateBucket, path]
    );
    expect(row.rows[0].owner).toBe(alice);
    const stored = await asAlice.storage.from(privateBucket).download(path);
    expect(await stored.data?.text()).toBe('signed upload');
  });

  it("rejects signing uploads into another's folder", async () => {
    const { data, error } = await asBob.storage
      .from(privateBucket)
      .createSignedUploadUrl(`${alice}/planted.txt`);

    expect(data).toBeNull();
    expect(error?.message).toBe('new row violates row-level security policy');
    const rows = await db.query(
      'select 1 from storage.objects where bucket_id = $1 and name = $2',
      [privateBucket, `${alice}/planted.txt`]
    );
    expect(rows.rowCount).toBe(0);
  });

  it('rejects a download token on the upload route', async () => {
    const path = `${alice}/notes.txt`;
    const signed = await asAlice.storage.from(privateBucket).createSignedUrl(path, 60);

    const { error } = await asAnon.storage
      .from(privateBucket)
      .uploadToSignedUrl(path, tokenOf(signed.data?.signedUrl ?? ''), textBlob('overwrite'));

    expect(error?.message).toBe(
      'The signed URL token grants download, not upload: create a upload URL for this object.'
    );
    const kept = await asAlice.storage.from(privateBucket).download(path);
    expect(await kept.data?.text()).toBe('alice notes');
  });

  it('rejects a signed URL token as bearer', async () => {
    const signed = await asAlice.storage
      .from(privateBucket)
      .createSignedUrl(`${alice}/notes.txt`, 60);
    const token = tokenOf(signed.data?.signedUrl ?? '');

    const { error } = await client(env.SUPABASE_ANON_KEY, token)
      .storage.from(privateBucket)
      .download(`${alice}/notes.txt`);

    expect(error?.message).toBe(
      'Invalid JWT: the token has no role claim, so it is not an API key or access token.'
    );
  });
});

describe('object names and info', () => {
  it('keeps spaces, percent signs and accents', async () => {
    const name = `${alice}/Laporan 100% akhir é.txt`;
    const upload = await asAlice.storage.from(privateBucket).upload(name, textBlob('unicode'));
    expect(upload.error).toBeNull();

    const download = await asAlice.storage.from(privateBucket).download(name);
    const signed = await asAlice.storage.from(privateBucket).createSignedUrl(name, 60);
    const viaSigned = await fetch(signed.data?.signedUrl ?? '');
    const row = await db.query('select 1 from storage.objects where bucket_id = $1 and name = $2', [
      privateBucket,
      name
    ]);

    expect(await download.data?.text()).toBe('unicode');
    expect(await viaSigned.text()).toBe('unicode');
    expect(row.rowCount).toBe(1);
  });

  it('returns object info', async () => {
    const { data, error } = await asAlice.storage.from(privateBucket).info(`${alice}/notes.txt`);

    expect(error).toBeNull();
    expect(data).toMatchObject({
      name: `${alice}/notes.txt`,
      bucketId: privateBucket,
      size: 11,
      contentType: 'text/plain',
      etag: `"${md5('alice notes')}"`,
      cacheControl: 'max-age=3600'
    });
  });
});

describe('listing', () => {
  beforeAll(async () => {
    for (const name of ['docs/b.txt', 'docs/a.txt', 'docs/deep/c.txt', 'top.txt']) {
      const { error } = await asBob.storage
        .from(privateBucket)
        .upload(`${bob}/${name}`, textBlob(name));
      if (error) throw new Error(`Uploading the listing fixture ${name} failed: ${error.message}`);
    }
  });

  it('lists files and folders', async () => {
    const { data, error } = await asBob.storage.from(privateBucket).list(bob);

    expect(error).toBeNull();
    expect(data?.map((entry) => [entry.name, entry.id === null])).toEqual([
      ['docs', true],
      ['top.txt', false]
    ]);
    const folder = data?.find((entry) => entry.name === 'docs');
    expect(folder).toEqual({
      name: 'docs',
      id: null,
      updated_at: null,
      created_at: null,
      last_accessed_at: null,
      metadata: null
    });
    const file = data?.find((entry) => entry.name === 'top.txt');
    expect(file?.metadata?.size).toBe(7);
    expect(file?.metadata?.mimetype).toBe('text/plain');
  });

  it('lists a subfolder with or without slash', async () => {
    const withSlash = await asBob.storage.from(privateBucket).list(`${bob}/docs/`);
    const without = await asBob.storage.from(privateBucket).list(`${bob}/docs`);

    expect(withSlash.data?.map((entry) => entry.name)).toEqual(['a.txt', 'b.txt', 'deep']);
    expect(without.data?.map((entry) => entry.name)).toEqual(['a.txt', 'b.txt', 'deep']);
  });

  it('sorts, pages and searches', async () => {
    const descending = await asBob.storage
      .from(privateBucket)
      .list(`${bob}/docs`, { sortBy: { column: 'name', order: 'desc' } });
    const paged = await asBob.storage
      .from(privateBucket)
      .list(`${bob}/docs`, { limit: 1, offset: 1 });
    const searched = await asBob.storage.from(privateBucket).list(`${bob}/docs`, { search: 'b' });

    expect(descending.data?.map((entry) => entry.name)).toEqual(['deep', 'b.txt', 'a.txt']);
    expect(paged.data?.map((entry) => entry.name)).toEqual(['b.txt']);
    expect(searched.data?.map((entry) => entry.name)).toEqual(['b.txt']);
  });

  it("hides another user's folder", async () => {
    const { data, error } = await asAlice.storage.from(privateBucket).list(bob);

    expect(error).toBeNull();
    expect(data).toEqual([]);
  });

  it('reports an unknown bucket', async () => {
    const { error } = await asAlice.storage.from(`missing-${run}`).list();

    expect(error?.message).toBe('Bucket not found');
  });
});

describe('removal, move and copy', () => {
  it('removes only deletable objects', async () => {
    await asAlice.storage.from(privateBucket).upload(`${alice}/remove-me.txt`, textBlob('bye'));

    const byBob = await asBob.storage.from(privateBucket).remove([`${alice}/remove-me.txt`]);
    const byAlice = await asAlice.storage.from(privateBucket).remove([`${alice}/remove-me.txt`]);

    expect(byBob.error).toBeNull();
    expect(byBob.data).toEqual([]);
    expect(byAlice.error).toBeNull();
    expect(byAlice.data?.map((row) => row.name)).toEqual([`${alice}/remove-me.txt`]);
    const { error } = await asAlice.storage.from(privateBucket).download(`${alice}/remove-me.txt`);
    expect(error?.message).toBe('Object not found');
  });

  it('moves an object within the folder', async () => {
    await asAlice.storage.from(privateBucket).upload(`${alice}/move-from.txt`, textBlob('moving'));

    const { data, error } = await asAlice.storage
      .from(privateBucket)
      .move(`${alice}/move-from.txt`, `${alice}/move-to.txt`);

    expect(error).toBeNull();
    expect(data?.message).toBe('Successfully moved');
    const moved = await asAlice.storage.from(privateBucket).download(`${alice}/move-to.txt`);
    expect(await moved.data?.text()).toBe('moving');
    const old = await asAlice.storage.from(privateBucket).download(`${alice}/move-from.txt`);
    expect(old.error?.message).toBe('Object not found');
  });

  it("rejects a move into another's folder", async () => {
    await asAlice.storage.from(privateBucket).upload(`${alice}/stay.txt`, textBlob('stay'));

    const { error } = await asAlice.storage
      .from(privateBucket)
      .move(`${alice}/stay.txt`, `${bob}/taken.txt`);

    expect(error?.message).toBe('new row violates row-level security policy');
    expect(error).toMatchObject({ statusCode: '403' });
    const kept = await asAlice.storage.from(privateBucket).download(`${alice}/stay.txt`);
    expect(await kept.data?.text()).toBe('stay');
  });

  it('copies an object and keeps the source', async () => {
    await asAlice.storage.from(privateBucket).upload(`${alice}/original.txt`, textBlob('copy me'));

    const { data, error } = await asAlice.storage
      .from(privateBucket)
      .copy(`${alice}/original.txt`, `${alice}/duplicate-copy.txt`);

    expect(error).toBeNull();
    expect(data?.path).toBe(`${privateBucket}/${alice}/duplicate-copy.txt`);
    const copy = await asAlice.storage.from(privateBucket).download(`${alice}/duplicate-copy.txt`);
    expect(await copy.data?.text()).toBe('copy me');
    const source = await asAlice.storage.from(privateBucket).download(`${alice}/original.txt`);
    expect(await source.data?.text()).toBe('copy me');
  });

  it('rejects a copy onto an existing name', async () => {
    const { error } = await asAlice.storage
      .from(privateBucket)
      .copy(`${alice}/original.txt`, `${alice}/notes.txt`);

    expect(error?.message).toBe('The resource already exists');
    expect(error).toMatchObject({ statusCode: '409' });
  });
});

describe('buckets', () => {
  it('manages a bucket as the service role', async () => {
    const created = await asService.storage.createBucket(apiBucket, {
      public: false,
      fileSizeLimit: '1KB',
      allowedMimeTypes: ['text/plain']
    });
    expect(created).toEqual({ data: { name: apiBucket }, error: null });

    const fetched = await asService.storage.getBucket(apiBucket);
    expect(fetched.data).toMatchObject({
      id: apiBucket,
      name: apiBucket,
      public: false,
      file_size_limit: 1000,
      allowed_mime_types: ['text/plain']
    });

    const listed = await asService.storage.listBuckets();
    expect(listed.data?.map((bucket) => bucket.id)).toContain(apiBucket);

    const updated = await asService.storage.updateBucket(apiBucket, { public: true });
    expect(updated.data).toEqual({ message: 'Successfully updated' });
    const afterUpdate = await asService.storage.getBucket(apiBucket);
    expect(afterUpdate.data?.public).toBe(true);
    expect(afterUpdate.data?.file_size_limit).toBe(1000);

    await asService.storage.from(apiBucket).upload('a.txt', textBlob('a'));
    const notEmpty = await asService.storage.deleteBucket(apiBucket);
    expect(notEmpty.error?.message).toBe('The bucket you tried to delete is not empty');
    expect(notEmpty.error).toMatchObject({ statusCode: '409' });

    const emptied = await asService.storage.emptyBucket(apiBucket);
    expect(emptied.data).toEqual({ message: 'Successfully emptied' });
    const deleted = await asService.storage.deleteBucket(apiBucket);
    expect(deleted.data).toEqual({ message: 'Successfully deleted' });
    const gone = await asService.storage.getBucket(apiBucket);
    expect(gone.error?.message).toBe('Bucket not found');
  });

  it('rejects a duplicate bucket', async () => {
    const { error } = await asService.storage.createBucket(privateBucket);

    expect(error?.message).toBe('The resource already exists');
    expect(error).toMatchObject({ statusCode: '409' });
  });

  it('hides buckets from users without policies', async () => {
    const listed = await asAlice.storage.listBuckets();
    const created = await asAlice.storage.createBucket(`user-${run}`);

    expect(listed.data).toEqual([]);
    expect(created.error?.message).toBe('new row violates row-level security policy');
    expect(created.error).toMatchObject({ statusCode: '403' });
  });

  it('rejects an invalid bucket name', async () => {
    const { error } = await asService.storage.createBucket('bad/name');

    expect(error?.message).toMatch(/^Bucket name invalid: "bad\/name" may use only/);
    expect(error).toMatchObject({ statusCode: '400' });
  });
});

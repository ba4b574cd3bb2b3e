import fs from 'node:fs/promises';
import { z } from 'zod';
import { withClaims } from '../context.ts';
import { sendJson } from '../http.ts';
import { errors, StorageError } from './errors.ts';
import { baseName } from './names.ts';
import { uploadRules } from './objects.ts';
import { objectMetadataOf, receiveUpload } from './receive.ts';
import { findBucket, findObject } from './rows.ts';
import { sendObject } from './send.ts';
import {
  caller,
  openObject,
  readBody,
  type StorageRequest,
  type StorageService
} from './service.ts';
import { signObjectToken, verifyObjectToken } from './tokens.ts';
import { writeObject } from './writes.ts';

/** Signed upload URLs last two hours, as in Supabase Storage. */
const UPLOAD_URL_LIFETIME_SECONDS = 2 * 60 * 60;

const expiresInSchema = z
  .number({ error: 'give the lifetime in seconds as a number' })
  .int('give a whole number of seconds')
  .min(1, 'the lifetime must be at least 1 second');

const signOneSchema = z.object({ expiresIn: expiresInSchema });

const signManySchema = z.object({
  expiresIn: expiresInSchema,
  paths: z
    .array(z.string())
    .min(1, 'give at least one object name')
    .max(1000, 'give at most 1000 object names per request')
});

function signedUrlPath(bucketId: string, name: string, token: string): string {
  return `/object/sign/${bucketId}/${name}?token=${token}`;
}

/**
 * POST `/object/sign/{bucket}/{name}` `{expiresIn}`: signs a download URL for an object the
 * caller can see under RLS. The path is sent unencoded because storage-js encodes it.
 */
export async function signObjectUrl(
  service: StorageService,
  request: StorageRequest,
  bucketId: string,
  name: string
): Promise<void> {
  const claims = await caller(service, request);
  const { expiresIn } = await readBody(request, signOneSchema);

  const row = await withClaims(service.ctx.pool, claims, (client) =>
    findObject(client, bucketId, name)
  );
  if (!row) throw errors.objectNotFound();

  const token = await signObjectToken(
    service.secret,
    { url: `${bucketId}/${name}`, scope: 'download' },
    expiresIn
  );
  sendJson(request.res, 200, { signedURL: signedUrlPath(bucketId, name, token) });
}

/**
 * POST `/object/sign/{bucket}` `{expiresIn, paths}`: one entry per path, with an error instead
 * of a URL for names the caller cannot see.
 */
export async function signObjectUrls(
  service: StorageService,
  request: StorageRequest,
  bucketId: string
): Promise<void> {
  const claims = await caller(service, request);
  const { expiresIn, paths } = await readBody(request, signManySchema);

  const visible = await withClaims(service.ctx.pool, claims, async (client) => {
    const result = await client.query<{ name: string }>(
      'select name from storage.objects where bucket_id = $1 and name = any($2::text[])',
      [bucketId, paths]
    );
    return new Set(result.rows.map((row) => row.name));
  });

  const entries = await Promise.all(
    paths.map(async (path) => {
      if (!visible.has(path)) {
        return {
          error: 'Either the object does not exist or you do not have access to it',
          path,
          signedURL: null
        };
      }
      const token = await signObjectToken(
        service.secret,
        { url: `${bucketId}/${path}`, scope: 'download' },
        expiresIn
      );
      return { error: null, path, signedURL: signedUrlPath(bucketId, path, token) };
    })
  );
  sendJson(request.res, 200, entries);
}

/**
 * GET and HEAD of `/object/sign/{bucket}/{name}?token=…[&download=…]`. This route skips the API
 * key check and RLS, so the token alone grants access: it must verify, name exactly this
 * object and not have expired. Sends `Expires` with the token's expiry.
 */
export async function downloadSigned(
  service: StorageService,
  request: StorageRequest,
  bucketId: string,
  name: string
): Promise<void> {
  const token = requireToken(request);
  const payload = await verifyObjectToken(service.secret, token, `${bucketId}/${name}`, 'download');

  const { row, file } = await openObject(service, () =>
    findObject(service.ctx.pool, bucketId, name)
  );
  await sendObject(request.req, request.res, file, row.metadata ?? {}, row.updated_at, {
    download: request.url.searchParams.get('download'),
    defaultFileName: baseName(row.name),
    expires: new Date(payload.exp * 1000)
  });
}

/**
 * POST `/object/upload/sign/{bucket}/{name}` (`x-upsert: true` to allow replacing): signs an
 * upload URL valid for two hours. The caller's right to upload is tested now by inserting the
 * row as them in a transaction that is rolled back.
 */
export async function signUploadUrl(
  service: StorageService,
  request: StorageRequest,
  bucketId: string,
  name: string
): Promise<void> {
  const claims = await caller(service, request);
  await findBucket(service.ctx.pool, bucketId);
  const upsert = request.req.headers['x-upsert'] === 'true';

  await testUpload(service, claims, bucketId, name, upsert);

  const url = `${bucketId}/${name}`;
  const token = await signObjectToken(
    service.secret,
    { url, scope: 'upload', owner: claims.sub, upsert },
    UPLOAD_URL_LIFETIME_SECONDS
  );
  sendJson(request.res, 200, { url: `/object/upload/sign/${url}?token=${token}`, token });
}

/** Signals the rollback of a permission test. */
class RollbackProbe extends Error {}

async function testUpload(
  service: StorageService,
  claims: Parameters<typeof withClaims>[1],
  bucketId: string,
  name: string,
  upsert: boolean
): Promise<void> {
  try {
    await writeObject(
      service,
      claims,
      { bucketId, name, metadata: {}, userMetadata: null, upsert },
      async () => {
        throw new RollbackProbe();
      }
    );
  } catch (error) {
    if (error instanceof RollbackProbe) return;
    throw error;
  }
}

/**
 * PUT `/object/upload/sign/{bucket}/{name}?token=…`: uploads with a signed upload token. The
 * permission was tested when the URL was signed, so the row is written as the service role with
 * the signer as owner, as Supabase Storage does.
 */
export async function uploadSigned(
  service: StorageService,
  request: StorageRequest,
  bucketId: string,
  name: string
): Promise<void> {
  const token = requireToken(request);
  const payload = await verifyObjectToken(service.secret, token, `${bucketId}/${name}`, 'upload');
  const bucket = await findBucket(service.ctx.pool, bucketId);
  const received = await receiveUpload(request.req, service.files, uploadRules(service, bucket));

  const metadata = objectMetadataOf(received);
  try {
    const id = await writeObject(
      service,
      { role: 'service_role', sub: payload.owner },
      {
        bucketId,
        name,
        metadata,
        userMetadata: received.userMetadata,
        upsert: payload.upsert ?? false
      },
      async (_client, version) => service.files.place(received.tempPath, bucketId, name, version)
    );
    sendJson(request.res, 200, { Id: id, Key: `${bucketId}/${name}` });
  } finally {
    await fs.rm(received.tempPath, { force: true });
  }
}

function requireToken(request: StorageRequest): string {
  const token = request.url.searchParams.get('token');
  if (!token) {
    throw new StorageError(
      400,
      'MissingParameter',
      'InvalidRequest',
      'Missing Required Parameter token: a signed URL carries its token as ?token=….'
    );
  }
  return token;
}

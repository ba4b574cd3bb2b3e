import fs from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { withClaims } from '../context.ts';
import { sendJson } from '../http.ts';
import { errors } from './errors.ts';
import { effectiveSizeLimit, isMimeTypeAllowed } from './limits.ts';
import { baseName, parseBucketId, parseObjectName } from './names.ts';
import { objectMetadataOf, receiveUpload, type UploadRules } from './receive.ts';
import {
  type BucketRow,
  findBucket,
  findObject,
  lockObjectNames,
  type ObjectMetadata,
  OBJECT_COLUMNS,
  type ObjectRow
} from './rows.ts';
import { sendObject } from './send.ts';
import {
  caller,
  openObject,
  readBody,
  removeVersions,
  type StorageRequest,
  type StorageService
} from './service.ts';
import { writeObject } from './writes.ts';

/** The way a read finds its row: as the caller under RLS, or without RLS for public buckets. */
export type ReadAccess = 'caller' | 'public';

/** Builds the upload limits of a bucket for `receiveUpload`. */
export function uploadRules(service: StorageService, bucket: BucketRow): UploadRules {
  const globalLimit = service.ctx.config.storage.fileSizeLimit;
  const maxBytes = effectiveSizeLimit(bucket.file_size_limit, globalLimit);
  return {
    bucketId: bucket.id,
    maxBytes,
    maxBytesSource:
      maxBytes === bucket.file_size_limit
        ? `bucket "${bucket.id}" (file_size_limit)`
        : 'the stack (supabase/config.toml [storage] file_size_limit)',
    allowedMimeTypes: bucket.allowed_mime_types
  };
}

/**
 * Handles POST (create, or replace with `x-upsert: true`) and PUT (replace or create) of
 * `/object/{bucket}/{name}`. The body is saved to a temporary file first. Then the row is
 * written as the caller, and the file is moved into place only if the row is accepted.
 */
export async function uploadObject(
  service: StorageService,
  request: StorageRequest,
  bucketId: string,
  name: string
): Promise<void> {
  const claims = await caller(service, request);
  const bucket = await findBucket(service.ctx.pool, bucketId);
  const upsert = request.method === 'PUT' || request.req.headers['x-upsert'] === 'true';
  const received = await receiveUpload(request.req, service.files, uploadRules(service, bucket));

  const metadata = objectMetadataOf(received);

  try {
    const id = await writeObject(
      service,
      claims,
      { bucketId, name, metadata, userMetadata: received.userMetadata, upsert },
      async (_client, version) => service.files.place(received.tempPath, bucketId, name, version)
    );
    sendJson(request.res, 200, { Id: id, Key: `${bucketId}/${name}` });
  } finally {
    await fs.rm(received.tempPath, { force: true });
  }
}

/** GET and HEAD of an object, found as the caller (RLS) or, for public buckets, without RLS. */
export async function downloadObject(
  service: StorageService,
  request: StorageRequest,
  bucketId: string,
  name: string,
  access: ReadAccess
): Promise<void> {
  const lookup = await readLookup(service, request, bucketId, name, access);
  const { row, file } = await openObject(service, lookup);
  await sendObject(request.req, request.res, file, row.metadata ?? {}, row.updated_at, {
    download: request.url.searchParams.get('download'),
    defaultFileName: baseName(row.name)
  });
}

/** GET of `/object/info/…`: the object's row in the shape storage-js `info()` reads. */
export async function objectInfo(
  service: StorageService,
  request: StorageRequest,
  bucketId: string,
  name: string,
  access: ReadAccess
): Promise<void> {
  const lookup = await readLookup(service, request, bucketId, name, access);
  const row = await lookup();
  if (!row) throw errors.objectNotFound();

  const metadata = row.metadata ?? {};
  sendJson(request.res, 200, {
    id: row.id,
    version: row.version,
    name: row.name,
    bucket_id: row.bucket_id,
    updated_at: row.updated_at,
    created_at: row.created_at,
    last_accessed_at: row.last_accessed_at,
    size: metadata.size ?? null,
    cache_control: metadata.cacheControl ?? null,
    content_type: metadata.mimetype ?? null,
    etag: metadata.eTag ?? null,
    last_modified: metadata.lastModified ?? null,
    metadata: row.user_metadata
  });
}

async function readLookup(
  service: StorageService,
  request: StorageRequest,
  bucketId: string,
  name: string,
  access: ReadAccess
): Promise<() => Promise<ObjectRow | null>> {
  if (access === 'public') {
    const bucket = await findBucket(service.ctx.pool, bucketId);
    if (!bucket.public) throw errors.bucketNotFound();
    return () => findObject(service.ctx.pool, bucketId, name);
  }
  const claims = await caller(service, request);
  return () => withClaims(service.ctx.pool, claims, (client) => findObject(client, bucketId, name));
}

const removeSchema = z.object({
  prefixes: z
    .array(z.string().min(1, 'each name must be non-empty'))
    .min(1, 'give at least one object name')
    .max(1000, 'give at most 1000 object names per request')
});

/**
 * DELETE of `/object/{bucket}` with `{prefixes}` (exact object names, despite the field name).
 * Deletes the rows the caller's DELETE and SELECT policies allow and returns them; names the
 * caller may not delete are skipped, as in Supabase Storage.
 */
export async function removeObjects(
  service: StorageService,
  request: StorageRequest,
  bucketId: string
): Promise<void> {
  const claims = await caller(service, request);
  const { prefixes } = await readBody(request, removeSchema);

  const deleted = await withClaims(service.ctx.pool, claims, async (client) => {
    const result = await client.query<ObjectRow>(
      `delete from storage.objects where bucket_id = $1 and name = any($2::text[])
       returning ${OBJECT_COLUMNS}`,
      [bucketId, prefixes]
    );
    return result.rows;
  });

  await removeVersions(
    service,
    deleted.map((row) => ({ bucketId: row.bucket_id, name: row.name, version: row.version }))
  );
  sendJson(request.res, 200, deleted);
}

/** DELETE of one object at `/object/{bucket}/{name}`. */
export async function removeObject(
  service: StorageService,
  request: StorageRequest,
  bucketId: string,
  name: string
): Promise<void> {
  const claims = await caller(service, request);
  const deleted = await withClaims(service.ctx.pool, claims, async (client) => {
    const result = await client.query<ObjectRow>(
      `delete from storage.objects where bucket_id = $1 and name = $2 returning ${OBJECT_COLUMNS}`,
      [bucketId, name]
    );
    return result.rows[0] ?? null;
  });
  if (!deleted) throw errors.objectNotFound();

  await removeVersions(service, [{ bucketId, name, version: deleted.version }]);
  sendJson(request.res, 200, { message: 'Successfully deleted' });
}

const transferSchema = z.object({
  bucketId: z.string({ error: 'give the source bucket id' }),
  sourceKey: z.string({ error: 'give the source object name' }),
  destinationKey: z.string({ error: 'give the destination object name' }),
  destinationBucket: z.string().nullish()
});

interface Transfer {
  source: { bucketId: string; name: string };
  target: { bucketId: string; name: string };
}

async function readTransfer(request: StorageRequest): Promise<Transfer> {
  const body = await readBody(request, transferSchema);
  return {
    source: { bucketId: parseBucketId(body.bucketId), name: parseObjectName(body.sourceKey) },
    target: {
      bucketId: parseBucketId(body.destinationBucket ?? body.bucketId),
      name: parseObjectName(body.destinationKey)
    }
  };
}

/** Rejects moving or copying an object into a bucket whose size or type limits it breaks. */
function checkTargetLimits(service: StorageService, bucket: BucketRow, row: ObjectRow): void {
  const rules = uploadRules(service, bucket);
  const size = row.metadata?.size ?? 0;
  if (size > rules.maxBytes) {
    throw errors.tooLarge(`${rules.maxBytesSource} allows at most ${rules.maxBytes} bytes.`);
  }
  const mimetype = row.metadata?.mimetype ?? 'application/octet-stream';
  if (!isMimeTypeAllowed(mimetype, rules.allowedMimeTypes)) {
    throw errors.invalidMimeType(
      mimetype,
      `bucket "${bucket.id}" accepts only ${rules.allowedMimeTypes!.join(', ')}.`
    );
  }
}

/**
 * POST `/object/move` `{bucketId, sourceKey, destinationKey, destinationBucket?}`. Renames the
 * row as the caller, so their SELECT and UPDATE policies decide (USING on the old name, WITH
 * CHECK on the new one), and gives it a new version file.
 */
export async function moveObject(service: StorageService, request: StorageRequest): Promise<void> {
  const claims = await caller(service, request);
  const { source, target } = await readTransfer(request);
  const targetBucket = await findBucket(service.ctx.pool, target.bucketId);
  const version = randomUUID();
  let placed: string | null = null;

  let moved: { id: string; oldVersion: string | null };
  try {
    moved = await withClaims(service.ctx.pool, claims, async (client) => {
      await lockObjectNames(client, [source, target]);
      const row = await findObject(client, source.bucketId, source.name);
      if (!row) throw errors.objectNotFound();
      if (target.bucketId !== source.bucketId) checkTargetLimits(service, targetBucket, row);

      const updated = await client.query(
        `update storage.objects
         set bucket_id = $2, name = $3, version = $4, updated_at = now()
         where id = $1`,
        [row.id, target.bucketId, target.name, version]
      );
      if (updated.rowCount === 0) {
        throw errors.accessDenied(
          `Access denied: the row-level security policies on storage.objects do not let you ` +
            `update ${source.bucketId}/${source.name}, which a move needs.`
        );
      }

      placed = await copyRowFile(service, row, target.bucketId, target.name, version);
      return { id: row.id, oldVersion: row.version };
    });
  } catch (error) {
    if (placed) await service.files.removeFile(placed, target.bucketId).catch(() => undefined);
    throw error;
  }

  await removeVersions(service, [{ ...source, version: moved.oldVersion }]);
  sendJson(request.res, 200, {
    message: 'Successfully moved',
    Id: moved.id,
    Key: `${target.bucketId}/${target.name}`
  });
}

/**
 * POST `/object/copy` `{bucketId, sourceKey, destinationKey, destinationBucket?}`, with
 * `x-upsert: true` to replace an existing destination. The source must be visible to the
 * caller and the destination row passes their INSERT policies, as for an upload.
 */
export async function copyObject(service: StorageService, request: StorageRequest): Promise<void> {
  const claims = await caller(service, request);
  const { source, target } = await readTransfer(request);
  const targetBucket = await findBucket(service.ctx.pool, target.bucketId);
  const upsert = request.req.headers['x-upsert'] === 'true';

  // NOTE: the source is read before the destination transaction starts. A copy that races an
  // upsert of its source can therefore fail with "Object not found", and repeating it succeeds.
  const row = await withClaims(service.ctx.pool, claims, (client) =>
    findObject(client, source.bucketId, source.name)
  );
  if (!row || !row.version) throw errors.objectNotFound();
  if (target.bucketId !== source.bucketId) checkTargetLimits(service, targetBucket, row);

  const metadata: ObjectMetadata = { ...row.metadata, lastModified: new Date().toISOString() };
  const id = await writeObject(
    service,
    claims,
    { ...target, metadata, userMetadata: row.user_metadata, upsert },
    (_client, version) => copyRowFile(service, row, target.bucketId, target.name, version)
  );
  sendJson(request.res, 200, { Id: id, Key: `${target.bucketId}/${target.name}` });
}

async function copyRowFile(
  service: StorageService,
  row: ObjectRow,
  bucketId: string,
  name: string,
  version: string
): Promise<string> {
  if (!row.version) throw errors.objectNotFound();
  const source = service.files.versionPath(row.bucket_id, row.name, row.version);
  try {
    return await service.files.copyVersion(source, bucketId, name, version);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    service.ctx.log(
      'storage',
      `Object ${row.bucket_id}/${row.name} (id ${row.id}) has a row but no file on disk, so it cannot be copied.`
    );
    throw errors.objectNotFound();
  }
}

import pg from 'pg';
import { z } from 'zod';
import { withClaims } from '../context.ts';
import { sendJson } from '../http.ts';
import { errors } from './errors.ts';
import { parseBucketSizeLimit } from './limits.ts';
import { parseBucketId } from './names.ts';
import { BUCKET_COLUMNS, type BucketRow, ownerUuid } from './rows.ts';
import {
  caller,
  readBody,
  removeVersions,
  type StorageRequest,
  type StorageService
} from './service.ts';

// Bucket routes run as the caller under the RLS policies of storage.buckets. Without policies
// that means only the service role, as on Supabase.

const MIME_TYPE_PATTERN = /^([a-z0-9!#$&^_.+-]+|\*)\/([a-z0-9!#$&^_.+-]+|\*)$/i;

const sizeLimitSchema = z.union([z.number(), z.string(), z.null()]).optional();

const mimeTypesSchema = z
  .array(
    z
      .string()
      .regex(MIME_TYPE_PATTERN, 'each entry must be a media type such as "image/png" or "image/*"')
  )
  .nullable()
  .optional();

const createSchema = z.object({
  id: z.string().optional(),
  name: z.string({ error: 'give the bucket name' }),
  public: z.boolean().optional(),
  file_size_limit: sizeLimitSchema,
  allowed_mime_types: mimeTypesSchema,
  type: z.enum(['STANDARD'], { error: 'the local stack supports only STANDARD buckets' }).optional()
});

const updateSchema = z.object({
  public: z.boolean().optional(),
  file_size_limit: sizeLimitSchema,
  allowed_mime_types: mimeTypesSchema
});

const listQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).optional(),
  offset: z.coerce.number().int().min(0).default(0),
  search: z.string().default(''),
  sortColumn: z.enum(['id', 'name', 'created_at', 'updated_at']).default('name'),
  sortOrder: z.enum(['asc', 'desc']).default('asc')
});

function bucketJson(row: BucketRow) {
  const { owner_id: _ownerId, ...visible } = row;
  return visible;
}

/** GET `/bucket` with the `limit`, `offset`, `search`, `sortColumn` and `sortOrder` query. */
export async function listBuckets(service: StorageService, request: StorageRequest): Promise<void> {
  const claims = await caller(service, request);
  const parsed = listQuerySchema.safeParse(Object.fromEntries(request.url.searchParams));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw errors.invalidRequest(
      `Invalid query parameter ${issue.path.join('.')}: ${issue.message}.`
    );
  }
  const query = parsed.data;

  const rows = await withClaims(service.ctx.pool, claims, async (client) => {
    const result = await client.query<BucketRow>(
      `select ${BUCKET_COLUMNS} from storage.buckets
       where $1 = '' or name ilike '%' || $1 || '%'
       order by ${query.sortColumn} ${query.sortOrder}
       limit $2 offset $3`,
      [query.search, query.limit ?? null, query.offset]
    );
    return result.rows;
  });
  sendJson(request.res, 200, rows.map(bucketJson));
}

/** GET `/bucket/{id}`. */
export async function getBucket(
  service: StorageService,
  request: StorageRequest,
  bucketId: string
): Promise<void> {
  const claims = await caller(service, request);
  const row = await withClaims(service.ctx.pool, claims, async (client) => {
    const result = await client.query<BucketRow>(
      `select ${BUCKET_COLUMNS} from storage.buckets where id = $1`,
      [bucketId]
    );
    return result.rows[0] ?? null;
  });
  if (!row) throw errors.bucketNotFound();
  sendJson(request.res, 200, bucketJson(row));
}

/** POST `/bucket` `{id?, name, public, file_size_limit, allowed_mime_types}`. */
export async function createBucket(
  service: StorageService,
  request: StorageRequest
): Promise<void> {
  const claims = await caller(service, request);
  const body = await readBody(request, createSchema);
  const id = parseBucketId(body.id ?? body.name);
  const name = parseBucketId(body.name);
  const sizeLimit = parseBucketSizeLimit(
    body.file_size_limit,
    service.ctx.config.storage.fileSizeLimit
  );

  await withClaims(service.ctx.pool, claims, (client) =>
    client.query(
      `insert into storage.buckets
         (id, name, owner, owner_id, public, file_size_limit, allowed_mime_types)
       values ($1, $2, $3, $4, $5, $6, $7)`,
      [
        id,
        name,
        ownerUuid(claims.sub),
        claims.sub ?? null,
        body.public ?? false,
        sizeLimit,
        body.allowed_mime_types ?? null
      ]
    )
  );
  sendJson(request.res, 200, { name: id });
}

/** PUT `/bucket/{id}`: changes only the settings present in the body. */
export async function updateBucket(
  service: StorageService,
  request: StorageRequest,
  bucketId: string
): Promise<void> {
  const claims = await caller(service, request);
  const body = await readBody(request, updateSchema);

  const changes: [string, unknown][] = [];
  if (body.public !== undefined) changes.push(['public', body.public]);
  if (body.file_size_limit !== undefined) {
    changes.push([
      'file_size_limit',
      parseBucketSizeLimit(body.file_size_limit, service.ctx.config.storage.fileSizeLimit)
    ]);
  }
  if (body.allowed_mime_types !== undefined) {
    changes.push(['allowed_mime_types', body.allowed_mime_types]);
  }

  const assignments = changes.map(([column], index) => `${column} = $${index + 2}`);
  assignments.push('updated_at = now()');
  const updated = await withClaims(service.ctx.pool, claims, (client) =>
    client.query(`update storage.buckets set ${assignments.join(', ')} where id = $1`, [
      bucketId,
      ...changes.map(([, value]) => value)
    ])
  );
  if (updated.rowCount === 0) throw errors.bucketNotFound();
  sendJson(request.res, 200, { message: 'Successfully updated' });
}

/** DELETE `/bucket/{id}`: only an empty bucket can go, as in Supabase Storage. */
export async function deleteBucket(
  service: StorageService,
  request: StorageRequest,
  bucketId: string
): Promise<void> {
  const claims = await caller(service, request);
  let deleted: pg.QueryResult;
  try {
    deleted = await withClaims(service.ctx.pool, claims, (client) =>
      client.query('delete from storage.buckets where id = $1', [bucketId])
    );
  } catch (error) {
    if (error instanceof pg.DatabaseError && error.code === '23503') throw errors.bucketNotEmpty();
    throw error;
  }
  if (deleted.rowCount === 0) throw errors.bucketNotFound();

  await service.files.removeBucket(bucketId);
  sendJson(request.res, 200, { message: 'Successfully deleted' });
}

/** POST `/bucket/{id}/empty`: deletes every object of the bucket the caller may delete. */
export async function emptyBucket(
  service: StorageService,
  request: StorageRequest,
  bucketId: string
): Promise<void> {
  const claims = await caller(service, request);
  const removed = await withClaims(service.ctx.pool, claims, async (client) => {
    const bucket = await client.query('select 1 from storage.buckets where id = $1', [bucketId]);
    if (bucket.rowCount === 0) throw errors.bucketNotFound();

    const result = await client.query<{ bucket_id: string; name: string; version: string | null }>(
      'delete from storage.objects where bucket_id = $1 returning bucket_id, name, version',
      [bucketId]
    );
    return result.rows;
  });

  await removeVersions(
    service,
    removed.map((row) => ({ bucketId: row.bucket_id, name: row.name, version: row.version }))
  );
  sendJson(request.res, 200, { message: 'Successfully emptied' });
}

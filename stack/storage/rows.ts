import type pg from 'pg';
import { errors } from './errors.ts';

/** The `metadata` column of storage.objects, as Supabase Storage fills it. */
export interface ObjectMetadata {
  eTag?: string;
  size?: number;
  mimetype?: string;
  cacheControl?: string;
  lastModified?: string;
  contentLength?: number;
  httpStatusCode?: number;
}

export interface ObjectRow {
  id: string;
  bucket_id: string;
  name: string;
  owner: string | null;
  owner_id: string | null;
  version: string | null;
  metadata: ObjectMetadata | null;
  user_metadata: Record<string, unknown> | null;
  created_at: Date;
  updated_at: Date;
  last_accessed_at: Date;
}

export interface BucketRow {
  id: string;
  name: string;
  owner: string | null;
  owner_id: string | null;
  public: boolean;
  file_size_limit: number | null;
  allowed_mime_types: string[] | null;
  type: string;
  created_at: Date;
  updated_at: Date;
}

/** A pool or a client inside `withClaims`: anything that can run a query. */
export type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

export const OBJECT_COLUMNS =
  'id, bucket_id, name, owner, owner_id, version, metadata, user_metadata, created_at, updated_at, last_accessed_at';

export const BUCKET_COLUMNS =
  'id, name, owner, owner_id, public, file_size_limit::float8 as file_size_limit, allowed_mime_types, type, created_at, updated_at';

/** Looks a bucket up by id, throwing Storage's "Bucket not found" when there is none. */
export async function findBucket(db: Queryable, bucketId: string): Promise<BucketRow> {
  const result = await db.query<BucketRow>(
    `select ${BUCKET_COLUMNS} from storage.buckets where id = $1`,
    [bucketId]
  );
  if (result.rowCount === 0) throw errors.bucketNotFound();
  return result.rows[0];
}

/** Reads one object row; under `withClaims` the caller's SELECT policies decide. */
export async function findObject(
  db: Queryable,
  bucketId: string,
  name: string
): Promise<ObjectRow | null> {
  const result = await db.query<ObjectRow>(
    `select ${OBJECT_COLUMNS} from storage.objects where bucket_id = $1 and name = $2`,
    [bucketId, name]
  );
  return result.rows[0] ?? null;
}

/**
 * Serialises writers of one object name until the transaction ends, so that the version a
 * writer replaces is the one it read. Advisory locks are open to every role.
 */
export async function lockObjectNames(
  client: pg.PoolClient,
  keys: { bucketId: string; name: string }[]
): Promise<void> {
  const sorted = keys.map((key) => `${key.bucketId}/${key.name}`).sort();
  for (const key of sorted) {
    await client.query(
      `select pg_advisory_xact_lock(hashtextextended('storage.objects:' || $1, 0))`,
      [key]
    );
  }
}

/** Returns the caller's `sub` for the uuid `owner` column, or null for API keys without one. */
export function ownerUuid(sub: string | undefined): string | null {
  if (!sub) return null;
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(sub) ? sub : null;
}

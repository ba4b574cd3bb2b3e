import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { type JwtClaims, withClaims } from '../context.ts';
import { errors } from './errors.ts';
import { lockObjectNames, type ObjectMetadata, ownerUuid } from './rows.ts';
import { removeVersions, type StorageService } from './service.ts';

/** The row an upload or copy writes for one object name. */
export interface ObjectWrite {
  bucketId: string;
  name: string;
  metadata: ObjectMetadata;
  userMetadata: Record<string, unknown> | null;
  upsert: boolean;
}

/**
 * Writes an object row as the caller, so their INSERT policies (and for an upsert their SELECT
 * and UPDATE policies) decide, and only then puts the new version file in place with `place`.
 * Both happen in one transaction: if the row is rejected no file is placed, and if placing or
 * committing fails the placed file is removed. The replaced version's file goes after commit.
 * Returns the object id.
 */
export async function writeObject(
  service: StorageService,
  claims: JwtClaims,
  write: ObjectWrite,
  place: (client: pg.PoolClient, version: string) => Promise<string>
): Promise<string> {
  const version = randomUUID();
  let placed: string | null = null;
  let saved: { id: string; previousVersion: string | null };

  try {
    saved = await withClaims(service.ctx.pool, claims, async (client) => {
      await lockObjectNames(client, [write]);
      const row = write.upsert
        ? await upsertRow(client, claims, write, version)
        : await insertRow(client, claims, write, version);
      placed = await place(client, version);
      return row;
    });
  } catch (error) {
    if (placed) await service.files.removeFile(placed, write.bucketId).catch(() => undefined);
    throw error;
  }

  if (saved.previousVersion !== version) {
    await removeVersions(service, [
      { bucketId: write.bucketId, name: write.name, version: saved.previousVersion }
    ]);
  }
  return saved.id;
}

// A plain INSERT without RETURNING, so an INSERT policy alone is enough to upload, as on
// Supabase Storage. A name that is taken raises a unique violation, reported as 409 Duplicate.
async function insertRow(
  client: pg.PoolClient,
  claims: JwtClaims,
  write: ObjectWrite,
  version: string
): Promise<{ id: string; previousVersion: null }> {
  const id = randomUUID();
  await client.query(
    `insert into storage.objects
       (id, bucket_id, name, owner, owner_id, metadata, user_metadata, version)
     values ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      id,
      write.bucketId,
      write.name,
      ownerUuid(claims.sub),
      claims.sub ?? null,
      write.metadata,
      write.userMetadata,
      version
    ]
  );
  return { id, previousVersion: null };
}

// INSERT … ON CONFLICT DO UPDATE, which Postgres checks against the caller's INSERT, UPDATE and
// SELECT policies. The CTE reads the version being replaced; a caller who may update the row
// may also select it, because ON CONFLICT DO UPDATE requires that.
async function upsertRow(
  client: pg.PoolClient,
  claims: JwtClaims,
  write: ObjectWrite,
  version: string
): Promise<{ id: string; previousVersion: string | null }> {
  const result = await client.query<{ id: string | null; previous_version: string | null }>(
    `with previous as (
       select version from storage.objects where bucket_id = $2 and name = $3
     ), saved as (
       insert into storage.objects
         (id, bucket_id, name, owner, owner_id, metadata, user_metadata, version)
       values ($1, $2, $3, $4, $5, $6, $7, $8)
       on conflict (bucket_id, name) do update set
         owner = excluded.owner,
         owner_id = excluded.owner_id,
         metadata = excluded.metadata,
         user_metadata = excluded.user_metadata,
         version = excluded.version,
         updated_at = now(),
         last_accessed_at = now()
       returning id
     )
     select (select id from saved) as id, (select version from previous) as previous_version`,
    [
      randomUUID(),
      write.bucketId,
      write.name,
      ownerUuid(claims.sub),
      claims.sub ?? null,
      write.metadata,
      write.userMetadata,
      version
    ]
  );
  const row = result.rows[0];
  if (!row?.id) {
    throw errors.accessDenied();
  }
  return { id: row.id, previousVersion: row.previous_version };
}

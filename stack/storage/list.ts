import { z } from 'zod';
import { withClaims } from '../context.ts';
import { sendJson } from '../http.ts';
import { findBucket } from './rows.ts';
import { caller, readBody, type StorageRequest, type StorageService } from './service.ts';

const SORT_COLUMNS = ['name', 'updated_at', 'created_at', 'last_accessed_at'] as const;

const noNul = (value: string) => !value.includes('\u0000');

export const listSchema = z.object({
  prefix: z.string().refine(noNul, 'must not contain NUL').default(''),
  limit: z.number().int('give a whole number').min(1, 'give at least 1').default(100),
  offset: z.number().int('give a whole number').min(0, 'give 0 or more').default(0),
  sortBy: z
    .object({
      column: z.enum(SORT_COLUMNS).default('name'),
      order: z
        .string()
        .transform((value) => value.toLowerCase())
        .pipe(z.enum(['asc', 'desc']))
        .default('asc')
    })
    .default({ column: 'name', order: 'asc' }),
  search: z.string().refine(noNul, 'must not contain NUL').default('')
});

export type ListOptions = z.infer<typeof listSchema>;

/** Turns a prefix into a folder, so "docs" and "docs/" both list the contents of docs. */
export function folderPrefix(prefix: string): string {
  return prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
}

/** Escapes `%`, `_` and `\` so a name can be used inside a LIKE pattern literally. */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (char) => `\\${char}`);
}

/**
 * Builds the listing query: the entries one level below `prefix` whose names start with
 * `search`, with each subfolder once (id and dates null) and files with their rows. Matching
 * is case-insensitive, as in Supabase Storage. Sorting by name mixes folders and files; the
 * other columns list folders first.
 */
export function listQuery(
  bucketId: string,
  options: ListOptions
): { text: string; values: unknown[] } {
  const prefix = folderPrefix(options.prefix);
  const { column, order } = options.sortBy;
  const orderBy =
    column === 'name'
      ? `lower(name) collate "C" ${order}, name collate "C" ${order}`
      : `(id is not null), ${column} ${order}, lower(name) collate "C" asc`;

  const text = `
    with matched as (
      select o.name, o.id, o.updated_at, o.created_at, o.last_accessed_at, o.metadata,
             substr(o.name, $3::int + 1) as rest
      from storage.objects o
      where o.bucket_id = $1 and lower(o.name) like $2 escape '\\'
    ), entries as (
      select split_part(rest, '/', 1) as name, null::uuid as id, null::timestamptz as updated_at,
             null::timestamptz as created_at, null::timestamptz as last_accessed_at,
             null::jsonb as metadata
      from matched
      where position('/' in rest) > 0
      group by split_part(rest, '/', 1)
      union all
      select rest, id, updated_at, created_at, last_accessed_at, metadata
      from matched
      where position('/' in rest) = 0
    )
    select name, id, updated_at, created_at, last_accessed_at, metadata
    from entries
    order by ${orderBy}
    limit $4 offset $5`;

  const pattern = `${escapeLike((prefix + options.search).toLowerCase())}%`;
  // Postgres counts characters as code points, so the prefix length must too.
  const prefixLength = [...prefix].length;
  return { text, values: [bucketId, pattern, prefixLength, options.limit, options.offset] };
}

/** POST `/object/list/{bucket}`: lists one folder level as the caller, under RLS. */
export async function listObjects(
  service: StorageService,
  request: StorageRequest,
  bucketId: string
): Promise<void> {
  const claims = await caller(service, request);
  const options = await readBody(request, listSchema);
  await findBucket(service.ctx.pool, bucketId);

  const query = listQuery(bucketId, options);
  const rows = await withClaims(service.ctx.pool, claims, async (client) => {
    const result = await client.query(query.text, query.values);
    return result.rows;
  });
  sendJson(request.res, 200, rows);
}

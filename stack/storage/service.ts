import type { FileHandle } from 'node:fs/promises';
import fs from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import type { z } from 'zod';
import type { JwtClaims, StackContext } from '../context.ts';
import { readJson } from '../http.ts';
import { errors } from './errors.ts';
import { ObjectFiles } from './files.ts';
import type { ObjectRow } from './rows.ts';
import { verifyCaller } from './tokens.ts';

/** The shared state of every storage route: the stack, the files on disk and the signing secret. */
export interface StorageService {
  ctx: StackContext;
  files: ObjectFiles;
  secret: Uint8Array;
}

/** One request as the routes see it. */
export interface StorageRequest {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  url: URL;
}

export function createService(ctx: StackContext): StorageService {
  return {
    ctx,
    files: new ObjectFiles(
      path.join(ctx.config.dataDir, 'storage'),
      path.join(ctx.config.dataDir, 'storage-uploads')
    ),
    secret: new TextEncoder().encode(ctx.config.jwtSecret)
  };
}

export function caller(service: StorageService, request: StorageRequest): Promise<JwtClaims> {
  return verifyCaller(request.req, service.secret);
}

/** Reads a JSON body (up to 1 MiB) and validates it, naming the first invalid field. */
export async function readBody<T>(request: StorageRequest, schema: z.ZodType<T>): Promise<T> {
  const body = await readJson(request.req);
  if (body === undefined) {
    throw errors.invalidRequest('The request body is not valid JSON: send a JSON object.');
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.length > 0 ? issue.path.join('.') : 'body';
    throw errors.invalidRequest(`Invalid request: ${field}: ${issue.message}.`);
  }
  return parsed.data;
}

/**
 * Looks an object up and opens its current version file. An upload that replaces the object
 * between the lookup and the open removes the old file, so a missing file triggers a fresh
 * lookup. A row whose file is still missing after three tries is logged and reported as not
 * found.
 */
export async function openObject(
  service: StorageService,
  lookup: () => Promise<ObjectRow | null>
): Promise<{ row: ObjectRow; file: FileHandle }> {
  let last: ObjectRow | null = null;
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    const row = await lookup();
    if (!row) throw errors.objectNotFound();
    last = row;
    if (!row.version) break;

    try {
      const file = await fs.open(service.files.versionPath(row.bucket_id, row.name, row.version));
      return { row, file };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }

  service.ctx.log(
    'storage',
    `Object ${last?.bucket_id}/${last?.name} (id ${last?.id}, version ${last?.version}) has a row ` +
      'but no file on disk; it was probably inserted by SQL instead of uploaded. Upload it again.'
  );
  throw errors.objectNotFound();
}

/** Removes replaced or deleted version files after the transaction that dropped them commits. */
export async function removeVersions(
  service: StorageService,
  versions: { bucketId: string; name: string; version: string | null }[]
): Promise<void> {
  for (const { bucketId, name, version } of versions) {
    if (!version) continue;
    try {
      await service.files.removeFile(service.files.versionPath(bucketId, name, version), bucketId);
    } catch (error) {
      service.ctx.log(
        'storage',
        `Could not remove the old file of ${bucketId}/${name} version ${version}: ${(error as Error).message}`
      );
    }
  }
}

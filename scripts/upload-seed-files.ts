/**
 * Uploads the demo products' files from supabase/seed-files to the private `products` bucket,
 * one object per public.product_files row (the object name is the row's storage_path and the
 * local file sits at the same path under supabase/seed-files). Each file is checked against the
 * row's size_bytes and sha256 before the upload and read back afterwards.
 *
 * Run after `supabase db reset` (or `npx tsx stack/cli.ts reset`):
 *   SUPABASE_URL=http://127.0.0.1:54321 SUPABASE_SERVICE_ROLE_KEY=... npx tsx scripts/upload-seed-files.ts
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from '@supabase/supabase-js';
import type { WebSocketLikeConstructor } from '@supabase/realtime-js';
import { z } from 'zod';

export const SEED_FILES_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'supabase',
  'seed-files'
);

const BUCKET = 'products';

const CONTENT_TYPES: Record<string, string> = {
  '.pdf': 'application/pdf',
  '.wav': 'audio/wav',
  '.gz': 'application/gzip',
  '.zip': 'application/zip',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8'
};

const fileRowSchema = z.object({
  id: z.uuid(),
  storage_path: z.string().min(1),
  size_bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/)
});

export interface UploadSeedFilesOptions {
  url: string;
  serviceRoleKey: string;
  /** Folder that mirrors the bucket; defaults to supabase/seed-files. */
  sourceDir?: string;
}

export interface UploadedFile {
  storagePath: string;
  sizeBytes: number;
}

/**
 * supabase-js 2.109 looks up a WebSocket constructor for Realtime when a client is created,
 * and Node 20 has none without --experimental-websocket. This script never opens a channel.
 */
class RealtimeUnavailable {
  constructor() {
    throw new Error('Realtime is not available in scripts/upload-seed-files.ts.');
  }
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function contentTypeOf(storagePath: string): string {
  return CONTENT_TYPES[path.extname(storagePath).toLowerCase()] ?? 'application/octet-stream';
}

/** Reads the local copy of a row's file and checks it against the row. */
function readCheckedFile(sourceDir: string, row: z.infer<typeof fileRowSchema>): Buffer {
  const localPath = path.join(sourceDir, row.storage_path);
  if (!localPath.startsWith(sourceDir + path.sep) || !existsSync(localPath)) {
    throw new Error(
      `No local file for product file ${row.id}: expected ${localPath}. Copy the file there or ` +
        'fix storage_path in supabase/seed.sql.'
    );
  }

  const bytes = readFileSync(localPath);
  if (bytes.length !== row.size_bytes || sha256Hex(bytes) !== row.sha256) {
    throw new Error(
      `${localPath} does not match product file ${row.id}: it has ${bytes.length} bytes and ` +
        `SHA-256 ${sha256Hex(bytes)}, but the row says ${row.size_bytes} bytes and ${row.sha256}. ` +
        'Update size_bytes and sha256 in supabase/seed.sql.'
    );
  }
  return bytes;
}

/**
 * Uploads every product file to the `products` bucket with the service role (upsert, so it can
 * run again) and verifies each stored object by reading it back. Returns what was uploaded.
 */
export async function uploadSeedFiles(options: UploadSeedFilesOptions): Promise<UploadedFile[]> {
  const sourceDir = path.resolve(options.sourceDir ?? SEED_FILES_DIR);
  const supabase = createClient(options.url, options.serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: RealtimeUnavailable as unknown as WebSocketLikeConstructor }
  });

  const { data, error } = await supabase
    .from('product_files')
    .select('id, storage_path, size_bytes, sha256')
    .order('storage_path');
  if (error) {
    throw new Error(`Could not list public.product_files at ${options.url}: ${error.message}`);
  }
  const rows = z.array(fileRowSchema).parse(data);

  const uploaded: UploadedFile[] = [];
  for (const row of rows) {
    const bytes = readCheckedFile(sourceDir, row);

    const upload = await supabase.storage.from(BUCKET).upload(row.storage_path, bytes, {
      upsert: true,
      contentType: contentTypeOf(row.storage_path),
      cacheControl: '3600'
    });
    if (upload.error) {
      throw new Error(`Uploading ${BUCKET}/${row.storage_path} failed: ${upload.error.message}`);
    }

    const stored = await supabase.storage.from(BUCKET).download(row.storage_path);
    if (stored.error) {
      throw new Error(`Reading back ${BUCKET}/${row.storage_path} failed: ${stored.error.message}`);
    }
    const storedBytes = new Uint8Array(await stored.data.arrayBuffer());
    if (storedBytes.byteLength !== row.size_bytes || sha256Hex(storedBytes) !== row.sha256) {
      throw new Error(
        `${BUCKET}/${row.storage_path} was stored with ${storedBytes.byteLength} bytes instead ` +
          `of ${row.size_bytes}, or with other content: check the Storage service.`
      );
    }

    uploaded.push({ storagePath: row.storage_path, sizeBytes: row.size_bytes });
  }
  return uploaded;
}

const envSchema = z.object({
  SUPABASE_URL: z.url(),
  SUPABASE_SERVICE_ROLE_KEY: z.string().min(1)
});

async function main(): Promise<void> {
  const env = envSchema.safeParse(process.env);
  if (!env.success) {
    throw new Error(
      `Set SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY (as printed by \`supabase status\` or ` +
        `\`npx tsx stack/cli.ts env\`): ${z.prettifyError(env.error)}`
    );
  }

  const uploaded = await uploadSeedFiles({
    url: env.data.SUPABASE_URL,
    serviceRoleKey: env.data.SUPABASE_SERVICE_ROLE_KEY
  });
  const total = uploaded.reduce((sum, file) => sum + file.sizeBytes, 0);
  process.stdout.write(
    `Uploaded ${uploaded.length} files (${total} bytes) to the ${BUCKET} bucket and verified them.\n`
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}

import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import busboy from 'busboy';
import { z } from 'zod';
import { errors, StorageError } from './errors.ts';
import type { ObjectFiles } from './files.ts';
import { isMimeTypeAllowed } from './limits.ts';
import type { ObjectMetadata } from './rows.ts';

/** An upload body saved to a temporary file, with what the object row records about it. */
export interface ReceivedUpload {
  tempPath: string;
  size: number;
  /** The MD5 of the content in hex, which Supabase Storage reports as the ETag. */
  md5: string;
  contentType: string;
  cacheControl: string;
  userMetadata: Record<string, unknown> | null;
}

/** Builds the `metadata` column of an object row from the upload that creates it. */
export function objectMetadataOf(received: ReceivedUpload): ObjectMetadata {
  return {
    eTag: `"${received.md5}"`,
    size: received.size,
    mimetype: received.contentType,
    cacheControl: received.cacheControl,
    lastModified: new Date().toISOString(),
    contentLength: received.size,
    httpStatusCode: 200
  };
}

/** The size and type limits of a bucket and the stack, checked while the body streams in. */
export interface UploadRules {
  bucketId: string;
  maxBytes: number;
  /** The setting that sets `maxBytes`, named in the 413 message. */
  maxBytesSource: string;
  allowedMimeTypes: string[] | null;
}

const userMetadataSchema = z.record(z.string(), z.unknown());

/** Reads and discards the rest of a request body, so the client can read the response. */
export async function drain(req: IncomingMessage): Promise<void> {
  if (req.readableEnded || req.destroyed) return;
  req.unpipe();
  req.resume();
  await new Promise<void>((resolve) => {
    req.once('end', resolve);
    req.once('close', resolve);
    req.once('error', () => resolve());
  });
}

/**
 * Saves an upload body to a temporary file. The body is either multipart form data (the
 * `cacheControl` and `metadata` fields and the first file part, as storage-js sends a Blob or
 * File) or the raw content with `Content-Type`, `Cache-Control` and `x-metadata` headers.
 * Rejects a body over the size limit (413) or of a type the bucket does not allow (415) after
 * reading it to the end, and removes the temporary file on any failure.
 */
export async function receiveUpload(
  req: IncomingMessage,
  files: ObjectFiles,
  rules: UploadRules
): Promise<ReceivedUpload> {
  const contentType = req.headers['content-type'] ?? 'application/octet-stream';
  if (/^multipart\/form-data/i.test(contentType)) {
    return receiveMultipart(req, files, rules);
  }
  return receiveRaw(req, files, rules, contentType);
}

async function receiveRaw(
  req: IncomingMessage,
  files: ObjectFiles,
  rules: UploadRules,
  contentType: string
): Promise<ReceivedUpload> {
  let userMetadata: Record<string, unknown> | null;
  try {
    checkMimeType(contentType, rules);
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > rules.maxBytes) throw tooLarge(rules);
    userMetadata = parseHeaderMetadata(req.headers['x-metadata']);
  } catch (error) {
    await drain(req);
    throw error;
  }

  const cacheControl = req.headers['cache-control'] ?? 'no-cache';
  const stored = await writeLimited(req, files, rules);
  return { ...stored, contentType, cacheControl, userMetadata };
}

async function receiveMultipart(
  req: IncomingMessage,
  files: ObjectFiles,
  rules: UploadRules
): Promise<ReceivedUpload> {
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: req.headers,
      limits: { files: 1, fields: 20, parts: 40, fieldSize: 64 * 1024 }
    });
  } catch (error) {
    await drain(req);
    throw errors.invalidRequest(
      `Invalid multipart body: ${(error as Error).message}. Send multipart/form-data with a boundary.`
    );
  }

  const fields = new Map<string, string>();
  let stored: Promise<
    Omit<ReceivedUpload, 'contentType' | 'cacheControl' | 'userMetadata'>
  > | null = null;
  let fileType = '';
  let rejection: StorageError | null = null;

  parser.on('field', (name, value) => fields.set(name, value));
  parser.on('file', (_name, stream, info) => {
    if (stored || rejection) {
      stream.resume();
      return;
    }
    fileType = info.mimeType;
    try {
      checkMimeType(fileType, rules);
      stored = writeLimited(stream, files, rules);
      // Kept here so an early failure does not surface as an unhandled rejection.
      stored.catch(() => undefined);
    } catch (error) {
      rejection = error as StorageError;
      stream.resume();
    }
  });

  try {
    await new Promise<void>((resolve, reject) => {
      parser.on('close', resolve);
      parser.on('error', reject);
      req.on('error', reject);
      req.pipe(parser);
    });
  } catch (error) {
    await drain(req);
    await discard(stored);
    throw errors.invalidRequest(
      `Invalid multipart body: ${(error as Error).message}. Send the file as multipart/form-data.`
    );
  }

  if (rejection) throw rejection;
  if (!stored) {
    throw errors.invalidRequest(
      'The multipart body has no file part: append the file to the form data, for example ' +
        "formData.append('', file)."
    );
  }
  const result = await (stored as Promise<
    Omit<ReceivedUpload, 'contentType' | 'cacheControl' | 'userMetadata'>
  >);

  try {
    return {
      ...result,
      contentType: fileType,
      cacheControl: parseCacheControlField(fields.get('cacheControl')),
      userMetadata: parseFieldMetadata(fields.get('metadata'))
    };
  } catch (error) {
    await fs.rm(result.tempPath, { force: true });
    throw error;
  }
}

/**
 * Streams content into a temporary file, hashing it. Past the limit it stops writing but keeps
 * reading, so the 413 reaches a client that is still sending.
 */
async function writeLimited(
  source: Readable,
  files: ObjectFiles,
  rules: UploadRules
): Promise<{ tempPath: string; size: number; md5: string }> {
  const tempPath = await files.tempPath();
  const out = createWriteStream(tempPath, { flags: 'wx' });
  const hash = createHash('md5');
  let size = 0;

  try {
    for await (const chunk of source) {
      size += (chunk as Buffer).length;
      if (size > rules.maxBytes) continue;
      hash.update(chunk as Buffer);
      if (!out.write(chunk)) await once(out, 'drain');
    }
    out.end();
    await finished(out);
  } catch (error) {
    out.destroy();
    await fs.rm(tempPath, { force: true });
    throw error;
  }

  if (size > rules.maxBytes) {
    await fs.rm(tempPath, { force: true });
    throw tooLarge(rules);
  }
  return { tempPath, size, md5: hash.digest('hex') };
}

async function discard(stored: Promise<{ tempPath: string }> | null): Promise<void> {
  if (!stored) return;
  try {
    await fs.rm((await stored).tempPath, { force: true });
  } catch {
    // The write already failed and removed its own file.
  }
}

function checkMimeType(contentType: string, rules: UploadRules): void {
  if (isMimeTypeAllowed(contentType, rules.allowedMimeTypes)) return;
  throw errors.invalidMimeType(
    contentType,
    `bucket "${rules.bucketId}" accepts only ${rules.allowedMimeTypes!.join(', ')}.`
  );
}

function tooLarge(rules: UploadRules): StorageError {
  return errors.tooLarge(`${rules.maxBytesSource} allows at most ${rules.maxBytes} bytes.`);
}

function parseCacheControlField(value: string | undefined): string {
  if (value === undefined) return 'no-cache';
  if (!/^\d+$/.test(value)) {
    throw errors.invalidRequest(
      `Invalid cacheControl ${JSON.stringify(value)}: give the number of seconds, such as "3600".`
    );
  }
  return `max-age=${value}`;
}

function parseFieldMetadata(value: string | undefined): Record<string, unknown> | null {
  if (value === undefined) return null;
  return parseMetadataJson(value, 'the metadata form field');
}

function parseHeaderMetadata(value: string | string[] | undefined): Record<string, unknown> | null {
  if (typeof value !== 'string') return null;
  return parseMetadataJson(Buffer.from(value, 'base64').toString('utf8'), 'the x-metadata header');
}

function parseMetadataJson(text: string, source: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw errors.invalidRequest(`Invalid ${source}: it is not JSON. Send a JSON object.`);
  }
  const parsed = userMetadataSchema.safeParse(value);
  if (!parsed.success) {
    throw errors.invalidRequest(`Invalid ${source}: send a JSON object, not ${typeof value}.`);
  }
  return parsed.data;
}

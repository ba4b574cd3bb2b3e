import type { FileHandle } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { ObjectMetadata } from './rows.ts';
import { errors } from './errors.ts';

export interface SendOptions {
  /** From `?download=`: an empty string downloads under the object's own file name. */
  download?: string | null;
  /** The file name used when `download` is empty. */
  defaultFileName: string;
  /** The `Expires` header, sent for signed URLs (the token's expiry). */
  expires?: Date;
}

/** A byte range to send, both ends inclusive. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Reads a `Range: bytes=…` header for a file of `size` bytes. Returns null when the whole file
 * should be sent (no header, another unit, several ranges or a malformed value, which HTTP lets
 * a server ignore), a range when it can be served, or 'unsatisfiable' when it starts past the end.
 */
export function parseRange(
  header: string | undefined,
  size: number
): ByteRange | null | 'unsatisfiable' {
  if (!header) return null;

  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return null;

  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }

  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (match[2] !== '' && Number(match[2]) < start) return null;
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}

/** Builds a Content-Disposition value that survives any file name: an ASCII fallback plus RFC 5987. */
export function attachmentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/**
 * Sends one stored object from an open file with the headers Supabase Storage sends
 * (Content-Type, ETag, Content-Length, Last-Modified, Accept-Ranges, Cache-Control). A matching
 * conditional request gets 304, a single byte range 206, and HEAD the headers alone. The file
 * is closed in every case, by the read stream once one is created.
 */
export async function sendObject(
  req: IncomingMessage,
  res: ServerResponse,
  file: FileHandle,
  metadata: ObjectMetadata,
  updatedAt: Date,
  options: SendOptions
): Promise<void> {
  let streaming = false;
  try {
    const stats = await file.stat();
    const lastModified = new Date(metadata.lastModified ?? updatedAt);
    const headers: Record<string, string> = {
      'content-type': metadata.mimetype ?? 'application/octet-stream',
      'cache-control': metadata.cacheControl ?? 'no-cache',
      'last-modified': lastModified.toUTCString(),
      'accept-ranges': 'bytes',
      'x-content-type-options': 'nosniff'
    };
    if (metadata.eTag) headers.etag = metadata.eTag;
    if (options.expires) headers.expires = options.expires.toUTCString();
    if (options.download !== undefined && options.download !== null) {
      headers['content-disposition'] = attachmentDisposition(
        options.download || options.defaultFileName
      );
    }

    if (isNotModified(req, metadata.eTag, lastModified)) {
      res.writeHead(304, headers);
      res.end();
      return;
    }

    const range = parseRange(req.headers.range, stats.size);
    if (range === 'unsatisfiable') {
      throw errors.invalidRange(
        `invalid range provided: ${req.headers.range} starts past the end of the ` +
          `${stats.size}-byte object. Request a range within bytes 0-${Math.max(0, stats.size - 1)}.`
      );
    }

    if (range) {
      headers['content-range'] = `bytes ${range.start}-${range.end}/${stats.size}`;
      headers['content-length'] = String(range.end - range.start + 1);
      res.writeHead(206, headers);
    } else {
      headers['content-length'] = String(stats.size);
      res.writeHead(200, headers);
    }

    if (req.method === 'HEAD' || stats.size === 0) {
      res.end();
      return;
    }
    streaming = true;
    await pipeline(file.createReadStream({ ...(range ?? {}), autoClose: true }), res);
  } finally {
    if (!streaming) await file.close();
  }
}

function isNotModified(
  req: IncomingMessage,
  eTag: string | undefined,
  lastModified: Date
): boolean {
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch) {
    if (!eTag) return false;
    const bare = eTag.replace(/^W\//, '');
    return (
      ifNoneMatch === '*' ||
      ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === bare)
    );
  }

  const ifModifiedSince = req.headers['if-modified-since'];
  if (!ifModifiedSince) return false;
  const since = Date.parse(ifModifiedSince);
  return (
    !Number.isNaN(since) && Math.floor(lastModified.getTime() / 1000) <= Math.floor(since / 1000)
  );
}

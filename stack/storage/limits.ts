import { parseSize } from '../config.ts';
import { errors } from './errors.ts';

/** Strips parameters and case from a media type: `Text/Plain;charset=UTF-8` → `text/plain`. */
export function baseMimeType(contentType: string): string {
  return contentType.split(';')[0].trim().toLowerCase();
}

/**
 * Checks a content type against a bucket's `allowed_mime_types`. Entries are exact types or
 * wildcards such as `image/*`, and a null or empty list allows every type, as in Supabase Storage.
 */
export function isMimeTypeAllowed(contentType: string, allowed: string[] | null): boolean {
  if (!allowed || allowed.length === 0) return true;

  const [type, subtype] = baseMimeType(contentType).split('/');
  return allowed.some((entry) => {
    const [allowedType, allowedSubtype] = baseMimeType(entry).split('/');
    if (allowedType === '*' && allowedSubtype === '*') return true;
    if (allowedType !== type) return false;
    return allowedSubtype === '*' || allowedSubtype === subtype;
  });
}

/**
 * Returns a bucket's upload size limit in bytes: its own `file_size_limit` when set, capped by
 * the stack-wide `[storage] file_size_limit` of supabase/config.toml.
 */
export function effectiveSizeLimit(bucketLimit: number | null, globalLimit: number): number {
  if (bucketLimit === null || bucketLimit <= 0) return globalLimit;
  return Math.min(bucketLimit, globalLimit);
}

/**
 * Reads a bucket's `file_size_limit` as storage-js sends it: a number of bytes, a size such as
 * "20MB" or "512KiB", or null for no bucket limit. Rejects values over the stack-wide limit.
 */
export function parseBucketSizeLimit(
  value: number | string | null | undefined,
  globalLimit: number
): number | null {
  if (value === undefined || value === null) return null;

  let bytes: number;
  if (typeof value === 'number') {
    bytes = value;
  } else {
    try {
      bytes = parseSize(value);
    } catch {
      throw errors.invalidRequest(
        `Invalid file_size_limit ${JSON.stringify(value)}: use a number of bytes or a size ` +
          'such as "20MB", "512KiB" or "3B".'
      );
    }
  }

  if (!Number.isSafeInteger(bytes) || bytes < 0) {
    throw errors.invalidRequest(
      `Invalid file_size_limit ${JSON.stringify(value)}: use a whole number of bytes, 0 or more.`
    );
  }
  if (bytes > globalLimit) {
    throw errors.invalidRequest(
      `Invalid file_size_limit ${JSON.stringify(value)}: it is larger than the stack-wide ` +
        `limit of ${globalLimit} bytes set in supabase/config.toml [storage] file_size_limit.`
    );
  }
  return bytes === 0 ? null : bytes;
}

import { errors } from './errors.ts';

/** Supabase Storage's limit on object names, in UTF-8 bytes. */
export const MAX_OBJECT_NAME_BYTES = 1024;

/** Supabase Storage caps bucket names at 100 characters. */
export const MAX_BUCKET_ID_LENGTH = 100;

// Letters, digits, `_` and the punctuation Supabase Storage accepts in bucket names. No `/`,
// no `\` and no control characters, so a bucket id is always one safe path segment.
const BUCKET_ID_PATTERN = /^[\w!\-.*'() &$@=;:+,?]+$/;

// NUL and the other C0 control characters, plus DEL.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/**
 * Checks a bucket id before it names a folder on disk or a row: returns it, or throws a 400
 * naming the problem.
 */
export function parseBucketId(value: string): string {
  if (value.length === 0) {
    throw errors.invalidBucketName('Bucket name invalid: the bucket name is empty.');
  }
  if (value.length > MAX_BUCKET_ID_LENGTH) {
    throw errors.invalidBucketName(
      `Bucket name invalid: "${value.slice(0, 40)}…" is longer than ${MAX_BUCKET_ID_LENGTH} characters.`
    );
  }
  if (value === '.' || value === '..' || !BUCKET_ID_PATTERN.test(value)) {
    throw errors.invalidBucketName(
      `Bucket name invalid: ${JSON.stringify(value)} may use only letters, digits, spaces and ` +
        `_ ! - . * ' ( ) & $ @ = ; : + , ? and must not be "." or "..".`
    );
  }
  return value;
}

/**
 * Checks an object name (the key inside a bucket) before it names a row or a file: rejects
 * empty names, absolute paths, `.` and `..` segments, empty segments, backslashes, NUL and other
 * control characters, and names over 1024 bytes. Returns the name unchanged.
 */
export function parseObjectName(value: string): string {
  const shown = JSON.stringify(value);
  const fix = 'Use a relative path such as "folder/file.pdf".';

  if (value.length === 0) {
    throw errors.invalidKey(`Invalid key: the object name is empty. ${fix}`);
  }
  if (Buffer.byteLength(value) > MAX_OBJECT_NAME_BYTES) {
    throw errors.invalidKey(
      `Invalid key: the object name is longer than ${MAX_OBJECT_NAME_BYTES} bytes.`
    );
  }
  if (CONTROL_CHARACTERS.test(value)) {
    throw errors.invalidKey(
      `Invalid key: ${shown} contains NUL or another control character. ${fix}`
    );
  }
  if (value.includes('\\')) {
    throw errors.invalidKey(`Invalid key: ${shown} contains a backslash. ${fix}`);
  }
  if (value.startsWith('/')) {
    throw errors.invalidKey(`Invalid key: ${shown} is an absolute path. ${fix}`);
  }

  for (const segment of value.split('/')) {
    if (segment === '.' || segment === '..') {
      throw errors.invalidKey(`Invalid key: ${shown} contains a "${segment}" path segment. ${fix}`);
    }
    if (segment === '') {
      throw errors.invalidKey(
        `Invalid key: ${shown} contains an empty path segment (a doubled or trailing "/"). ${fix}`
      );
    }
  }
  return value;
}

/**
 * Decodes the percent-encoded object name taken from a request path. An encoded slash
 * (`%2F`) becomes a real one, so the decoded name is what `parseObjectName` must check. A `%`
 * that starts no escape stays as it is, because storage-js sends names unencoded and a name
 * such as "100%.txt" arrives that way.
 */
export function decodePathPart(raw: string): string {
  try {
    return raw.replace(/(?:%[0-9a-f]{2})+/gi, (escapes) => decodeURIComponent(escapes));
  } catch {
    throw errors.invalidKey(
      `Invalid key: the request path part ${JSON.stringify(raw)} has percent-escapes that are ` +
        'not valid UTF-8. Encode the name with encodeURIComponent.'
    );
  }
}

/** Returns the last segment of an object name, the default file name of a download. */
export function baseName(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1);
}

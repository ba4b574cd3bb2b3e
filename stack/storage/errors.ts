import type { ServerResponse } from 'node:http';
import pg from 'pg';

/**
 * An error in the shape Supabase Storage sends: HTTP 400 for every client error, with the
 * meaningful status as a string in `statusCode`, and HTTP 500 for server faults. storage-js
 * reads `statusCode` and `message` from the body.
 */
export class StorageError extends Error {
  constructor(
    /** The status Supabase Storage reports in the body, such as 404 or 409. */
    readonly status: number,
    /** Supabase Storage's error code, such as `NoSuchKey`. */
    readonly code: string,
    /** The older `error` field that clients still read, such as `not_found`. */
    readonly error: string,
    message: string
  ) {
    super(message);
  }

  get httpStatus(): number {
    return this.status >= 500 ? this.status : 400;
  }

  toBody() {
    return {
      statusCode: String(this.status),
      code: this.code,
      error: this.error,
      message: this.message
    };
  }
}

export const errors = {
  objectNotFound: () => new StorageError(404, 'NoSuchKey', 'not_found', 'Object not found'),
  bucketNotFound: () =>
    new StorageError(404, 'NoSuchBucket', 'Bucket not found', 'Bucket not found'),
  duplicateObject: () =>
    new StorageError(409, 'KeyAlreadyExists', 'Duplicate', 'The resource already exists'),
  duplicateBucket: () =>
    new StorageError(409, 'BucketAlreadyExists', 'Duplicate', 'The resource already exists'),
  bucketNotEmpty: () =>
    new StorageError(
      409,
      'ResourceNotEmpty',
      'InvalidRequest',
      'The bucket you tried to delete is not empty'
    ),
  accessDenied: (message = 'new row violates row-level security policy') =>
    new StorageError(403, 'AccessDenied', 'Unauthorized', message),
  tooLarge: (detail: string) =>
    new StorageError(
      413,
      'EntityTooLarge',
      'Payload too large',
      `The object exceeded the maximum allowed size: ${detail}`
    ),
  invalidMimeType: (mimeType: string, detail: string) =>
    new StorageError(
      415,
      'InvalidMimeType',
      'invalid_mime_type',
      `mime type ${mimeType} is not supported: ${detail}`
    ),
  invalidJwt: (message: string) => new StorageError(400, 'InvalidJWT', 'Invalid JWT', message),
  expiredToken: () =>
    new StorageError(400, 'ExpiredToken', 'ExpiredToken', 'The provided token has expired.'),
  invalidSignature: (message: string) =>
    new StorageError(400, 'InvalidSignature', 'InvalidSignature', message),
  invalidKey: (message: string) => new StorageError(400, 'InvalidKey', 'InvalidKey', message),
  invalidBucketName: (message: string) =>
    new StorageError(400, 'InvalidBucketName', 'Invalid Input', message),
  invalidRequest: (message: string) =>
    new StorageError(400, 'InvalidRequest', 'InvalidRequest', message),
  invalidRange: (message: string) =>
    new StorageError(416, 'InvalidRange', 'invalid_range', message),
  routeNotFound: (method: string, path: string) =>
    new StorageError(
      404,
      'InvalidRequest',
      'not_found',
      `Route ${method} ${path} not found: see the Supabase Storage API for the supported routes.`
    ),
  internal: () =>
    new StorageError(
      500,
      'InternalError',
      'internal',
      'Internal server error: the storage service logged the cause.'
    )
};

/**
 * Translates the Postgres errors that callers can cause into Storage errors, the way Supabase
 * Storage does: a policy rejection is 403, a unique violation 409. Returns null for anything
 * else, which the caller treats as a server fault.
 */
export function fromDatabaseError(error: unknown): StorageError | null {
  if (!(error instanceof pg.DatabaseError)) return null;

  switch (error.code) {
    case '42501':
      return errors.accessDenied(
        error.message.includes('row-level security')
          ? 'new row violates row-level security policy'
          : `Access denied: ${error.message}`
      );
    case '23505':
      return error.constraint?.startsWith('buckets_')
        ? errors.duplicateBucket()
        : errors.duplicateObject();
    case '22P02':
    case '22023':
      return errors.invalidRequest(`Invalid value: ${error.message}`);
    default:
      return null;
  }
}

/** Sends a Storage-shaped error; HEAD responses carry only the status. */
export function sendError(res: ServerResponse, method: string, error: StorageError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const text = method === 'HEAD' ? '' : JSON.stringify(error.toBody());
  res.writeHead(error.httpStatus, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text)
  });
  res.end(text);
}

import type { StackContext } from '../context.ts';
import { PayloadTooLargeError, type ServiceHandler } from '../http.ts';
import {
  createBucket,
  deleteBucket,
  emptyBucket,
  getBucket,
  listBuckets,
  updateBucket
} from './buckets.ts';
import { errors, fromDatabaseError, sendError, StorageError } from './errors.ts';
import { listObjects } from './list.ts';
import { decodePathPart, parseBucketId, parseObjectName } from './names.ts';
import {
  copyObject,
  downloadObject,
  moveObject,
  objectInfo,
  removeObject,
  removeObjects,
  uploadObject
} from './objects.ts';
import { drain } from './receive.ts';
import { createService, type StorageRequest, type StorageService } from './service.ts';
import {
  downloadSigned,
  signObjectUrl,
  signObjectUrls,
  signUploadUrl,
  uploadSigned
} from './signing.ts';

/**
 * Creates the Storage service mounted at /storage/v1: a Supabase Storage-compatible API for
 * the requests unmodified storage-js sends. Rows live in storage.buckets and storage.objects, and
 * every caller query runs as the caller's role, so RLS policies from migrations decide. File
 * contents live under `<data dir>/storage`.
 */
export function createStorageHandler(ctx: StackContext): ServiceHandler {
  const service = createService(ctx);

  return async (req, res, path) => {
    const method = req.method ?? 'GET';
    const request: StorageRequest = {
      req,
      res,
      method,
      url: new URL(req.url ?? '/', 'http://storage.local')
    };

    try {
      const handled = await route(service, request, path.split('?')[0]);
      if (!handled) throw errors.routeNotFound(method, path);
    } catch (error) {
      const storageError = toStorageError(ctx, method, path, error);
      await drain(req);
      sendError(res, method, storageError);
    }
  };
}

function toStorageError(
  ctx: StackContext,
  method: string,
  path: string,
  error: unknown
): StorageError {
  if (error instanceof StorageError) return error;
  if (error instanceof PayloadTooLargeError) {
    return errors.invalidRequest(
      `The request body is larger than ${error.limit} bytes, the limit for JSON requests.`
    );
  }
  const fromDatabase = fromDatabaseError(error);
  if (fromDatabase) return fromDatabase;

  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  ctx.log('storage', `${method} ${path} failed: ${detail}`);
  return errors.internal();
}

/** Routes a request; returns false when no route matches. */
async function route(
  service: StorageService,
  request: StorageRequest,
  path: string
): Promise<boolean> {
  const segments = path.replace(/^\/+/, '').split('/');
  const [area, ...rest] = segments;

  if (area === 'bucket') return routeBucket(service, request, rest);
  if (area === 'object') return routeObject(service, request, rest);
  return false;
}

function bucketAt(segments: string[], index: number): string {
  return parseBucketId(decodePathPart(segments[index] ?? ''));
}

function nameFrom(segments: string[], index: number): string {
  return parseObjectName(decodePathPart(segments.slice(index).join('/')));
}

async function routeBucket(
  service: StorageService,
  request: StorageRequest,
  rest: string[]
): Promise<boolean> {
  const { method } = request;

  if (rest.length === 0 || (rest.length === 1 && rest[0] === '')) {
    if (method === 'GET') return run(listBuckets(service, request));
    if (method === 'POST') return run(createBucket(service, request));
    return false;
  }

  if (rest.length === 1) {
    const bucketId = bucketAt(rest, 0);
    if (method === 'GET') return run(getBucket(service, request, bucketId));
    if (method === 'PUT') return run(updateBucket(service, request, bucketId));
    if (method === 'DELETE') return run(deleteBucket(service, request, bucketId));
    return false;
  }

  if (rest.length === 2 && rest[1] === 'empty' && method === 'POST') {
    return run(emptyBucket(service, request, bucketAt(rest, 0)));
  }
  return false;
}

async function routeObject(
  service: StorageService,
  request: StorageRequest,
  rest: string[]
): Promise<boolean> {
  const { method } = request;
  const isRead = method === 'GET' || method === 'HEAD';
  const [first, second] = rest;

  if (rest.length === 1 && method === 'POST') {
    if (first === 'move') return run(moveObject(service, request));
    if (first === 'copy') return run(copyObject(service, request));
  }

  if (first === 'list' && rest.length === 2 && method === 'POST') {
    return run(listObjects(service, request, bucketAt(rest, 1)));
  }

  if (first === 'sign') {
    if (rest.length === 2 && method === 'POST') {
      return run(signObjectUrls(service, request, bucketAt(rest, 1)));
    }
    if (rest.length >= 3 && method === 'POST') {
      return run(signObjectUrl(service, request, bucketAt(rest, 1), nameFrom(rest, 2)));
    }
    if (rest.length >= 3 && isRead) {
      return run(downloadSigned(service, request, bucketAt(rest, 1), nameFrom(rest, 2)));
    }
    return false;
  }

  if (first === 'upload' && second === 'sign' && rest.length >= 4) {
    const bucketId = bucketAt(rest, 2);
    const name = nameFrom(rest, 3);
    if (method === 'POST') return run(signUploadUrl(service, request, bucketId, name));
    if (method === 'PUT') return run(uploadSigned(service, request, bucketId, name));
    return false;
  }

  if ((first === 'public' || first === 'authenticated') && rest.length >= 3 && isRead) {
    const access = first === 'public' ? 'public' : 'caller';
    return run(downloadObject(service, request, bucketAt(rest, 1), nameFrom(rest, 2), access));
  }

  if (first === 'info' && method === 'GET') {
    if ((second === 'public' || second === 'authenticated') && rest.length >= 4) {
      const access = second === 'public' ? 'public' : 'caller';
      return run(objectInfo(service, request, bucketAt(rest, 2), nameFrom(rest, 3), access));
    }
    if (rest.length >= 3) {
      return run(objectInfo(service, request, bucketAt(rest, 1), nameFrom(rest, 2), 'caller'));
    }
    return false;
  }

  if (rest.length === 1 && method === 'DELETE') {
    return run(removeObjects(service, request, bucketAt(rest, 0)));
  }

  if (rest.length >= 2) {
    const bucketId = bucketAt(rest, 0);
    const name = nameFrom(rest, 1);
    if (method === 'POST' || method === 'PUT')
      return run(uploadObject(service, request, bucketId, name));
    if (isRead) return run(downloadObject(service, request, bucketId, name, 'caller'));
    if (method === 'DELETE') return run(removeObject(service, request, bucketId, name));
  }
  return false;
}

async function run(work: Promise<void>): Promise<true> {
  await work;
  return true;
}

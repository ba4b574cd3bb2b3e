import { describe, expect, it } from 'vitest';
import { StorageError } from '../../stack/storage/errors.ts';
import {
  baseName,
  decodePathPart,
  parseBucketId,
  parseObjectName
} from '../../stack/storage/names.ts';

function rejection(run: () => unknown): StorageError {
  try {
    run();
  } catch (error) {
    if (error instanceof StorageError) return error;
    throw error;
  }
  throw new Error('Expected a StorageError, but nothing was thrown.');
}

describe('parseObjectName', () => {
  it.each([
    'file.txt',
    'folder/file.pdf',
    'a/b/c/d.zip',
    'Laporan 100% é.txt',
    '.hidden',
    'a/..b/c..'
  ])('accepts %j', (name) => {
    expect(parseObjectName(name)).toBe(name);
  });

  it.each([
    ['', 'the object name is empty'],
    ['../etc/passwd', 'contains a ".." path segment'],
    ['a/../../b', 'contains a ".." path segment'],
    ['a/./b', 'contains a "." path segment'],
    ['..', 'contains a ".." path segment'],
    ['/etc/passwd', 'is an absolute path'],
    ['a\\..\\b', 'contains a backslash'],
    ['a\u0000b', 'contains NUL or another control character'],
    ['a\nb', 'contains NUL or another control character'],
    ['a//b', 'contains an empty path segment'],
    ['folder/', 'contains an empty path segment']
  ])('rejects %j', (name, reason) => {
    const error = rejection(() => parseObjectName(name));

    expect(error.status).toBe(400);
    expect(error.code).toBe('InvalidKey');
    expect(error.message).toContain(reason);
  });

  it('rejects a name over 1024 bytes', () => {
    const error = rejection(() => parseObjectName('é'.repeat(513)));

    expect(error.message).toBe('Invalid key: the object name is longer than 1024 bytes.');
  });

  it('accepts a name of exactly 1024 bytes', () => {
    expect(parseObjectName('a'.repeat(1024))).toHaveLength(1024);
  });
});

describe('parseBucketId', () => {
  it.each(['products', 'avatars-2', 'My Bucket', 'a.b_c'])('accepts %j', (id) => {
    expect(parseBucketId(id)).toBe(id);
  });

  it.each(['', '.', '..', 'a/b', 'a\\b', 'a\u0000b', 'x'.repeat(101)])('rejects %j', (id) => {
    const error = rejection(() => parseBucketId(id));

    expect(error.status).toBe(400);
    expect(error.code).toBe('InvalidBucketName');
    expect(error.message).toMatch(/^Bucket name invalid: /);
  });
});

describe('decodePathPart', () => {
  it.each([
    ['a%20b.txt', 'a b.txt'],
    ['a%2F..%2Fb', 'a/../b'],
    ['caf%C3%A9', 'café'],
    ['100%.txt', '100%.txt'],
    ['50%25', '50%'],
    ['plain/name', 'plain/name']
  ])('decodes %j to %j', (raw, decoded) => {
    expect(decodePathPart(raw)).toBe(decoded);
  });

  it('rejects escapes that are not UTF-8', () => {
    const error = rejection(() => decodePathPart('bad%C3'));

    expect(error.code).toBe('InvalidKey');
    expect(error.message).toContain('not valid UTF-8');
  });
});

describe('baseName', () => {
  it.each([
    ['folder/file.pdf', 'file.pdf'],
    ['file.pdf', 'file.pdf'],
    ['a/b/c', 'c']
  ])('returns the last segment of %j', (name, expected) => {
    expect(baseName(name)).toBe(expected);
  });
});

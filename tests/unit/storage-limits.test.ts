import { describe, expect, it } from 'vitest';
import { StorageError } from '../../stack/storage/errors.ts';
import {
  baseMimeType,
  effectiveSizeLimit,
  isMimeTypeAllowed,
  parseBucketSizeLimit
} from '../../stack/storage/limits.ts';

const GLOBAL_LIMIT = 50 * 1024 * 1024;

describe('isMimeTypeAllowed', () => {
  it.each([
    ['image/png', ['image/png'], true],
    ['IMAGE/PNG', ['image/png'], true],
    ['text/plain;charset=UTF-8', ['text/plain'], true],
    ['text/html', ['text/*'], true],
    ['application/pdf', ['*/*'], true],
    ['application/pdf', null, true],
    ['application/pdf', [], true],
    ['application/pdf', ['image/png', 'text/*'], false],
    ['image/pngx', ['image/png'], false],
    ['imagex/png', ['image/*'], false]
  ])('%s against %j is %s', (contentType, allowed, expected) => {
    expect(isMimeTypeAllowed(contentType, allowed)).toBe(expected);
  });
});

describe('baseMimeType', () => {
  it('drops parameters and case', () => {
    expect(baseMimeType(' Text/Plain ; charset=UTF-8')).toBe('text/plain');
  });
});

describe('effectiveSizeLimit', () => {
  it.each([
    [null, GLOBAL_LIMIT],
    [0, GLOBAL_LIMIT],
    [1024, 1024],
    [GLOBAL_LIMIT * 2, GLOBAL_LIMIT]
  ])('bucket limit %j gives %d', (bucketLimit, expected) => {
    expect(effectiveSizeLimit(bucketLimit, GLOBAL_LIMIT)).toBe(expected);
  });
});

describe('parseBucketSizeLimit', () => {
  it.each([
    [undefined, null],
    [null, null],
    [0, null],
    [2048, 2048],
    ['1KB', 1000],
    ['1KiB', 1024],
    ['20MB', 20_000_000],
    ['3B', 3]
  ])('reads %j as %j', (value, expected) => {
    expect(parseBucketSizeLimit(value, GLOBAL_LIMIT)).toBe(expected);
  });

  it.each([
    ['lots', 'use a number of bytes or a size'],
    [-1, 'use a whole number of bytes, 0 or more'],
    [1.5, 'use a whole number of bytes, 0 or more'],
    ['1GB', `larger than the stack-wide limit of ${GLOBAL_LIMIT} bytes`]
  ])('rejects %j', (value, reason) => {
    let caught: unknown;
    try {
      parseBucketSizeLimit(value, GLOBAL_LIMIT);
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(StorageError);
    expect((caught as StorageError).message).toContain(reason);
  });
});

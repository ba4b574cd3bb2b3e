import { mkdtempSync, writeFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ObjectFiles } from '../../stack/storage/files.ts';

let base: string;
let files: ObjectFiles;

beforeEach(() => {
  base = mkdtempSync(path.join(tmpdir(), 'storage-files-'));
  files = new ObjectFiles(path.join(base, 'storage'), path.join(base, 'uploads'));
});

afterEach(async () => {
  await fs.rm(base, { recursive: true, force: true });
});

describe('ObjectFiles', () => {
  it('keeps each version in a folder named after the object', () => {
    expect(files.versionPath('products', 'a/b.pdf', 'v1')).toBe(
      path.join(base, 'storage', 'products', 'a', 'b.pdf', 'v1')
    );
  });

  it('lets an object and a folder of the same name coexist', async () => {
    const first = await files.tempPath();
    writeFileSync(first, 'object a');
    const second = await files.tempPath();
    writeFileSync(second, 'object a/b');

    await files.place(first, 'bucket', 'a', 'v1');
    await files.place(second, 'bucket', 'a/b', 'v2');

    expect(await fs.readFile(files.versionPath('bucket', 'a', 'v1'), 'utf8')).toBe('object a');
    expect(await fs.readFile(files.versionPath('bucket', 'a/b', 'v2'), 'utf8')).toBe('object a/b');
  });

  it('removes the folders a deleted file leaves empty, up to the bucket', async () => {
    const temp = await files.tempPath();
    writeFileSync(temp, 'x');
    const placed = await files.place(temp, 'bucket', 'deep/folder/file.txt', 'v1');

    await files.removeFile(placed, 'bucket');

    expect(await fs.readdir(files.bucketDir('bucket'))).toEqual([]);
  });

  it('refuses a path that leaves the storage root', () => {
    expect(() => files.versionPath('..', 'etc', 'passwd')).toThrow(/outside/);
    expect(() => files.versionPath('bucket', '../../outside', 'v1')).toThrow(/outside/);
  });
});

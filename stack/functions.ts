import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import type { StackConfig } from './config.ts';
import { startProcess, waitForPort, type ManagedProcess } from './processes.ts';

export interface RunningFunction extends ManagedProcess {
  port: number;
  verifyJwt: boolean;
}

/**
 * Moves loopback addresses on the stack's own ports (54320-54399) by the port offset, so that
 * the local URLs in supabase/functions/.env reach a stack started with BRANKAS_PORT_OFFSET.
 */
export function shiftStackPorts(value: string, offset: number): string {
  if (offset === 0) return value;
  return value.replace(
    /\b(127\.0\.0\.1|localhost):(543[2-9]\d)\b/g,
    (_match, host: string, port: string) => {
      return `${host}:${Number(port) + offset}`;
    }
  );
}

/** Reads supabase/functions/.env, the file `supabase functions serve` loads too. */
export function readFunctionsEnv(config: StackConfig): Record<string, string> {
  const file = path.join(config.supabaseDir, 'functions', '.env');
  if (!existsSync(file)) return {};

  const values = parseEnv(readFileSync(file, 'utf8')) as Record<string, string>;
  const reserved = Object.keys(values).filter((key) => key.startsWith('SUPABASE_'));
  if (reserved.length > 0) {
    throw new Error(
      `supabase/functions/.env sets ${reserved.join(', ')}: names starting with SUPABASE_ are ` +
        'reserved for the platform, so rename them.'
    );
  }
  const offset = config.ports.gateway - 54321;
  return Object.fromEntries(
    Object.entries(values).map(([key, value]) => [key, shiftStackPorts(value, offset)])
  );
}

function denoBinary(config: StackConfig): string {
  const binary = path.join(config.rootDir, 'node_modules', '.bin', 'deno');
  if (!existsSync(binary))
    throw new Error('Deno is not installed: run `npm install` (package deno).');
  return binary;
}

function denoConfig(config: StackConfig, functionDir: string): string[] {
  const own = path.join(functionDir, 'deno.json');
  const shared = path.join(config.supabaseDir, 'functions', 'deno.json');
  if (existsSync(own)) return ['--config', own];
  if (existsSync(shared)) return ['--config', shared];
  return [];
}

/**
 * Serves every function folder with its own Deno process on a port of its own, with the
 * environment hosted Edge Functions get plus supabase/functions/.env. `Deno.serve` in the
 * function binds to the address in DENO_SERVE_ADDRESS.
 */
export async function startFunctions(
  config: StackConfig,
  log: (name: string, line: string) => void
): Promise<RunningFunction[]> {
  const env = readFunctionsEnv(config);
  const deno = denoBinary(config);
  const running: RunningFunction[] = [];

  for (const [index, fn] of config.functions.entries()) {
    const port = config.ports.functionsBase + index;
    const child = startProcess(
      `functions:${fn.name}`,
      deno,
      [
        'run',
        '--allow-all',
        '--no-prompt',
        ...denoConfig(config, fn.dir),
        path.join(fn.dir, 'index.ts')
      ],
      {
        cwd: fn.dir,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          DENO_DIR: process.env.DENO_DIR,
          NO_COLOR: '1',
          DENO_NO_UPDATE_CHECK: '1',
          DENO_SERVE_ADDRESS: `tcp:127.0.0.1:${port}`,
          ...env,
          SITE_URL: config.auth.siteUrl,
          SUPABASE_URL: config.apiUrl,
          SUPABASE_ANON_KEY: config.anonKey,
          SUPABASE_SERVICE_ROLE_KEY: config.serviceRoleKey,
          SUPABASE_DB_URL: config.dbUrl
        }
      },
      (line) => log(fn.name, line)
    );
    running.push({ ...child, port, verifyJwt: fn.verifyJwt });
  }

  // The first start downloads the functions' npm packages into Deno's cache, which takes a while.
  await Promise.all(
    running.map((fn) =>
      waitForPort(fn.port, 180_000, () => fn.child.exitCode === null).catch((error: Error) => {
        throw new Error(
          `Edge Function ${fn.name.replace('functions:', '')} did not start: ${error.message}.`
        );
      })
    )
  );
  return running;
}

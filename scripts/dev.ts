import { fork, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { loadConfig, ROOT_DIR } from '../stack/config.ts';

/**
 * Starts the local stack and then the Vite dev server on http://127.0.0.1:5173, unless
 * SUPABASE_URL points at another Supabase (a hosted project or `supabase start`), in which
 * case only Vite starts, with SUPABASE_ANON_KEY from the environment.
 */
const children: ChildProcess[] = [];

function stopAll(code: number): void {
  process.exitCode = code;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 200).unref();
}

function startVite(url: string, anonKey: string): void {
  const vite = spawn(
    path.join(ROOT_DIR, 'node_modules', '.bin', 'vite'),
    ['dev', '--host', '127.0.0.1', '--port', '5173', '--strictPort'],
    {
      cwd: ROOT_DIR,
      stdio: 'inherit',
      env: { ...process.env, PUBLIC_SUPABASE_URL: url, PUBLIC_SUPABASE_ANON_KEY: anonKey }
    }
  );
  children.push(vite);
  vite.on('exit', (code) => stopAll(code ?? 0));
}

async function main(): Promise<void> {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => stopAll(0));

  const external = process.env.SUPABASE_URL;
  if (external) {
    const anonKey = process.env.SUPABASE_ANON_KEY;
    if (!anonKey) {
      throw new Error(`SUPABASE_URL is ${external} but SUPABASE_ANON_KEY is missing: set both.`);
    }
    startVite(external, anonKey);
    return;
  }

  const config = await loadConfig();
  const stack = fork(path.join(ROOT_DIR, 'stack', 'cli.ts'), ['start'], {
    cwd: ROOT_DIR,
    execArgv: ['--import', 'tsx'],
    stdio: 'inherit'
  });
  children.push(stack);
  stack.on('exit', (code) => stopAll(code ?? 1));
  stack.on('message', (message) => {
    if (message === 'ready') startVite(config.apiUrl, config.anonKey);
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`npm run dev failed: ${error instanceof Error ? error.message : error}\n`);
  stopAll(1);
});

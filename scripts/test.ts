import { fork, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ROOT_DIR } from '../stack/config.ts';

/**
 * `npm test`: type checks and unit tests, then a freshly seeded stack on ports shifted by 1000
 * (so a running `npm run dev` is left alone) for the stack, integration, Deno and Playwright
 * suites. Prints one closing line with the totals of every runner.
 */
const PORT_OFFSET = 1000;
const APP_PORT = 4173;
const REPORT_DIR = path.join(ROOT_DIR, '.brankas', 'reports');
const BIN = path.join(ROOT_DIR, 'node_modules', '.bin');

// supabase-js 2.109 expects a global WebSocket for Realtime as soon as a client is created;
// Node 20 has one behind this flag (Node 22 has it by default).
const NODE_WEBSOCKET = {
  NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --experimental-websocket`.trim()
};

interface Totals {
  passed: number;
  failed: number;
}
const totals: Totals = { passed: 0, failed: 0 };
const failures: string[] = [];

function run(
  label: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = {}
): Promise<number> {
  process.stdout.write(`\n=== ${label}\n`);
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: ROOT_DIR,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, ...NODE_WEBSOCKET, ...env }
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    child.on('error', (error) => {
      process.stderr.write(`${label}: could not run ${command}: ${error.message}\n`);
      resolve(1);
    });
  });
}

function record(label: string, code: number, counts: Totals | null): void {
  if (counts) {
    totals.passed += counts.passed;
    totals.failed += counts.failed;
  }
  if (code !== 0) failures.push(label);
  if (code !== 0 && (!counts || counts.failed === 0)) totals.failed += 1;
}

/** Reads the passed/failed counts from Vitest's JSON report. */
function vitestCounts(file: string): Totals | null {
  if (!existsSync(file)) return null;
  const report = JSON.parse(readFileSync(file, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
  };
  return { passed: report.numPassedTests, failed: report.numFailedTests };
}

/** Reads the counts from Playwright's JSON report (`expected` passed, `unexpected` failed). */
function playwrightCounts(file: string): Totals | null {
  if (!existsSync(file)) return null;
  const report = JSON.parse(readFileSync(file, 'utf8')) as {
    stats: { expected: number; unexpected: number; flaky: number };
  };
  return { passed: report.stats.expected + report.stats.flaky, failed: report.stats.unexpected };
}

async function vitest(project: string, env: NodeJS.ProcessEnv = {}): Promise<void> {
  const report = path.join(REPORT_DIR, `vitest-${project}.json`);
  rmSync(report, { force: true });
  const code = await run(
    `Vitest: ${project}`,
    path.join(BIN, 'vitest'),
    [
      'run',
      '--project',
      project,
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${report}`
    ],
    env
  );
  record(`vitest ${project}`, code, vitestCounts(report));
}

async function denoTests(env: NodeJS.ProcessEnv): Promise<void> {
  const functionsDir = path.join(ROOT_DIR, 'supabase', 'functions');
  process.stdout.write('\n=== Deno: supabase/functions\n');
  const output = await new Promise<{ code: number; text: string }>((resolve) => {
    const child = spawn(
      path.join(BIN, 'deno'),
      [
        'test',
        '--allow-all',
        '--no-prompt',
        '--config',
        path.join(functionsDir, 'deno.json'),
        functionsDir
      ],
      {
        cwd: functionsDir,
        env: { ...process.env, ...env, NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'inherit']
      }
    );
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      process.stdout.write(chunk);
    });
    child.on('exit', (code) => resolve({ code: code ?? 1, text }));
  });
  const summary = /(?:ok|FAILED) \| (\d+) passed(?: \(\d+ steps?\))? \| (\d+) failed/.exec(
    output.text
  );
  record(
    'deno test',
    output.code,
    summary ? { passed: Number(summary[1]), failed: Number(summary[2]) } : null
  );
}

async function playwright(env: NodeJS.ProcessEnv): Promise<void> {
  const report = path.join(REPORT_DIR, 'playwright.json');
  rmSync(report, { force: true });
  const code = await run(
    'Playwright: tests/e2e in Chromium',
    path.join(BIN, 'playwright'),
    ['test'],
    {
      ...env,
      PLAYWRIGHT_JSON_OUTPUT_NAME: report,
      BRANKAS_PLAYWRIGHT_JSON: report
    }
  );
  record('playwright', code, playwrightCounts(report));
}

function startTestStack(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  process.stdout.write('\n=== Starting a fresh test stack (ports +1000)\n');
  return new Promise((resolve, reject) => {
    const stack = fork(path.join(ROOT_DIR, 'stack', 'cli.ts'), ['start', '--reset'], {
      cwd: ROOT_DIR,
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc']
    });
    stack.once('message', (message) => {
      if (message === 'ready') resolve(stack);
    });
    stack.once('exit', (code) =>
      reject(new Error(`The test stack exited with code ${code} before it was ready.`))
    );
  });
}

function stopStack(stack: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (stack.exitCode !== null) return resolve();
    stack.once('exit', () => resolve());
    stack.kill('SIGTERM');
  });
}

async function stackEnvironment(env: NodeJS.ProcessEnv): Promise<NodeJS.ProcessEnv> {
  const { loadConfig } = await import('../stack/config.ts');
  const saved = { ...process.env };
  Object.assign(process.env, env);
  const config = await loadConfig();
  process.env = saved;
  return {
    SUPABASE_URL: config.apiUrl,
    SUPABASE_ANON_KEY: config.anonKey,
    SUPABASE_SERVICE_ROLE_KEY: config.serviceRoleKey,
    SUPABASE_DB_URL: config.dbUrl,
    MAILBOX_URL: config.mailUrl,
    PAYMENTS_SANDBOX_URL: config.paymentsUrl,
    SITE_URL: config.auth.siteUrl,
    BRANKAS_APP_PORT: String(APP_PORT),
    APP_URL: `http://127.0.0.1:${APP_PORT}`
  };
}

async function main(): Promise<void> {
  mkdirSync(REPORT_DIR, { recursive: true });
  const started = Date.now();

  record('type checks', await run('Type checks', 'npm', ['run', '--silent', 'check']), null);
  record('formatting', await run('Formatting', 'npm', ['run', '--silent', 'lint']), null);
  await vitest('unit');

  const stackSettings = {
    BRANKAS_PORT_OFFSET: String(PORT_OFFSET),
    BRANKAS_DATA_DIR: '.brankas/test',
    BRANKAS_SITE_URL: `http://127.0.0.1:${APP_PORT}`
  };
  const env = { ...stackSettings, ...(await stackEnvironment(stackSettings)) };
  const stack = await startTestStack(stackSettings);
  try {
    await vitest('stack', env);
    await vitest('integration', env);
    await denoTests(env);
    await playwright(env);
  } finally {
    await stopStack(stack);
  }

  const seconds = Math.round((Date.now() - started) / 1000);
  process.stdout.write(
    `\nFinished in ${seconds} s.${failures.length ? ` Failing: ${failures.join(', ')}.` : ''}\n`
  );
  process.stdout.write(`${totals.passed} passed, ${totals.failed} failed\n`);
  process.exitCode = failures.length > 0 ? 1 : 0;
}

main().catch((error: unknown) => {
  process.stderr.write(
    `npm test failed: ${error instanceof Error ? error.message : String(error)}\n`
  );
  process.stdout.write(`${totals.passed} passed, ${totals.failed + 1} failed\n`);
  process.exit(1);
});

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { expect, test } from '@playwright/test';

const ROOT_DIR = path.resolve(import.meta.dirname, '..', '..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

let server: ChildProcess | undefined;
let baseUrl = '';

// Serves the build that the web server step made, without the public Supabase settings.
test.beforeAll(async () => {
  if (!existsSync(path.join(ROOT_DIR, 'build', 'index.js'))) {
    throw new Error('build/index.js is missing: run `npx vite build` before this spec.');
  }
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  server = spawn(process.execPath, ['build'], {
    cwd: ROOT_DIR,
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_SUPABASE_URL: '',
      PUBLIC_SUPABASE_ANON_KEY: 'not-a-jwt'
    },
    stdio: 'ignore'
  });
  await expect
    .poll(
      () =>
        fetch(baseUrl).then(
          (response) => response.status,
          () => 0
        ),
      {
        message: `the unconfigured app server on ${baseUrl} did not start`,
        timeout: 15_000
      }
    )
    .toBe(200);
});

test.afterAll(() => {
  server?.kill('SIGTERM');
});

test('missing settings show the configuration page', async ({ page }) => {
  await page.goto(`${baseUrl}/library`);

  const alert = page.getByRole('alert');
  await expect(alert.getByRole('heading', { level: 1 })).toHaveText('Brankas is not configured');
  await expect(alert.getByRole('listitem')).toHaveText([
    'PUBLIC_SUPABASE_URL must be an http(s) URL (got "").',
    'PUBLIC_SUPABASE_ANON_KEY must be a JWT (three dot-separated parts) (got "not-a-jwt").'
  ]);
  await expect(page.getByRole('link', { name: 'Sign in' })).toHaveCount(0);
});

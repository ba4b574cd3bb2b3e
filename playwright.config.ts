import { defineConfig, type ReporterDescription } from '@playwright/test';
import { stackEnv } from './tests/env';

/**
 * Browser journeys against a production build of the app (`vite build`, then `node build`)
 * talking to an already running stack. The stack's addresses come from the same variables
 * as the other suites (see tests/env.ts); `npm test` sets them.
 */
const stack = stackEnv();
const appPort = Number(process.env.BRANKAS_APP_PORT ?? '4173');
if (!Number.isInteger(appPort) || appPort < 1 || appPort > 65535) {
  throw new Error(`Invalid BRANKAS_APP_PORT "${process.env.BRANKAS_APP_PORT}": use a TCP port.`);
}
const baseURL = `http://127.0.0.1:${appPort}`;

const reporter: ReporterDescription[] = [['list']];
if (process.env.BRANKAS_PLAYWRIGHT_JSON) {
  reporter.push(['json', { outputFile: process.env.BRANKAS_PLAYWRIGHT_JSON }]);
}

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter,
  use: {
    baseURL,
    browserName: 'chromium',
    locale: 'en-US',
    timezoneId: 'Asia/Jakarta',
    acceptDownloads: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      // Debian's Chromium: Playwright's own browser downloads are not available here.
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync'
      ]
    }
  },
  webServer: {
    command: 'npx vite build && node build',
    url: baseURL,
    reuseExistingServer: !process.env.CI,
    timeout: 180_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      PORT: String(appPort),
      HOST: '127.0.0.1',
      PUBLIC_SUPABASE_URL: stack.SUPABASE_URL,
      PUBLIC_SUPABASE_ANON_KEY: stack.SUPABASE_ANON_KEY
    }
  }
});

import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

// Three suites: `unit` needs nothing running; `stack` and `integration` talk to a running stack
// (started by `npm test`) and share its database, so their files run one at a time.
export default defineConfig({
  test: {
    projects: [
      {
        plugins: [sveltekit()],
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts', 'src/**/*.test.ts'] }
      },
      {
        test: {
          name: 'stack',
          include: ['stack/tests/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 30_000,
          hookTimeout: 60_000
        }
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000
        }
      }
    ]
  }
});

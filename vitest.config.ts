import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

// Three suites. `unit` needs nothing running. `stack` and `integration` talk to a running stack
// (started by `npm test`) and share its database, so their files run one at a time.
// supabase-js 2.109 expects a global WebSocket, which Node 20 has behind a flag.
const NODE_FLAGS = ['--experimental-websocket'];

export default defineConfig({
  test: {
    projects: [
      {
        plugins: [sveltekit()],
        test: {
          name: 'unit',
          execArgv: NODE_FLAGS,
          include: ['tests/unit/**/*.test.ts', 'src/**/*.test.ts']
        }
      },
      {
        test: {
          name: 'stack',
          execArgv: NODE_FLAGS,
          include: ['stack/tests/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 30_000,
          hookTimeout: 60_000
        }
      },
      {
        test: {
          name: 'integration',
          execArgv: NODE_FLAGS,
          include: ['tests/integration/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000
        }
      }
    ]
  }
});

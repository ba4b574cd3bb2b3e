import { fork, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient } from '@supabase/supabase-js';
import { loadConfig, ROOT_DIR } from '../stack/config.ts';

/**
 * `npm run bench`: starts a fresh stack on ports shifted by 2000, then measures the cold start,
 * the latency of minting download links, their throughput under concurrency, and the speed of
 * fetching a signed URL. Writes docs/benchmarks.md.
 */
const SETTINGS = { BRANKAS_PORT_OFFSET: '2000', BRANKAS_DATA_DIR: '.brankas/bench' };
const SEQUENTIAL_REQUESTS = 200;
const CONCURRENT_WORKERS = 16;
const REQUESTS_PER_WORKER = 25;
const FETCHES = 50;

function percentile(sorted: number[], fraction: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1);
  return sorted[Math.max(0, index)];
}

function startStack(): Promise<{ child: ChildProcess; seconds: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = fork(path.join(ROOT_DIR, 'stack', 'cli.ts'), ['start', '--reset'], {
      cwd: ROOT_DIR,
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, ...SETTINGS },
      stdio: ['ignore', 'ignore', 'ignore', 'ipc']
    });
    child.once('message', () => resolve({ child, seconds: (performance.now() - started) / 1000 }));
    child.once('exit', (code) =>
      reject(new Error(`The bench stack exited with code ${code} before it was ready.`))
    );
  });
}

async function main(): Promise<void> {
  Object.assign(process.env, SETTINGS);
  const config = await loadConfig();
  const { child, seconds: startSeconds } = await startStack();

  try {
    const client = createClient(config.apiUrl, config.anonKey, { auth: { persistSession: false } });
    const { error: signInError } = await client.auth.signInWithPassword({
      email: 'buyer@example.com',
      password: 'brankas-demo-buyer'
    });
    if (signInError) throw new Error(`Demo buyer sign-in failed: ${signInError.message}`);

    const { data: purchases, error } = await client
      .from('purchases')
      .select('product_id, expires_at, download_limit, products(product_files(id, size_bytes))')
      .is('expires_at', null)
      .is('download_limit', null);
    if (error || !purchases?.length)
      throw new Error(`No unlimited purchase to measure: ${error?.message ?? 'none found'}`);
    const files = (
      purchases[0].products as unknown as { product_files: { id: string; size_bytes: number }[] }
    ).product_files;
    const file = files[0];

    const mint = async () => {
      const begin = performance.now();
      const { data, error: invokeError } = await client.functions.invoke('download', {
        body: { file_id: file.id }
      });
      if (invokeError) throw new Error(`download failed: ${invokeError.message}`);
      return { ms: performance.now() - begin, url: (data as { url: string }).url };
    };

    await mint();
    const latencies: number[] = [];
    for (let i = 0; i < SEQUENTIAL_REQUESTS; i++) latencies.push((await mint()).ms);
    latencies.sort((a, b) => a - b);

    const concurrentStart = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENT_WORKERS }, async () => {
        for (let i = 0; i < REQUESTS_PER_WORKER; i++) await mint();
      })
    );
    const concurrentSeconds = (performance.now() - concurrentStart) / 1000;
    const throughput = (CONCURRENT_WORKERS * REQUESTS_PER_WORKER) / concurrentSeconds;

    const { url } = await mint();
    const fetchStart = performance.now();
    let bytes = 0;
    for (let i = 0; i < FETCHES; i++) bytes += (await (await fetch(url)).arrayBuffer()).byteLength;
    const fetchSeconds = (performance.now() - fetchStart) / 1000;

    const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
    const report = `# Benchmarks

Measured by \`npm run bench\` (scripts/bench.ts) on ${new Date().toISOString().slice(0, 10)}: ${os.cpus().length} cores
(${cpu}), ${Math.round(os.totalmem() / 1024 ** 3)} GiB, Node ${process.version}, against a fresh local stack
(PostgreSQL 17, PostgREST 12, Deno ${'2.9.6'}) on the same machine. Numbers are from one run and
shift with whatever else the machine is doing; rerun before comparing two changes.

| measure | result |
| --- | --- |
| Stack cold start with a fresh database and a warm Deno cache | ${startSeconds.toFixed(1)} s |
| Minting a download link, one request at a time (${SEQUENTIAL_REQUESTS} requests): p50 / p95 / p99 | ${percentile(latencies, 0.5).toFixed(1)} / ${percentile(latencies, 0.95).toFixed(1)} / ${percentile(latencies, 0.99).toFixed(1)} ms |
| Minting download links with ${CONCURRENT_WORKERS} concurrent clients (${CONCURRENT_WORKERS * REQUESTS_PER_WORKER} requests) | ${throughput.toFixed(0)} links/s |
| Fetching a signed URL of a ${(file.size_bytes / 1024).toFixed(0)} KiB file, ${FETCHES} times | ${(bytes / 1024 ** 2 / fetchSeconds).toFixed(1)} MiB/s |

Each link goes through the gateway, the \`download\` Edge Function (user lookup through Auth,
the \`claim_download\` database function, and a signed URL from Storage), so the latency is
the sum of three local HTTP round trips and two database transactions.
`;
    writeFileSync(path.join(ROOT_DIR, 'docs', 'benchmarks.md'), report);
    process.stdout.write(report);
  } finally {
    child.kill('SIGTERM');
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `npm run bench failed: ${error instanceof Error ? error.message : String(error)}\n`
  );
  process.exit(1);
});

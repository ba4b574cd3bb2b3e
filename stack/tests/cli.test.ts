import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT_DIR } from '../config.ts';
import { stackEnv } from '../../tests/env.ts';

const env = stackEnv();
const run = promisify(execFile);

/**
 * Runs the stack's command line on the running stack's ports, with a throwaway data folder so
 * that nothing real could be deleted even if the command misbehaved.
 */
async function cli(dataDir: string, ...args: string[]) {
  const offset = String(Number(new URL(env.SUPABASE_URL).port) - 54321);
  const result = await run(
    path.join(ROOT_DIR, 'node_modules', '.bin', 'tsx'),
    [path.join(ROOT_DIR, 'stack', 'cli.ts'), ...args],
    {
      cwd: ROOT_DIR,
      env: { ...process.env, BRANKAS_PORT_OFFSET: offset, BRANKAS_DATA_DIR: dataDir }
    }
  ).catch((error: { code: number; stdout: string; stderr: string }) => error);
  return { code: 'code' in result ? result.code : 0, stdout: result.stdout, stderr: result.stderr };
}

describe('stack command line', () => {
  it('refuses to reset the database of a running stack', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'brankas-cli-'));
    writeFileSync(path.join(dataDir, 'mailbox.json'), '[]');

    const { code, stderr } = await cli(dataDir, 'reset');

    expect(code).toBe(1);
    expect(stderr).toContain(
      `Port ${new URL(env.SUPABASE_URL).port} (API gateway) is already in use`
    );
    expect(existsSync(path.join(dataDir, 'mailbox.json'))).toBe(true);
    const health = await fetch(`${env.SUPABASE_URL}/auth/v1/health`, {
      headers: { apikey: env.SUPABASE_ANON_KEY }
    });
    expect(health.status).toBe(200);
  });

  it('prints the addresses and keys as KEY=value lines', async () => {
    const { code, stdout } = await cli(tmpdir(), 'env');

    expect(code).toBe(0);
    expect(stdout.split('\n')).toEqual(
      expect.arrayContaining([
        `SUPABASE_URL=${env.SUPABASE_URL}`,
        `SUPABASE_ANON_KEY=${env.SUPABASE_ANON_KEY}`,
        `SUPABASE_SERVICE_ROLE_KEY=${env.SUPABASE_SERVICE_ROLE_KEY}`,
        `SUPABASE_DB_URL=${env.SUPABASE_DB_URL}`
      ])
    );
  });

  it('rejects an unknown command with the usage', async () => {
    const { code, stderr } = await cli(tmpdir(), 'launch');

    expect(code).toBe(2);
    expect(stderr).toContain('Usage: tsx stack/cli.ts <command>');
  });
});

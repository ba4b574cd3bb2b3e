import pg from 'pg';
import type { StackConfig } from './config.ts';
import type { Mailbox } from './mail/mailbox.ts';

/** The settings, database pool and mailbox that every service of the stack shares. */
export interface StackContext {
  config: StackConfig;
  /** Connected as the `postgres` superuser; services switch roles per transaction. */
  pool: pg.Pool;
  mailbox: Mailbox;
  log: (service: string, message: string) => void;
}

export interface JwtClaims {
  role: string;
  sub?: string;
  [claim: string]: unknown;
}

/**
 * Runs `work` in one transaction as the caller's database role with `request.jwt.claims` set,
 * the way PostgREST and Supabase Storage do, so row-level security applies to it.
 */
export async function withClaims<T>(
  pool: pg.Pool,
  claims: JwtClaims,
  work: (client: pg.PoolClient) => Promise<T>
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query(
      `select set_config('role', $1, true),
              set_config('request.jwt.claims', $2, true),
              set_config('request.jwt.claim.sub', $3, true),
              set_config('request.jwt.claim.role', $1, true)`,
      [claims.role, JSON.stringify(claims), claims.sub ?? '']
    );
    const result = await work(client);
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

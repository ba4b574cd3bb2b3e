/**
 * Database privileges an attacker with the anon key or a buyer's token would probe through
 * PostgREST. The platform's default privileges grant EXECUTE on every new function in public to
 * anon and authenticated, so a security definer function whose EXECUTE a migration leaves in
 * place is callable by anyone as /rest/v1/rpc/<name>.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackEnv } from '../env.ts';

const env = stackEnv();
const db = new pg.Client({ connectionString: env.SUPABASE_DB_URL });

beforeAll(async () => {
  await db.connect();
});

afterAll(async () => {
  await db.end();
});

/** Returns `schema.name(arguments)` of every security definer function `role` may execute. */
async function definerFunctionsExecutableBy(role: string, schema: string): Promise<string[]> {
  const { rows } = await db.query<{ signature: string }>(
    `select n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')'
              as signature
       from pg_proc p
       join pg_namespace n on n.oid = p.pronamespace
      where n.nspname = $2
        and p.prosecdef
        and has_function_privilege($1, p.oid, 'execute')
      order by 1`,
    [role, schema]
  );
  return rows.map((row) => row.signature);
}

describe('security definer functions', () => {
  it('in public are not executable by anon', async () => {
    expect(await definerFunctionsExecutableBy('anon', 'public')).toEqual([]);
  });

  it('in public are not executable by authenticated', async () => {
    expect(await definerFunctionsExecutableBy('authenticated', 'public')).toEqual([]);
  });

  it('in private are executable by authenticated only as policy helpers', async () => {
    expect(await definerFunctionsExecutableBy('authenticated', 'private')).toEqual([
      'private.has_purchased(p_product_id uuid)',
      'private.holds_product(p_product_id uuid)',
      'private.is_own_proof_path(p_name text)',
      'private.owns_order(p_order_id uuid)'
    ]);
  });
});

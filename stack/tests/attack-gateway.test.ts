/**
 * API keys sent in the query string instead of the `apikey` header: the gateway accepts them,
 * and they must not reach PostgREST, which would read them as a column filter and write them
 * into its access log.
 */
import { describe, expect, it } from 'vitest';
import { stackEnv } from '../../tests/env.ts';

const env = stackEnv();

describe('apikey query parameter', () => {
  it('reads the REST API with the anon key in the query', async () => {
    const response = await fetch(
      `${env.SUPABASE_URL}/rest/v1/products?select=slug&status=eq.published&order=slug&apikey=${env.SUPABASE_ANON_KEY}`
    );

    expect(response.status).toBe(200);
    const rows = (await response.json()) as { slug: string }[];
    expect(rows.map((row) => row.slug)).toContain('gnu-grep-manual');
  });

  it('keeps the other query parameters', async () => {
    const response = await fetch(
      `${env.SUPABASE_URL}/rest/v1/products?apikey=${env.SUPABASE_ANON_KEY}&select=slug&slug=eq.gnu-grep-manual`
    );

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual([{ slug: 'gnu-grep-manual' }]);
  });

  it('does not echo the service role key in an error', async () => {
    const response = await fetch(
      `${env.SUPABASE_URL}/rest/v1/products?select=no_such_column&apikey=${env.SUPABASE_SERVICE_ROLE_KEY}`
    );

    expect(response.status).toBe(400);
    expect(await response.text()).not.toContain(env.SUPABASE_SERVICE_ROLE_KEY);
  });
});

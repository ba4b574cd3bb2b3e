/**
 * The file totals on products: shoppers read a product's size and file count before buying,
 * and the trigger on product_files keeps both equal to the files.
 */
import { randomUUID } from 'node:crypto';
import { createClient } from '@supabase/supabase-js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { stackEnv } from '../env.ts';

const env = stackEnv();
const db = new pg.Client({ connectionString: env.SUPABASE_DB_URL });
const SAMPLES = '10000000-0000-4000-8000-000000000003';
const productId = randomUUID();

async function totals(id: string) {
  const result = await db.query<{ file_count: number; total_size_bytes: string }>(
    'select file_count, total_size_bytes from public.products where id = $1',
    [id]
  );
  return {
    fileCount: result.rows[0].file_count,
    totalSize: Number(result.rows[0].total_size_bytes)
  };
}

beforeAll(async () => {
  await db.connect();
  await db.query(
    `insert into public.products (id, slug, status, title, price_amount, currency, file_format)
     values ($1, $2, 'draft', 'Totals fixture', 100, 'USD', 'PDF')`,
    [productId, `totals-${productId}`]
  );
});

afterAll(async () => {
  await db.query('delete from public.products where id = $1', [productId]);
  await db.end();
});

describe('product file totals', () => {
  test('anon reads the seeded totals of a published product', async () => {
    const anon = createClient(env.SUPABASE_URL, env.SUPABASE_ANON_KEY);
    const files = await db.query<{ count: string; sum: string }>(
      'select count(*), sum(size_bytes) from public.product_files where product_id = $1',
      [SAMPLES]
    );

    const { data, error } = await anon
      .from('products')
      .select('file_count, total_size_bytes')
      .eq('id', SAMPLES)
      .single();

    expect(error).toBeNull();
    expect(data?.file_count).toBe(2);
    expect(data?.file_count).toBe(Number(files.rows[0].count));
    expect(data?.total_size_bytes).toBe(Number(files.rows[0].sum));
  });

  test('follow inserts, size changes and deletes of files', async () => {
    const first = randomUUID();
    const second = randomUUID();

    await db.query(
      `insert into public.product_files (id, product_id, name, storage_path, format, size_bytes, sha256, position)
       values ($1, $3, 'a.pdf', $4, 'PDF', 1000, repeat('0', 64), 0),
              ($2, $3, 'b.pdf', $5, 'PDF', 2500, repeat('0', 64), 1)`,
      [first, second, productId, `${productId}/a.pdf`, `${productId}/b.pdf`]
    );
    expect(await totals(productId)).toEqual({ fileCount: 2, totalSize: 3500 });

    await db.query('update public.product_files set size_bytes = 4000 where id = $1', [second]);
    expect(await totals(productId)).toEqual({ fileCount: 2, totalSize: 5000 });

    await db.query('delete from public.product_files where id = $1', [first]);
    expect(await totals(productId)).toEqual({ fileCount: 1, totalSize: 4000 });
  });
});

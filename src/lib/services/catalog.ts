import { z } from 'zod';
import { productSchema, type Product } from '../schemas';
import { fail, ok, parseRows, toServiceError, type Result } from './result';
import { getSupabase } from './supabase';

const PRODUCT_COLUMNS = `id, slug, title, description, price_amount, currency, file_format,
  system_requirements, access_days, download_limit, file_count, total_size_bytes`;
const FILE_COLUMNS = 'product_files(id, name, format, size_bytes, position)';

/** PostgreSQL's insufficient_privilege, which PostgREST returns when a role lacks a grant. */
const INSUFFICIENT_PRIVILEGE = '42501';

/**
 * Selects published products with their files where the caller may read them. RLS shows
 * files only to the buyers who hold a product and to admins. A caller without any grant on
 * product_files (anon) gets the products alone, with an empty file list.
 */
async function selectPublished(slug?: string) {
  const run = (columns: string) => {
    const query = getSupabase()
      .from('products')
      .select(columns)
      .eq('status', 'published')
      .order('created_at', { ascending: false });
    return slug === undefined ? query : query.eq('slug', slug);
  };

  const withFiles = await run(`${PRODUCT_COLUMNS}, ${FILE_COLUMNS}`);
  if (withFiles.error?.code !== INSUFFICIENT_PRIVILEGE) return withFiles;
  return run(PRODUCT_COLUMNS);
}

function sortFiles(product: Product): Product {
  return {
    ...product,
    product_files: [...product.product_files].sort((a, b) => a.position - b.position)
  };
}

/** Lists the published products, newest first. */
export async function listProducts(): Promise<Result<Product[]>> {
  const { data, error } = await selectPublished();
  if (error) return { data: null, error: toServiceError(error, 'catalog_failed') };

  const parsed = parseRows(z.array(productSchema), data, 'products');
  if (parsed.error) return parsed;
  return ok(parsed.data.map(sortFiles));
}

/** Returns one published product by slug, or the error code `product_not_found`. */
export async function getProduct(slug: string): Promise<Result<Product>> {
  const { data, error } = await selectPublished(slug);
  if (error) return { data: null, error: toServiceError(error, 'catalog_failed') };

  const parsed = parseRows(z.array(productSchema), data, 'product');
  if (parsed.error) return parsed;

  const product = parsed.data[0];
  if (!product)
    return fail('product_not_found', `No published product has the slug "${slug}".`, 404);
  return ok(sortFiles(product));
}

/** Returns whether the signed-in buyer already has a purchase of `productId` that is not revoked. */
export async function ownsProduct(productId: string): Promise<Result<boolean>> {
  const { count, error } = await getSupabase()
    .from('purchases')
    .select('id', { count: 'exact', head: true })
    .eq('product_id', productId)
    .is('revoked_at', null);
  if (error) return { data: null, error: toServiceError(error, 'catalog_failed') };

  return ok((count ?? 0) > 0);
}

import { z } from 'zod';
import { ownershipOf, type Ownership } from '../access';
import { productSchema, purchaseSchema, type Product } from '../schemas';
import { fail, ok, parseRows, toServiceError, type Result } from './result';
import { getSupabase } from './supabase';

const PRODUCT_COLUMNS = `id, slug, title, description, price_amount, currency, file_format,
  system_requirements, access_days, download_limit, file_count, total_size_bytes`;
const FILE_COLUMNS = 'product_files(id, name, format, size_bytes, position)';

/**
 * Selects published products, with their files where the caller may read them. RLS shows
 * signed-in callers the files of the products they hold (all files to admins) and an empty
 * list otherwise. The anon role has no grant on product_files at all, so an anonymous
 * visitor's query leaves the files out; file_count and total_size_bytes still describe them.
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

  const { data: auth } = await getSupabase().auth.getSession();
  if (!auth.session) return run(PRODUCT_COLUMNS);

  return run(`${PRODUCT_COLUMNS}, ${FILE_COLUMNS}`);
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

const ownershipRowsSchema = z.array(
  purchaseSchema.pick({ granted_at: true, expires_at: true, revoked_at: true })
);

/** Returns the signed-in buyer's ownership of `productId` (RLS returns only their purchases). */
export async function getOwnership(productId: string): Promise<Result<Ownership>> {
  const { data, error } = await getSupabase()
    .from('purchases')
    .select('granted_at, expires_at, revoked_at')
    .eq('product_id', productId);
  if (error) return { data: null, error: toServiceError(error, 'catalog_failed') };

  const parsed = parseRows(ownershipRowsSchema, data, 'purchases');
  if (parsed.error) return parsed;
  return ok(ownershipOf(parsed.data, new Date()));
}

import { z } from 'zod';
import { downloadResponseSchema, purchaseSchema, type Purchase } from '../schemas';
import { ok, parseRows, readFunctionError, toServiceError, type Result } from './result';
import { getSupabase } from './supabase';

const PURCHASE_COLUMNS = `id, granted_at, expires_at, revoked_at, revoke_reason, suspended_at,
  download_limit, download_count,
  product:products(id, slug, title, file_format,
    product_files(id, name, format, size_bytes, position))`;

/** A purchase whose product row is visible to the buyer. */
export type LibraryItem = Purchase & { product: NonNullable<Purchase['product']> };

/** Lists the signed-in buyer's purchases, newest first, with files in shelf order. */
export async function listLibrary(): Promise<Result<LibraryItem[]>> {
  const { data, error } = await getSupabase()
    .from('purchases')
    .select(PURCHASE_COLUMNS)
    .order('granted_at', { ascending: false });
  if (error) return { data: null, error: toServiceError(error, 'library_failed') };

  const parsed = parseRows(z.array(purchaseSchema), data, 'purchases');
  if (parsed.error) return parsed;

  const items = parsed.data
    .filter((purchase): purchase is LibraryItem => purchase.product !== null)
    .map((purchase) => ({
      ...purchase,
      product: {
        ...purchase.product,
        product_files: [...purchase.product.product_files].sort((a, b) => a.position - b.position)
      }
    }));
  return ok(items);
}

/**
 * Asks the download function for a short-lived signed URL to one file. A refusal comes back
 * as the function's error code (`access_expired`, `download_limit_reached`, …).
 */
export async function requestDownload(fileId: string): Promise<Result<string>> {
  const { data, error } = await getSupabase().functions.invoke('download', {
    body: { file_id: fileId }
  });
  if (error) return { data: null, error: await readFunctionError(error) };

  const parsed = parseRows(downloadResponseSchema, data, 'download link');
  if (parsed.error) return parsed;
  return ok(parsed.data.url);
}

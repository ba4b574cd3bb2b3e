import type { Product } from './schemas';

/** Adds up the sizes of a product's files, in bytes. */
export function totalSize(product: Pick<Product, 'product_files'>): number {
  return product.product_files.reduce((sum, file) => sum + file.size_bytes, 0);
}

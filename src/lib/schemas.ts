import { z } from 'zod';

/** A Postgres `timestamptz` as PostgREST serialises it, e.g. `2026-12-04T13:59:00.12+00:00`. */
export const timestampSchema = z
  .string()
  .refine((value) => !Number.isNaN(Date.parse(value)), { message: 'Invalid timestamp' });

/** Row ids. `z.guid()` accepts any 8-4-4-4-12 hex id, including hand-written seed ids. */
export const idSchema = z.guid();

const minorAmountSchema = z.number().int();
const currencySchema = z
  .string()
  .regex(/^[A-Z]{3}$/, { message: 'Currency must be an upper-case ISO 4217 code' });

export const productFileSchema = z.object({
  id: idSchema,
  name: z.string(),
  format: z.string(),
  size_bytes: z.number().int().nonnegative(),
  position: z.number().int()
});
export type ProductFile = z.infer<typeof productFileSchema>;

export const productSchema = z.object({
  id: idSchema,
  slug: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  price_amount: minorAmountSchema,
  currency: currencySchema,
  file_format: z.string().nullable(),
  system_requirements: z.string().nullable(),
  access_days: z.number().int().positive().nullable(),
  download_limit: z.number().int().positive().nullable(),
  file_count: z.number().int().nonnegative(),
  total_size_bytes: z.number().int().nonnegative(),
  product_files: z.array(productFileSchema).default([])
});
export type Product = z.infer<typeof productSchema>;

/** A purchase; granted_at is null while its payment is still being confirmed. */
export const purchaseSchema = z.object({
  id: idSchema,
  granted_at: timestampSchema.nullable(),
  expires_at: timestampSchema.nullable(),
  revoked_at: timestampSchema.nullable(),
  revoke_reason: z.string().nullable(),
  suspended_at: timestampSchema.nullable(),
  download_limit: z.number().int().nullable(),
  download_count: z.number().int().nonnegative(),
  product: z
    .object({
      id: idSchema,
      slug: z.string(),
      title: z.string(),
      file_format: z.string().nullable(),
      product_files: z.array(productFileSchema).default([])
    })
    .nullable()
});
export type Purchase = z.infer<typeof purchaseSchema>;

export const orderStatusSchema = z.enum([
  'pending',
  'awaiting_payment',
  'paid',
  'failed',
  'expired',
  'refunded',
  'partially_refunded',
  'disputed',
  'needs_review'
]);
export type OrderStatus = z.infer<typeof orderStatusSchema>;

export const providerSchema = z.enum(['stripe', 'midtrans', 'manual']);
export type Provider = z.infer<typeof providerSchema>;

export const manualPaymentSchema = z.object({
  order_id: idSchema,
  proof_path: z.string().nullable(),
  submitted_at: timestampSchema.nullable(),
  reviewed_at: timestampSchema.nullable(),
  decision: z.string().nullable(),
  reject_reason: z.string().nullable()
});
export type ManualPayment = z.infer<typeof manualPaymentSchema>;

export const orderItemSchema = z.object({
  id: idSchema,
  product_id: idSchema,
  title: z.string(),
  unit_amount: minorAmountSchema,
  currency: currencySchema,
  status: z.string()
});
export type OrderItem = z.infer<typeof orderItemSchema>;

export const orderSchema = z.object({
  id: idSchema,
  user_id: idSchema,
  status: orderStatusSchema,
  provider: providerSchema,
  currency: currencySchema,
  total_amount: minorAmountSchema,
  reference: z.string().nullable(),
  created_at: timestampSchema,
  paid_at: timestampSchema.nullable(),
  order_items: z.array(orderItemSchema).default([]),
  manual_payments: z
    .union([z.array(manualPaymentSchema), manualPaymentSchema, z.null()])
    .transform((value) => (Array.isArray(value) ? (value[0] ?? null) : value))
    .default(null)
});
export type Order = z.infer<typeof orderSchema>;

export const bankInstructionsSchema = z.object({
  bank_name: z.string(),
  account_name: z.string(),
  account_number: z.string(),
  reference: z.string(),
  amount: minorAmountSchema,
  currency: currencySchema
});
export type BankInstructions = z.infer<typeof bankInstructionsSchema>;

export const checkoutResponseSchema = z.object({
  order_id: idSchema,
  amount: minorAmountSchema,
  currency: currencySchema,
  provider: providerSchema,
  redirect_url: z.url().nullish(),
  instructions: bankInstructionsSchema.nullish()
});
export type CheckoutResponse = z.infer<typeof checkoutResponseSchema>;

export const downloadResponseSchema = z.object({
  url: z.url()
});
export type DownloadResponse = z.infer<typeof downloadResponseSchema>;

/** The error body every Edge Function of this project sends with a non-2xx status. */
export const functionErrorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string() })
});

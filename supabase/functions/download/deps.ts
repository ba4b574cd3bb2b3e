/** The download handler's dependencies backed by Supabase Auth, the database and Storage. */
import { z } from 'zod';
import type { SupabaseClient } from '@supabase/supabase-js';
import { userIdFromToken } from '../_shared/supabase.ts';
import { type ClaimResult, type DownloadDeps, refusalCodes } from './handler.ts';

/** The private bucket that contains every product file. */
export const PRODUCTS_BUCKET = 'products';

const claimRowSchema = z.discriminatedUnion('outcome', [
  z.object({
    outcome: z.literal('ok'),
    storage_path: z.string().min(1),
    file_name: z.string().min(1),
    link_lifetime_seconds: z.number().int().positive(),
  }),
  z.object({
    outcome: z.enum(refusalCodes),
    expires_at: z.string().nullable(),
    download_limit: z.number().int().nullable(),
  }),
]);

export interface SupabaseDepsOptions {
  /** Client with the anon key, used to resolve access tokens through Auth. */
  anonClient: SupabaseClient;
  /** Client with the service role key, the only role allowed to call claim_download. */
  serviceClient: SupabaseClient;
  /**
   * Origin that browsers reach the API at, when it differs from SUPABASE_URL inside the
   * runtime (under `supabase start` functions see http://kong:8000). Signed URLs are rewritten
   * to it.
   */
  publicUrl?: string;
  logError?: (message: string, error: unknown) => void;
}

/** Replaces the origin of `url` with that of `publicUrl`, keeping any path prefix of it. */
export function withPublicOrigin(url: string, publicUrl: string | undefined): string {
  if (!publicUrl) return url;

  const signed = new URL(url);
  const target = new URL(publicUrl);
  const prefix = target.pathname.replace(/\/+$/, '');
  return `${target.origin}${prefix}${signed.pathname}${signed.search}`;
}

export function createSupabaseDeps(options: SupabaseDepsOptions): DownloadDeps {
  const { anonClient, serviceClient, publicUrl } = options;

  return {
    getUserId: (accessToken) => userIdFromToken(anonClient, accessToken),

    async claimDownload(userId, fileId): Promise<ClaimResult> {
      const { data, error } = await serviceClient
        .rpc('claim_download', { p_user_id: userId, p_file_id: fileId })
        .single();
      if (error) {
        throw new Error(`claim_download failed for file ${fileId}: ${error.message}`, {
          cause: error,
        });
      }

      const row = claimRowSchema.parse(data);
      if (row.outcome === 'ok') {
        return {
          outcome: 'ok',
          storagePath: row.storage_path,
          fileName: row.file_name,
          linkLifetimeSeconds: row.link_lifetime_seconds,
        };
      }
      return { outcome: row.outcome, expiresAt: row.expires_at, downloadLimit: row.download_limit };
    },

    async createSignedUrl(storagePath, lifetimeSeconds, fileName) {
      const { data, error } = await serviceClient.storage
        .from(PRODUCTS_BUCKET)
        .createSignedUrl(storagePath, lifetimeSeconds, { download: fileName });
      if (error || !data?.signedUrl) {
        throw new Error(
          `Storage could not sign ${PRODUCTS_BUCKET}/${storagePath}: ${error?.message ?? 'no URL'}`,
          { cause: error },
        );
      }
      return withPublicOrigin(data.signedUrl, publicUrl);
    },

    now: () => new Date(),

    logError: options.logError ?? ((message, error) => console.error(message, error)),
  };
}

/**
 * `POST /functions/v1/download` with `{"file_id": "<uuid>"}` and the buyer's access token:
 * claims one download of the file and returns a short-lived signed link to it,
 * `200 {"url", "expires_at"}`. Every failure is `{"error": {"code", "message"}}`.
 */
import { z } from 'zod';
import {
  bearerToken,
  errorResponse,
  jsonResponse,
  preflightResponse,
  readJsonBody,
  RequestBodyError,
} from '../_shared/http.ts';

/** Request bodies are a small JSON object; anything larger is rejected unread. */
export const MAX_BODY_BYTES = 4096;

export const downloadRequestSchema = z.object({
  file_id: z.uuid({ error: 'must be a UUID such as 20000000-0000-4000-8000-000000000001' }),
});

/** Refusal codes of public.claim_download; each maps to a 403 or 404 response. */
export const refusalCodes = [
  'file_not_found',
  'not_purchased',
  'access_revoked',
  'access_suspended',
  'payment_pending',
  'access_expired',
  'download_limit_reached',
] as const;

export type RefusalCode = (typeof refusalCodes)[number];

export type ClaimResult =
  | { outcome: 'ok'; storagePath: string; fileName: string; linkLifetimeSeconds: number }
  | {
    outcome: RefusalCode;
    expiresAt: string | null;
    downloadLimit: number | null;
  };

export interface DownloadDeps {
  /** Returns the id of the user the access token belongs to, or null for a rejected token. */
  getUserId(accessToken: string): Promise<string | null>;
  /** Calls public.claim_download as service_role. */
  claimDownload(userId: string, fileId: string): Promise<ClaimResult>;
  /** Returns an absolute signed URL that serves the object as an attachment named fileName. */
  createSignedUrl(storagePath: string, lifetimeSeconds: number, fileName: string): Promise<string>;
  /** The clock, replaceable in tests. */
  now(): Date;
  /** Records a failure that the caller only sees as a 500 internal_error. */
  logError(message: string, error: unknown): void;
}

function refusalResponse(fileId: string, claim: Exclude<ClaimResult, { outcome: 'ok' }>) {
  switch (claim.outcome) {
    case 'file_not_found':
      return errorResponse(
        404,
        'file_not_found',
        `No file with id ${fileId} exists: use a file_id listed in your library.`,
      );
    case 'not_purchased':
      return errorResponse(
        403,
        'not_purchased',
        `File ${fileId} belongs to a product you have not bought: buy the product to download it.`,
      );
    case 'access_revoked':
      return errorResponse(
        403,
        'access_revoked',
        `Your access to the product of file ${fileId} was revoked, for example after a refund, ` +
          'so it can no longer be downloaded.',
      );
    case 'access_suspended':
      return errorResponse(
        403,
        'access_suspended',
        `Your access to the product of file ${fileId} is suspended while a payment dispute is ` +
          'open: downloads resume once it is resolved.',
      );
    case 'payment_pending':
      return errorResponse(
        403,
        'payment_pending',
        `The payment for the product of file ${fileId} is still being confirmed: try again ` +
          'once it completes.',
      );
    case 'access_expired':
      return errorResponse(
        403,
        'access_expired',
        `Your access to the product of file ${fileId} ended` +
          (claim.expiresAt ? ` on ${claim.expiresAt}` : '') +
          ': buy it again to download it.',
      );
    case 'download_limit_reached':
      return errorResponse(
        403,
        'download_limit_reached',
        `You have used all ${claim.downloadLimit ?? ''} downloads of the product of file ` +
          `${fileId}: contact support if you need another.`,
      );
  }
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'body'} ${issue.message}`)
    .join('; ');
}

/** Builds the request handler around its dependencies, so tests can run it without a network. */
export function createDownloadHandler(deps: DownloadDeps): (request: Request) => Promise<Response> {
  async function handle(request: Request): Promise<Response> {
    if (request.method === 'OPTIONS') return preflightResponse();

    if (request.method !== 'POST') {
      return errorResponse(
        405,
        'method_not_allowed',
        `Method ${request.method} is not allowed: send POST with {"file_id": "<uuid>"}.`,
        { allow: 'POST, OPTIONS' },
      );
    }

    const token = bearerToken(request);
    if (!token) {
      return errorResponse(
        401,
        'missing_authorization',
        'The Authorization header is missing: send "Bearer <access token>" of a signed-in user.',
      );
    }

    let body: unknown;
    try {
      body = await readJsonBody(request, MAX_BODY_BYTES);
    } catch (error) {
      if (error instanceof RequestBodyError) return error.response;
      throw error;
    }

    const parsed = downloadRequestSchema.safeParse(body);
    if (!parsed.success) {
      return errorResponse(
        400,
        'invalid_request',
        `Invalid request body: ${describeIssues(parsed.error)}. Send {"file_id": "<uuid>"}.`,
      );
    }
    const fileId = parsed.data.file_id;

    const userId = await deps.getUserId(token);
    if (!userId) {
      return errorResponse(
        401,
        'invalid_token',
        'The access token is invalid or expired, or its session has ended: sign in again.',
      );
    }

    const claim = await deps.claimDownload(userId, fileId);
    if (claim.outcome !== 'ok') return refusalResponse(fileId, claim);

    // Signed-URL tokens count whole seconds from their issue time, so flooring "now" before
    // signing gives an expiry no later than the token's own.
    const issuedAt = Math.floor(deps.now().getTime() / 1000);
    const expiresAt = new Date((issuedAt + claim.linkLifetimeSeconds) * 1000);
    // NOTE: the download is already counted when signing fails, so such a failure costs the
    // buyer one download of a limited purchase.
    const url = await deps.createSignedUrl(
      claim.storagePath,
      claim.linkLifetimeSeconds,
      claim.fileName,
    );

    return jsonResponse(200, { url, expires_at: expiresAt.toISOString() });
  }

  return async (request) => {
    try {
      return await handle(request);
    } catch (error) {
      deps.logError(`download: ${request.method} ${new URL(request.url).pathname} failed`, error);
      return errorResponse(
        500,
        'internal_error',
        'The download link could not be created because of a server error: try again shortly.',
      );
    }
  };
}

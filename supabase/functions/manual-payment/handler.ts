/**
 * Bank-transfer payments, reviewed by hand:
 *   POST /functions/v1/manual-payment/proof    (buyer)  {"order_id", "proof_path"}
 *   POST /functions/v1/manual-payment/approve  (admin)  {"order_id"}
 *   POST /functions/v1/manual-payment/reject   (admin)  {"order_id", "reason"}
 * The buyer first uploads the proof to the private bucket `payment-proofs` at
 * `<user_id>/<order_id>/<file name>`. Approval grants through the same database state machine
 * as the payment webhooks; rejection closes the order as failed with the reason.
 * Every failure is `{"error": {"code", "message"}}`.
 */
import { z } from 'zod';
import {
  errorResponse,
  jsonResponse,
  preflightResponse,
  readJsonBody,
  RequestBodyError,
} from '../_shared/http.ts';
import { authenticateCaller, type Caller } from '../_shared/payments/caller.ts';
import { OrderError } from '../_shared/payments/errors.ts';

export const MAX_BODY_BYTES = 8 * 1024;

export const proofRequestSchema = z.object({
  order_id: z.uuid({ error: 'must be an order UUID' }),
  proof_path: z
    .string()
    .min(1)
    .max(1024)
    .refine((path) => !path.split('/').includes('..'), { error: 'must not contain ".."' }),
});

export const approveRequestSchema = z.object({
  order_id: z.uuid({ error: 'must be an order UUID' }),
});

export const rejectRequestSchema = z.object({
  order_id: z.uuid({ error: 'must be an order UUID' }),
  reason: z
    .string({ error: 'is required: tell the buyer why the transfer was not accepted' })
    .trim()
    .min(1, { error: 'is required: tell the buyer why the transfer was not accepted' })
    .max(500, { error: 'must be at most 500 characters' }),
});

export interface SubmittedProof {
  order_id: string;
  proof_path: string;
  submitted_at: string;
}

export interface ReviewResult {
  order_id: string;
  decision: 'approved' | 'rejected';
  outcome: string;
  order_status: string;
}

export interface ManualPaymentDeps {
  getCaller(accessToken: string): Promise<Caller | null>;
  /** Calls public.submit_payment_proof; throws OrderError for a rejection. */
  submitProof(userId: string, orderId: string, proofPath: string): Promise<SubmittedProof>;
  /** Calls public.review_manual_payment; throws OrderError for a rejection. */
  review(
    adminId: string,
    orderId: string,
    decision: 'approved' | 'rejected',
    reason: string | null,
  ): Promise<ReviewResult>;
  logError(message: string, error: unknown): void;
}

function invalid(action: string, error: z.ZodError): Response {
  return errorResponse(
    400,
    'invalid_request',
    `Invalid ${action} request: ${z.prettifyError(error)}`,
  );
}

export function createManualPaymentHandler(
  deps: ManualPaymentDeps,
): (request: Request) => Promise<Response> {
  async function submitProof(caller: Caller, body: unknown): Promise<Response> {
    const parsed = proofRequestSchema.safeParse(body);
    if (!parsed.success) return invalid('proof', parsed.error);

    const proof = await deps.submitProof(caller.id, parsed.data.order_id, parsed.data.proof_path);
    return jsonResponse(200, {
      order_id: proof.order_id,
      proof_path: proof.proof_path,
      submitted_at: proof.submitted_at,
    });
  }

  async function review(caller: Caller, action: 'approve' | 'reject', body: unknown) {
    if (!caller.isAdmin) {
      return errorResponse(403, 'not_admin', 'Only an admin can review bank-transfer payments.');
    }
    if (action === 'approve') {
      const parsed = approveRequestSchema.safeParse(body);
      if (!parsed.success) return invalid('approve', parsed.error);
      return jsonResponse(
        200,
        await deps.review(caller.id, parsed.data.order_id, 'approved', null),
      );
    }

    const parsed = rejectRequestSchema.safeParse(body);
    if (!parsed.success) return invalid('reject', parsed.error);
    return jsonResponse(
      200,
      await deps.review(caller.id, parsed.data.order_id, 'rejected', parsed.data.reason),
    );
  }

  async function handle(request: Request): Promise<Response> {
    if (request.method === 'OPTIONS') return preflightResponse();

    const route = /\/manual-payment\/(proof|approve|reject)\/?$/.exec(
      new URL(request.url).pathname,
    );
    if (!route) {
      return errorResponse(
        404,
        'not_found',
        'No such action: use /manual-payment/proof, /manual-payment/approve or /manual-payment/reject.',
      );
    }
    if (request.method !== 'POST') {
      return errorResponse(405, 'method_not_allowed', `Use POST, not ${request.method}.`, {
        allow: 'POST, OPTIONS',
      });
    }

    const caller = await authenticateCaller(request, deps.getCaller);
    if (caller instanceof Response) return caller;

    const body = await readJsonBody(request, MAX_BODY_BYTES);
    try {
      if (route[1] === 'proof') return await submitProof(caller, body);
      return await review(caller, route[1] as 'approve' | 'reject', body);
    } catch (error) {
      if (error instanceof OrderError) {
        return errorResponse(error.status, error.code, error.message);
      }
      throw error;
    }
  }

  return async (request) => {
    try {
      return await handle(request);
    } catch (error) {
      if (error instanceof RequestBodyError) return error.response;
      deps.logError(`Manual payment ${new URL(request.url).pathname} failed.`, error);
      return errorResponse(
        500,
        'internal_error',
        'The request failed on our side: try again in a minute.',
      );
    }
  };
}

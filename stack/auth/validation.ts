import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { PayloadTooLargeError, readJson } from '../http.ts';
import { AuthError, badRequest, unprocessable } from './errors.ts';
import type { PkceChallenge } from './flow-state.ts';

/** bcrypt reads at most 72 bytes of a password, so longer ones are rejected. */
const MAX_PASSWORD_BYTES = 72;

const emailFormat = z.email();

/** Metadata objects in request bodies; supabase-js sends `{}` when there is none. */
export const metadataSchema = z.record(z.string(), z.unknown());

/** The PKCE fields supabase-js adds to sign-up, OTP and update requests (null outside PKCE). */
export const pkceFields = {
  code_challenge: z.string().nullish(),
  code_challenge_method: z.string().nullish()
};

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length ? issue.path.join('.') : 'body'}: ${issue.message}`)
    .join('; ');
}

/** Reads a JSON body and validates it, raising 400 `bad_json` or `validation_failed`. */
export async function parseBody<T>(req: IncomingMessage, schema: z.ZodType<T>): Promise<T> {
  let body: unknown;
  try {
    body = await readJson(req, 64 * 1024);
  } catch (error) {
    if (error instanceof PayloadTooLargeError) {
      throw new AuthError(413, 'request_too_large', `${error.message} Send a smaller JSON body.`);
    }
    throw error;
  }
  if (body === undefined) {
    throw badRequest('bad_json', 'Could not parse the request body as JSON: send a JSON object.');
  }

  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw badRequest('validation_failed', `Invalid request body: ${describeIssues(parsed.error)}.`);
  }
  return parsed.data;
}

export function queryOf(req: IncomingMessage): URLSearchParams {
  return new URL(req.url ?? '/', 'http://127.0.0.1').searchParams;
}

/** Lower-cases and checks an email address, raising 400 `validation_failed` when it is invalid. */
export function normalizeEmail(raw: string): string {
  const email = raw.trim().toLowerCase();
  if (email.length > 255) {
    throw badRequest(
      'validation_failed',
      'An email address is too long: use at most 255 characters.'
    );
  }
  if (!emailFormat.safeParse(email).success) {
    throw badRequest('validation_failed', 'Unable to validate email address: invalid format');
  }
  return email;
}

/** Raises 422 `weak_password` or `validation_failed` unless the password fits the policy. */
export function checkPassword(password: string, minimumLength: number): void {
  if (password.length < minimumLength) {
    throw new AuthError(
      422,
      'weak_password',
      `Password should be at least ${minimumLength} characters.`,
      { weak_password: { reasons: ['length'] } }
    );
  }
  if (Buffer.byteLength(password) > MAX_PASSWORD_BYTES) {
    throw unprocessable(
      'validation_failed',
      `Password cannot be longer than ${MAX_PASSWORD_BYTES} bytes: choose a shorter one.`
    );
  }
}

/** Returns the request's PKCE challenge, or null for the implicit flow. */
export function parsePkce(body: {
  code_challenge?: string | null;
  code_challenge_method?: string | null;
}): PkceChallenge | null {
  const challenge = body.code_challenge || '';
  const method = (body.code_challenge_method || '').toLowerCase();
  if (!challenge && !method) return null;

  if (!challenge || !method) {
    throw badRequest(
      'validation_failed',
      'PKCE flow requires code_challenge_method and code_challenge: send both or neither.'
    );
  }
  if (method !== 's256' && method !== 'plain') {
    throw badRequest(
      'validation_failed',
      `Unsupported code_challenge_method "${body.code_challenge_method}": use s256 or plain.`
    );
  }
  if (challenge.length < 43 || challenge.length > 128) {
    throw badRequest(
      'validation_failed',
      `code_challenge has ${challenge.length} characters: it must have 43 to 128.`
    );
  }
  return { codeChallenge: challenge, method };
}

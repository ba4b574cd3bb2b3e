import { z } from 'zod';
import { clientAddress } from '../attempts.ts';
import { inTransaction } from '../db.ts';
import type { LinkType } from '../email.ts';
import { AuthError, badRequest, unprocessable } from '../errors.ts';
import { issueAuthCode, PKCE_PREFIX } from '../flow-state.ts';
import { resolveRedirect } from '../redirects.ts';
import { sendAuthJson, sendRedirect } from '../reply.ts';
import type { RouteRequest } from '../route.ts';
import { startSession, type SessionResponse } from '../sessions.ts';
import {
  applyVerification,
  VERIFY_TYPES,
  verifyEmailCode,
  verifyTokenHash,
  type VerifyType
} from '../verification.ts';
import { normalizeEmail, parseBody } from '../validation.ts';

const LINK_TYPES: readonly string[] = ['signup', 'invite', 'magiclink', 'recovery', 'email_change'];

const verifySchema = z.object({
  type: z.string().nullish(),
  token: z.string().nullish(),
  token_hash: z.string().nullish(),
  email: z.string().nullish(),
  phone: z.string().nullish()
});

/** Builds the `error`, `error_code` and `error_description` parameters of a failed email link. */
function errorParameters(error: AuthError): URLSearchParams {
  return new URLSearchParams({
    error: error.oauthError,
    error_code: error.code,
    error_description: error.message
  });
}

function errorRedirect(redirectTo: string, error: AuthError, isPkce: boolean): string {
  const url = new URL(redirectTo);
  const parameters = errorParameters(error);
  url.search = isPkce ? parameters.toString() : '';
  url.hash = parameters.toString();
  return url.toString();
}

function sessionRedirect(redirectTo: string, session: SessionResponse, type: string): string {
  const url = new URL(redirectTo);
  url.hash = new URLSearchParams({
    access_token: session.access_token,
    expires_at: String(session.expires_at),
    expires_in: String(session.expires_in),
    refresh_token: session.refresh_token,
    token_type: session.token_type,
    type
  }).toString();
  return url.toString();
}

function codeRedirect(redirectTo: string, code: string): string {
  const url = new URL(redirectTo);
  url.searchParams.set('code', code);
  return url.toString();
}

/**
 * GET /verify: the link in an email. Redirects (303) to `redirect_to` with the session in the
 * fragment, or with `?code=` for a PKCE link (token hash starting `pkce_`), or with the error.
 */
export async function handleVerifyLink({ auth, req, res, query }: RouteRequest): Promise<void> {
  const token = (query.get('token') ?? '').trim();
  const type = query.get('type') ?? '';
  const redirectTo = resolveRedirect(auth.settings, query.get('redirect_to'), req.headers.referer);
  const isPkce = token.startsWith(PKCE_PREFIX);
  const address = clientAddress(req);
  let release = (): void => undefined;

  try {
    release = auth.verificationFailures.begin(address);
    if (!token) throw badRequest('validation_failed', 'Verify requires a token');
    if (!LINK_TYPES.includes(type)) {
      throw badRequest(
        'validation_failed',
        `Unsupported verification type "${type}" in the email link.`
      );
    }
    const linkType = type as LinkType;

    const location = await inTransaction(auth.stack.pool, async (client) => {
      const verified = await verifyTokenHash(auth, client, linkType, token);
      const user = await applyVerification(client, verified);
      if (isPkce) {
        return codeRedirect(redirectTo, await issueAuthCode(client, user.id, verified.type));
      }

      const session = await startSession(auth, client, user, 'otp', req);
      return sessionRedirect(redirectTo, session, type);
    });
    release();
    sendRedirect(res, location);
  } catch (error) {
    if (!(error instanceof AuthError) || error.code !== 'otp_expired') release();
    if (!(error instanceof AuthError)) throw error;
    auth.log(`GET /verify: email link rejected with ${error.code}: ${error.message}`);
    sendRedirect(res, errorRedirect(redirectTo, error, isPkce));
  }
}

/** POST /verify: checks `{type, token_hash}` or `{type, email, token}` and returns a session. */
export async function handleVerifyCode({ auth, req, res }: RouteRequest): Promise<void> {
  const body = await parseBody(req, verifySchema);
  if (!body.type) throw badRequest('validation_failed', 'Verify requires a verification type');
  if (!(VERIFY_TYPES as readonly string[]).includes(body.type)) {
    throw badRequest(
      'validation_failed',
      `Unsupported verification type "${body.type}": use ${VERIFY_TYPES.join(', ')}.`
    );
  }
  const type = body.type as VerifyType;
  if (body.phone && !body.email) {
    throw unprocessable(
      'phone_provider_disabled',
      'Phone verification is disabled: verify an email address.'
    );
  }
  const tokenHash = body.token_hash?.trim();
  const code = body.token?.replaceAll('-', '').trim();
  if (!tokenHash && !(code && body.email)) {
    throw badRequest('validation_failed', 'Verify requires a token_hash, or an email and a token.');
  }
  const email = tokenHash ? null : normalizeEmail(body.email ?? '');
  const release = auth.verificationFailures.begin(clientAddress(req));

  const session = await inTransaction(auth.stack.pool, async (client) => {
    const verified = tokenHash
      ? await verifyTokenHash(auth, client, type, tokenHash)
      : await verifyEmailCode(auth, client, type, email ?? '', code ?? '');
    const user = await applyVerification(client, verified);
    return startSession(auth, client, user, 'otp', req);
  }).catch((error: unknown) => {
    // Only a code or token hash that matched nothing counts as a failed guess.
    if (!(error instanceof AuthError) || error.code !== 'otp_expired') release();
    throw error;
  });
  release();
  sendAuthJson(req, res, 200, session);
}

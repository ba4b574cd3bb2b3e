import { z } from 'zod';
import { clientAddress } from '../attempts.ts';
import { inTransaction } from '../db.ts';
import { badRequest, invalidCredentials, notFound, unprocessable } from '../errors.ts';
import { consumeAuthCode } from '../flow-state.ts';
import { verifyPassword } from '../passwords.ts';
import { sendAuthJson } from '../reply.ts';
import type { RouteRequest } from '../route.ts';
import { refreshSession, startSession, type SessionResponse } from '../sessions.ts';
import { findUserByEmail, findUserById, isBanned, isEmailConfirmed } from '../users.ts';
import { parseBody } from '../validation.ts';

const passwordSchema = z.object({
  email: z.string().nullish(),
  phone: z.string().nullish(),
  password: z.string().nullish()
});

const refreshSchema = z.object({ refresh_token: z.string().nullish() });

const pkceSchema = z.object({
  auth_code: z.string().nullish(),
  code_verifier: z.string().nullish()
});

async function passwordGrant({ auth, req }: RouteRequest): Promise<SessionResponse> {
  const body = await parseBody(req, passwordSchema);
  if (!body.email && body.phone) {
    throw unprocessable(
      'phone_provider_disabled',
      'Phone sign-in is disabled: sign in with an email address.'
    );
  }
  if (!body.email || !body.password) throw invalidCredentials();
  const release = auth.signInFailures.begin(clientAddress(req));

  const user = await findUserByEmail(auth.stack.pool, body.email.trim().toLowerCase()).catch(
    (error: unknown) => {
      release();
      throw error;
    }
  );
  const matches = await verifyPassword(body.password, user?.encrypted_password);
  // A wrong email or password stays counted as a failed attempt.
  if (!user || !matches) throw invalidCredentials();
  release();
  if (isBanned(user)) throw badRequest('user_banned', 'User is banned');
  if (!isEmailConfirmed(user)) throw badRequest('email_not_confirmed', 'Email not confirmed');

  return inTransaction(auth.stack.pool, (client) =>
    startSession(auth, client, user, 'password', req)
  );
}

async function refreshGrant({ auth, req }: RouteRequest): Promise<SessionResponse> {
  const body = await parseBody(req, refreshSchema);
  if (!body.refresh_token) {
    throw badRequest(
      'validation_failed',
      'refresh_token required: send the refresh token of the session.'
    );
  }
  const presented = body.refresh_token;

  const outcome = await inTransaction(auth.stack.pool, (client) =>
    refreshSession(auth, client, presented)
  );
  if (outcome.kind === 'reused') {
    auth.log(
      `Refresh token ${outcome.tokenId} was presented again after its reuse interval; ` +
        `ended session ${outcome.sessionId}.`
    );
    throw badRequest('refresh_token_already_used', 'Invalid Refresh Token: Already Used');
  }
  return outcome.session;
}

async function pkceGrant({ auth, req }: RouteRequest): Promise<SessionResponse> {
  const body = await parseBody(req, pkceSchema);
  if (!body.auth_code || !body.code_verifier) {
    throw badRequest(
      'validation_failed',
      'invalid request: both auth code and code verifier should be non-empty'
    );
  }
  const { auth_code: authCode, code_verifier: codeVerifier } = body;

  return inTransaction(auth.stack.pool, async (client) => {
    const flow = await consumeAuthCode(client, authCode, codeVerifier);
    const user = await findUserById(client, flow.userId);
    if (!user || user.deleted_at) throw notFound('user_not_found', 'User not found');
    if (isBanned(user)) throw badRequest('user_banned', 'User is banned');
    return startSession(auth, client, user, flow.authenticationMethod, req);
  });
}

const GRANTS: Record<string, (request: RouteRequest) => Promise<SessionResponse>> = {
  password: passwordGrant,
  refresh_token: refreshGrant,
  pkce: pkceGrant
};

/** POST /token?grant_type=password|refresh_token|pkce: signs in and returns a session. */
export async function handleToken(request: RouteRequest): Promise<void> {
  const grantType = request.query.get('grant_type') ?? '';
  const grant = Object.hasOwn(GRANTS, grantType) ? GRANTS[grantType] : undefined;
  if (!grant) {
    throw badRequest(
      'validation_failed',
      `Unsupported grant_type "${grantType}": use password, refresh_token or pkce.`
    );
  }
  sendAuthJson(request.req, request.res, 200, await grant(request));
}

import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { inTransaction, sqlState } from '../db.ts';
import { prepareEmailLink } from '../email.ts';
import { unprocessable } from '../errors.ts';
import { hashPassword } from '../passwords.ts';
import { resolveRedirect } from '../redirects.ts';
import { sendAuthJson } from '../reply.ts';
import type { RouteRequest } from '../route.ts';
import { startSession } from '../sessions.ts';
import { loadUserJson } from '../user-json.ts';
import {
  EMAIL_APP_METADATA,
  findUserByEmail,
  insertEmailUser,
  isEmailConfirmed,
  type UserRow
} from '../users.ts';
import {
  checkPassword,
  metadataSchema,
  normalizeEmail,
  parseBody,
  parsePkce,
  pkceFields
} from '../validation.ts';

const signupSchema = z.object({
  email: z.string().nullish(),
  phone: z.string().nullish(),
  password: z.string().nullish(),
  data: metadataSchema.nullish(),
  ...pkceFields
});

/**
 * Builds the reply to a sign-up for an address that is already confirmed while confirmations are on:
 * a user-shaped object with a random id and no identities, so the response does not reveal
 * that the address has an account.
 */
function obfuscatedUser(email: string, data: Record<string, unknown>): Record<string, unknown> {
  const now = new Date().toISOString();
  return {
    id: randomUUID(),
    aud: 'authenticated',
    role: 'authenticated',
    email,
    phone: '',
    confirmation_sent_at: now,
    app_metadata: EMAIL_APP_METADATA,
    user_metadata: data,
    identities: [],
    created_at: now,
    updated_at: now,
    is_anonymous: false
  };
}

/** POST /signup: creates an email user; returns a session, or the user when mail must confirm it. */
export async function handleSignup({ auth, req, res, query }: RouteRequest): Promise<void> {
  const body = await parseBody(req, signupSchema);
  if (!auth.settings.enableSignup) {
    throw unprocessable('signup_disabled', 'Signups not allowed for this instance');
  }
  if (!body.email && !body.phone && !body.password) {
    throw unprocessable('anonymous_provider_disabled', 'Anonymous sign-ins are disabled');
  }
  if (!body.email && body.phone) {
    throw unprocessable(
      'phone_provider_disabled',
      'Phone signups are disabled: sign up with an email address.'
    );
  }
  if (!body.email) {
    throw unprocessable('validation_failed', 'To sign up, provide an email address.');
  }
  const email = normalizeEmail(body.email);
  if (!body.password) throw unprocessable('validation_failed', 'Signup requires a valid password');
  checkPassword(body.password, auth.settings.minimumPasswordLength);
  const pkce = parsePkce(body);
  const redirectTo = resolveRedirect(auth.settings, query.get('redirect_to'), req.headers.referer);
  const data = body.data ?? {};
  const encryptedPassword = await hashPassword(body.password);
  const confirmByEmail = auth.settings.enableConfirmations;

  const outcome = await inTransaction(auth.stack.pool, async (client) => {
    const existing = await findUserByEmail(client, email, { forUpdate: true });
    if (existing && (isEmailConfirmed(existing) || !confirmByEmail)) {
      if (!confirmByEmail) throw unprocessable('user_already_exists', 'User already registered');
      return { body: obfuscatedUser(email, data), mail: null };
    }

    // NOTE: an unconfirmed account keeps its password until the owner confirms the address,
    // because this request cannot prove it comes from the owner.
    const user: UserRow =
      existing ??
      (await insertEmailUser(client, {
        email,
        encryptedPassword,
        emailConfirmed: !confirmByEmail,
        appMetadata: EMAIL_APP_METADATA,
        userMetadata: data
      }));
    if (!confirmByEmail) {
      return { body: await startSession(auth, client, user, 'password', req), mail: null };
    }

    const mail = await prepareEmailLink(auth, client, user, {
      type: 'signup',
      email,
      redirectTo,
      pkce
    });
    const sent = await findUserByEmail(client, email);
    return { body: await loadUserJson(client, sent ?? user), mail };
  }).catch((error: unknown) => {
    // Two sign-ups for one address at once: the second insert hits the unique email index.
    if (sqlState(error) === '23505') {
      throw unprocessable('user_already_exists', 'User already registered');
    }
    throw error;
  });

  if (outcome.mail) auth.stack.mailbox.send(outcome.mail);
  sendAuthJson(req, res, 200, outcome.body);
}

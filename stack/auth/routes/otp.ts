import { z } from 'zod';
import type { OutgoingMail } from '../../mail/mailbox.ts';
import { inTransaction, sqlState } from '../db.ts';
import { prepareEmailLink } from '../email.ts';
import { badRequest, unprocessable } from '../errors.ts';
import { resolveRedirect } from '../redirects.ts';
import { sendAuthJson } from '../reply.ts';
import type { RouteRequest } from '../route.ts';
import {
  EMAIL_APP_METADATA,
  findUserByEmail,
  insertEmailUser,
  isEmailConfirmed
} from '../users.ts';
import { metadataSchema, normalizeEmail, parseBody, parsePkce, pkceFields } from '../validation.ts';

const otpSchema = z.object({
  email: z.string().nullish(),
  phone: z.string().nullish(),
  data: metadataSchema.nullish(),
  create_user: z.boolean().nullish(),
  ...pkceFields
});

const recoverSchema = z.object({ email: z.string().nullish(), ...pkceFields });

/**
 * POST /otp: emails a one-time code and link. An unknown or unconfirmed address gets the
 * signup email, which confirms it; a confirmed one gets the magic-link email.
 */
export async function handleOtp({ auth, req, res, query }: RouteRequest): Promise<void> {
  const body = await parseBody(req, otpSchema);
  if (!body.email && body.phone) {
    throw unprocessable(
      'phone_provider_disabled',
      'Phone sign-in is disabled: use an email address.'
    );
  }
  if (!body.email) {
    throw unprocessable('validation_failed', 'A one-time password needs an email address.');
  }
  const email = normalizeEmail(body.email);
  const pkce = parsePkce(body);
  const redirectTo = resolveRedirect(auth.settings, query.get('redirect_to'), req.headers.referer);

  const mail = await inTransaction(auth.stack.pool, async (client): Promise<OutgoingMail> => {
    let user = await findUserByEmail(client, email, { forUpdate: true });
    if (!user) {
      if (body.create_user === false) {
        throw unprocessable('otp_disabled', 'Signups not allowed for otp');
      }
      if (!auth.settings.enableSignup) {
        throw unprocessable('signup_disabled', 'Signups not allowed for this instance');
      }
      user = await insertEmailUser(client, {
        email,
        encryptedPassword: '',
        emailConfirmed: false,
        appMetadata: EMAIL_APP_METADATA,
        userMetadata: body.data ?? {}
      });
    }
    const type = isEmailConfirmed(user) ? 'magiclink' : 'signup';
    return prepareEmailLink(auth, client, user, { type, email, redirectTo, pkce });
  }).catch((error: unknown) => {
    if (sqlState(error) === '23505') {
      throw unprocessable(
        'user_already_exists',
        'An account for this email address was created at the same moment: try again.'
      );
    }
    throw error;
  });

  auth.stack.mailbox.send(mail);
  sendAuthJson(req, res, 200, {});
}

/** POST /recover: emails a password-reset link when the address has an account, and returns `{}` either way. */
export async function handleRecover({ auth, req, res, query }: RouteRequest): Promise<void> {
  const body = await parseBody(req, recoverSchema);
  if (!body.email) {
    throw unprocessable('validation_failed', 'Password recovery requires an email address.');
  }
  const email = normalizeEmail(body.email);
  const pkce = parsePkce(body);
  const redirectTo = resolveRedirect(auth.settings, query.get('redirect_to'), req.headers.referer);

  const mail = await inTransaction(auth.stack.pool, async (client) => {
    const user = await findUserByEmail(client, email, { forUpdate: true });
    if (!user) return null;
    return prepareEmailLink(auth, client, user, { type: 'recovery', email, redirectTo, pkce });
  });

  if (mail) auth.stack.mailbox.send(mail);
  sendAuthJson(req, res, 200, {});
}

const resendSchema = z.object({
  type: z.string().nullish(),
  email: z.string().nullish(),
  phone: z.string().nullish(),
  ...pkceFields
});

/**
 * POST /resend: sends the signup confirmation or the email-change link again. It returns `{}`
 * also when there is nothing to resend, so the response does not reveal whether an account exists.
 */
export async function handleResend({ auth, req, res, query }: RouteRequest): Promise<void> {
  const body = await parseBody(req, resendSchema);
  if (body.type === 'sms' || body.type === 'phone_change') {
    throw unprocessable(
      'phone_provider_disabled',
      'Phone messages are disabled: resend an email instead.'
    );
  }
  if (body.type !== 'signup' && body.type !== 'email_change') {
    throw badRequest(
      'validation_failed',
      `Unsupported resend type "${body.type ?? ''}": use signup or email_change.`
    );
  }
  if (!body.email) {
    throw unprocessable('validation_failed', 'Resending an email requires the email address.');
  }
  const type = body.type;
  const email = normalizeEmail(body.email);
  const pkce = parsePkce(body);
  const redirectTo = resolveRedirect(auth.settings, query.get('redirect_to'), req.headers.referer);

  const mail = await inTransaction(auth.stack.pool, async (client) => {
    const user = await findUserByEmail(client, email, { forUpdate: true });
    if (!user) return null;
    if (type === 'signup') {
      if (isEmailConfirmed(user)) return null;
      return prepareEmailLink(auth, client, user, { type, email, redirectTo, pkce });
    }
    if (!user.email_change) return null;
    return prepareEmailLink(auth, client, user, {
      type,
      email: user.email_change,
      redirectTo,
      pkce
    });
  });

  if (mail) auth.stack.mailbox.send(mail);
  sendAuthJson(req, res, 200, {});
}

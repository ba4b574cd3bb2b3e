import { z } from 'zod';
import { inTransaction, sqlState, type Queryable } from '../db.ts';
import { createEmailLink, type LinkType } from '../email.ts';
import { notFound, unprocessable, badRequest } from '../errors.ts';
import { requireAdmin } from '../guards.ts';
import { hashPassword } from '../passwords.ts';
import { resolveRedirect } from '../redirects.ts';
import { sendAuthJson } from '../reply.ts';
import type { RouteRequest } from '../route.ts';
import { loadUserJson } from '../user-json.ts';
import {
  EMAIL_APP_METADATA,
  findUserByEmail,
  insertEmailUser,
  isEmailConfirmed,
  updateUser,
  type UserRow
} from '../users.ts';
import { checkPassword, metadataSchema, normalizeEmail, parseBody } from '../validation.ts';

const EMAIL_TAKEN = 'A user with this email address has already been registered';

const inviteSchema = z.object({ email: z.string().nullish(), data: metadataSchema.nullish() });

const generateSchema = z.object({
  type: z.string().nullish(),
  email: z.string().nullish(),
  password: z.string().nullish(),
  data: metadataSchema.nullish(),
  new_email: z.string().nullish(),
  redirect_to: z.string().nullish()
});

const GENERATED_TYPES = ['signup', 'invite', 'magiclink', 'recovery'] as const;

/** Finds or creates the user an invite is for; a confirmed account cannot be invited again. */
async function invitedUser(
  client: Queryable,
  email: string,
  data: Record<string, unknown>
): Promise<UserRow> {
  const existing = await findUserByEmail(client, email, { forUpdate: true });
  if (existing && isEmailConfirmed(existing)) throw unprocessable('email_exists', EMAIL_TAKEN);
  const user =
    existing ??
    (await insertEmailUser(client, {
      email,
      encryptedPassword: '',
      emailConfirmed: false,
      appMetadata: EMAIL_APP_METADATA,
      userMetadata: data
    }));
  return updateUser(client, user.id, { invited_at: new Date() });
}

function emailTakenOnConflict(error: unknown): never {
  if (sqlState(error) === '23505') throw unprocessable('email_exists', EMAIL_TAKEN);
  throw error;
}

/** POST /invite: creates an account without a password and mails it an invite link. */
export async function handleInvite({ auth, req, res, query }: RouteRequest): Promise<void> {
  await requireAdmin(auth, req);
  const body = await parseBody(req, inviteSchema);
  if (!body.email) throw unprocessable('validation_failed', 'An invite needs an email address.');
  const email = normalizeEmail(body.email);
  const redirectTo = resolveRedirect(auth.settings, query.get('redirect_to'), req.headers.referer);

  const outcome = await inTransaction(auth.stack.pool, async (client) => {
    const user = await invitedUser(client, email, body.data ?? {});
    const link = await createEmailLink(auth, client, user, {
      type: 'invite',
      email,
      redirectTo,
      pkce: null,
      skipFrequencyCheck: true
    });
    return { mail: link.mail, user: await loadUserJson(client, user) };
  }).catch(emailTakenOnConflict);

  auth.stack.mailbox.send(outcome.mail);
  sendAuthJson(req, res, 200, outcome.user);
}

/**
 * POST /admin/generate_link: stores a one-time password and returns its link and code without
 * sending an email. `signup` and `invite` create the account when it does not exist yet.
 */
export async function handleGenerateLink({ auth, req, res, query }: RouteRequest): Promise<void> {
  await requireAdmin(auth, req);
  const body = await parseBody(req, generateSchema);
  const type = body.type ?? '';
  if (!(GENERATED_TYPES as readonly string[]).includes(type)) {
    // NOTE: the email_change_current and email_change_new links of Supabase Auth are not offered.
    throw badRequest(
      'validation_failed',
      `Unsupported link type "${type}": use ${GENERATED_TYPES.join(', ')}.`
    );
  }
  if (!body.email) {
    throw unprocessable('validation_failed', 'Generating a link needs an email address.');
  }
  const email = normalizeEmail(body.email);
  if (type === 'signup') {
    if (!body.password) throw unprocessable('validation_failed', 'A signup link needs a password.');
    checkPassword(body.password, auth.settings.minimumPasswordLength);
  }
  const encryptedPassword = body.password ? await hashPassword(body.password) : '';
  const redirectTo = resolveRedirect(
    auth.settings,
    body.redirect_to ?? query.get('redirect_to'),
    null
  );

  const json = await inTransaction(auth.stack.pool, async (client) => {
    let user = await findUserByEmail(client, email, { forUpdate: true });
    if (type === 'invite') user = await invitedUser(client, email, body.data ?? {});
    if (type === 'signup') {
      if (user && isEmailConfirmed(user)) throw unprocessable('email_exists', EMAIL_TAKEN);
      user ??= await insertEmailUser(client, {
        email,
        encryptedPassword,
        emailConfirmed: false,
        appMetadata: EMAIL_APP_METADATA,
        userMetadata: body.data ?? {}
      });
    }
    if (!user) throw notFound('user_not_found', 'User with this email not found');

    const link = await createEmailLink(auth, client, user, {
      type: type as LinkType,
      email,
      redirectTo,
      pkce: null,
      skipFrequencyCheck: true
    });
    const fresh = (await findUserByEmail(client, email)) ?? user;
    return {
      ...(await loadUserJson(client, fresh)),
      action_link: link.url,
      email_otp: link.otp,
      hashed_token: link.tokenHash,
      redirect_to: redirectTo,
      verification_type: type
    };
  }).catch(emailTakenOnConflict);

  sendAuthJson(req, res, 200, json);
}

import { z } from 'zod';
import type { OutgoingMail } from '../../mail/mailbox.ts';
import { inTransaction } from '../db.ts';
import { prepareEmailLink } from '../email.ts';
import { badRequest, unprocessable } from '../errors.ts';
import { requireUser } from '../guards.ts';
import { hashPassword, verifyPassword } from '../passwords.ts';
import { resolveRedirect } from '../redirects.ts';
import { sendAuthJson, sendNoContent } from '../reply.ts';
import type { RouteRequest } from '../route.ts';
import { endSessions, type LogoutScope } from '../sessions.ts';
import { loadUserJson } from '../user-json.ts';
import {
  findUserByEmail,
  findUserById,
  mergeMetadata,
  updateUser,
  type UserUpdate
} from '../users.ts';
import {
  checkPassword,
  metadataSchema,
  normalizeEmail,
  parseBody,
  parsePkce,
  pkceFields
} from '../validation.ts';

const updateSchema = z.object({
  email: z.string().nullish(),
  phone: z.string().nullish(),
  password: z.string().nullish(),
  data: metadataSchema.nullish(),
  nonce: z.string().nullish(),
  ...pkceFields
});

const LOGOUT_SCOPES: readonly string[] = ['global', 'local', 'others'];

/** GET /user: the user behind the Bearer token. */
export async function handleGetUser({ auth, req, res }: RouteRequest): Promise<void> {
  const { user } = await requireUser(auth, req);
  sendAuthJson(req, res, 200, await loadUserJson(auth.stack.pool, user));
}

/**
 * PUT /user: updates the signed-in user's metadata, password or email. A new email address
 * applies at once when confirmations are off; otherwise it waits for the link mailed to it.
 */
export async function handleUpdateUser({ auth, req, res, query }: RouteRequest): Promise<void> {
  const body = await parseBody(req, updateSchema);
  const { user: caller } = await requireUser(auth, req);
  if (body.phone) {
    throw unprocessable(
      'phone_provider_disabled',
      'Phone numbers are not supported: update the email address instead.'
    );
  }

  let encryptedPassword: string | undefined;
  if (body.password) {
    checkPassword(body.password, auth.settings.minimumPasswordLength);
    if (
      caller.encrypted_password &&
      (await verifyPassword(body.password, caller.encrypted_password))
    ) {
      throw unprocessable(
        'same_password',
        'New password should be different from the old password.'
      );
    }
    encryptedPassword = await hashPassword(body.password);
  }
  const email = body.email ? normalizeEmail(body.email) : null;
  const pkce = parsePkce(body);
  const redirectTo = resolveRedirect(auth.settings, query.get('redirect_to'), req.headers.referer);

  const outcome = await inTransaction(auth.stack.pool, async (client) => {
    let user = (await findUserById(client, caller.id, { forUpdate: true })) ?? caller;
    const changes: UserUpdate = { encrypted_password: encryptedPassword };
    if (body.data) changes.raw_user_meta_data = mergeMetadata(user.raw_user_meta_data, body.data);
    user = await updateUser(client, user.id, changes);

    let mail: OutgoingMail | null = null;
    if (email && email !== user.email) {
      const owner = await findUserByEmail(client, email);
      if (owner && owner.id !== user.id) {
        throw unprocessable(
          'email_exists',
          'A user with this email address has already been registered'
        );
      }
      if (auth.settings.enableConfirmations) {
        // NOTE: Supabase Auth with double_confirm_changes also mails the current address;
        // here only the new address confirms the change.
        user = await updateUser(client, user.id, { email_change: email });
        mail = await prepareEmailLink(auth, client, user, {
          type: 'email_change',
          email,
          redirectTo,
          pkce
        });
      } else {
        user = await updateUser(client, user.id, { email, email_change: '' });
        await client.query(
          `update auth.identities
              set identity_data = identity_data || jsonb_build_object('email', $2::text),
                  updated_at = now()
            where user_id = $1 and provider = 'email'`,
          [user.id, email]
        );
      }
    }
    const latest = (await findUserById(client, user.id)) ?? user;
    return { body: await loadUserJson(client, latest), mail };
  });

  if (outcome.mail) auth.stack.mailbox.send(outcome.mail);
  sendAuthJson(req, res, 200, outcome.body);
}

/** POST /logout?scope=global|local|others: ends sessions and revokes their refresh tokens. */
export async function handleLogout({ auth, req, res, query }: RouteRequest): Promise<void> {
  const scope = query.get('scope') ?? 'global';
  if (!LOGOUT_SCOPES.includes(scope)) {
    throw badRequest(
      'validation_failed',
      `Unsupported logout scope "${scope}": use global, local or others.`
    );
  }
  const { user, sessionId } = await requireUser(auth, req);

  await endSessions(auth.stack.pool, user.id, scope as LogoutScope, sessionId);
  sendNoContent(req, res);
}

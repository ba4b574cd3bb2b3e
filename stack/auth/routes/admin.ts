import { z } from 'zod';
import { inTransaction, sqlState, type Queryable } from '../db.ts';
import { AuthError, badRequest, notFound, unprocessable } from '../errors.ts';
import { isUuid, requireAdmin } from '../guards.ts';
import { hashPassword } from '../passwords.ts';
import { sendAuthJson } from '../reply.ts';
import type { RouteRequest } from '../route.ts';
import { parseDurationSeconds } from '../settings.ts';
import { loadUserJson, userJson } from '../user-json.ts';
import {
  confirmEmail,
  EMAIL_APP_METADATA,
  findUserByEmail,
  findUserById,
  insertEmailUser,
  listIdentities,
  mergeMetadata,
  updateUser,
  type UserRow,
  type UserUpdate
} from '../users.ts';
import { checkPassword, metadataSchema, normalizeEmail, parseBody } from '../validation.ts';

const attributesSchema = z.object({
  email: z.string().nullish(),
  phone: z.string().nullish(),
  password: z.string().nullish(),
  email_confirm: z.boolean().nullish(),
  phone_confirm: z.boolean().nullish(),
  user_metadata: metadataSchema.nullish(),
  app_metadata: metadataSchema.nullish(),
  ban_duration: z.string().nullish(),
  role: z.string().min(1).nullish()
});

const createSchema = attributesSchema.extend({ id: z.string().nullish() });

const deleteSchema = z.object({ should_soft_delete: z.boolean().nullish() });

const DEFAULT_PER_PAGE = 50;

const EMAIL_TAKEN = 'A user with this email address has already been registered';

/**
 * Turns `ban_duration` into a `banned_until` value: "none" lifts a ban, and a Go duration such
 * as "24h" or "87600h" bans from now on.
 */
function bannedUntil(duration: string): Date | null {
  if (duration === 'none') return null;
  const seconds = parseDurationSeconds(duration);
  if (seconds === null) {
    throw badRequest(
      'validation_failed',
      `Invalid ban_duration "${duration}": use "none" or a duration such as "24h" or "30m".`
    );
  }
  return new Date(Date.now() + seconds * 1000);
}

function userIdParameter(params: Record<string, string>): string {
  const id = params.id ?? '';
  if (!isUuid(id)) throw notFound('validation_failed', `user_id must be an UUID, not "${id}".`);
  return id.toLowerCase();
}

async function findExistingUser(client: Queryable, id: string): Promise<UserRow> {
  const user = await findUserById(client, id, { forUpdate: true });
  if (!user) throw notFound('user_not_found', 'User not found');
  return user;
}

function emailTakenOnConflict(error: unknown): never {
  if (sqlState(error) !== '23505') throw error;

  const constraint = (error as { constraint?: string }).constraint;
  if (constraint === 'users_pkey') {
    throw unprocessable(
      'validation_failed',
      'A user with this id already exists: omit id or use another UUID.'
    );
  }
  throw unprocessable('email_exists', EMAIL_TAKEN);
}

/** POST /admin/users: creates a user, confirmed only when `email_confirm` is true. */
export async function handleCreateUser({ auth, req, res }: RouteRequest): Promise<void> {
  await requireAdmin(auth, req);
  const body = await parseBody(req, createSchema);
  if (!body.email) {
    throw badRequest(
      'validation_failed',
      body.phone
        ? 'Phone users are not supported: create the user with an email address.'
        : 'Cannot create a user without an email address.'
    );
  }
  const email = normalizeEmail(body.email);
  if (body.id && !isUuid(body.id)) {
    throw badRequest('validation_failed', `id "${body.id}" is not a UUID.`);
  }
  if (body.password) checkPassword(body.password, auth.settings.minimumPasswordLength);
  const encryptedPassword = body.password ? await hashPassword(body.password) : '';
  const banned = body.ban_duration ? bannedUntil(body.ban_duration) : null;

  const json = await inTransaction(auth.stack.pool, async (client) => {
    if (await findUserByEmail(client, email)) throw unprocessable('email_exists', EMAIL_TAKEN);
    let user = await insertEmailUser(client, {
      id: body.id?.toLowerCase() ?? undefined,
      email,
      encryptedPassword,
      emailConfirmed: body.email_confirm === true,
      appMetadata: mergeMetadata(EMAIL_APP_METADATA, body.app_metadata ?? {}),
      userMetadata: body.user_metadata ?? {},
      role: body.role ?? undefined
    });
    if (banned) user = await updateUser(client, user.id, { banned_until: banned });
    return loadUserJson(client, user);
  }).catch(emailTakenOnConflict);

  sendAuthJson(req, res, 200, json);
}

function parsePageParameter(query: URLSearchParams, name: string, fallback: number): number {
  const raw = query.get(name) ?? '';
  if (raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw badRequest(
      'validation_failed',
      `Bad Pagination Parameters: ${name} "${raw}" must be a whole number of at least 1.`
    );
  }
  return value;
}

/** GET /admin/users?page=&per_page=: one page of users, newest first, with Link and X-Total-Count. */
export async function handleListUsers({ auth, req, res, query }: RouteRequest): Promise<void> {
  await requireAdmin(auth, req);
  const page = parsePageParameter(query, 'page', 1);
  const perPage = parsePageParameter(query, 'per_page', DEFAULT_PER_PAGE);
  const filter = query.get('filter') ?? '';
  const pattern = `%${filter.replace(/[\\%_]/g, '\\$&')}%`;

  const pool = auth.stack.pool;
  const where = `where ($1 = '' or email ilike $2 or raw_user_meta_data ->> 'full_name' ilike $2)`;
  const total = Number(
    (
      await pool.query<{ count: string }>(`select count(*) from auth.users ${where}`, [
        filter,
        pattern
      ])
    ).rows[0].count
  );
  const { rows } = await pool.query<UserRow>(
    `select * from auth.users ${where} order by created_at desc, id limit $3 offset $4`,
    [filter, pattern, perPage, (page - 1) * perPage]
  );
  const identities = await listIdentities(
    pool,
    rows.map((row) => row.id)
  );

  const lastPage = Math.ceil(total / perPage);
  const base = `${auth.baseUrl}/admin/users`;
  const links = [];
  if (page < lastPage) links.push(`<${base}?page=${page + 1}&per_page=${perPage}>; rel="next"`);
  links.push(`<${base}?page=${lastPage}&per_page=${perPage}>; rel="last"`);

  const users = rows.map((row) => userJson(row, identities.get(row.id) ?? []));
  sendAuthJson(
    req,
    res,
    200,
    { users, aud: 'authenticated' },
    {
      'x-total-count': String(total),
      link: links.join(', ')
    }
  );
}

/** GET /admin/users/{id}. */
export async function handleGetUserById({ auth, req, res, params }: RouteRequest): Promise<void> {
  await requireAdmin(auth, req);
  const id = userIdParameter(params);
  const user = await findUserById(auth.stack.pool, id);
  if (!user) throw notFound('user_not_found', 'User not found');
  sendAuthJson(req, res, 200, await loadUserJson(auth.stack.pool, user));
}

/**
 * PUT /admin/users/{id}: sets email, password, role and ban, confirms the email, and merges
 * app_metadata and user_metadata (a key set to null is removed). A ban ends the user's sessions.
 */
export async function handleUpdateUserById({
  auth,
  req,
  res,
  params
}: RouteRequest): Promise<void> {
  await requireAdmin(auth, req);
  const id = userIdParameter(params);
  const body = await parseBody(req, attributesSchema);
  const email = body.email ? normalizeEmail(body.email) : null;
  if (body.password) checkPassword(body.password, auth.settings.minimumPasswordLength);
  const encryptedPassword = body.password ? await hashPassword(body.password) : undefined;
  const banned = body.ban_duration ? bannedUntil(body.ban_duration) : undefined;

  const json = await inTransaction(auth.stack.pool, async (client) => {
    let user = await findExistingUser(client, id);
    if (email && email !== user.email) {
      const owner = await findUserByEmail(client, email);
      if (owner && owner.id !== user.id) throw unprocessable('email_exists', EMAIL_TAKEN);
    }

    const changes: UserUpdate = {
      email: email ?? undefined,
      encrypted_password: encryptedPassword,
      role: body.role ?? undefined,
      banned_until: banned
    };
    if (body.app_metadata) {
      changes.raw_app_meta_data = mergeMetadata(user.raw_app_meta_data, body.app_metadata);
    }
    if (body.user_metadata) {
      changes.raw_user_meta_data = mergeMetadata(user.raw_user_meta_data, body.user_metadata);
    }
    user = await updateUser(client, user.id, changes);

    if (email) {
      await client.query(
        `update auth.identities
            set identity_data = identity_data || jsonb_build_object('email', $2::text), updated_at = now()
          where user_id = $1 and provider = 'email'`,
        [user.id, email]
      );
    }
    if (body.email_confirm === true) user = await confirmEmail(client, user);
    if (banned) await client.query('delete from auth.sessions where user_id = $1', [user.id]);
    return loadUserJson(client, user);
  }).catch(emailTakenOnConflict);

  sendAuthJson(req, res, 200, json);
}

/**
 * DELETE /admin/users/{id}: deletes the user, or with `should_soft_delete` keeps the row with
 * `deleted_at` set and its email, password, identities and sessions removed.
 */
export async function handleDeleteUser({ auth, req, res, params }: RouteRequest): Promise<void> {
  await requireAdmin(auth, req);
  const id = userIdParameter(params);
  const body = await parseBody(req, deleteSchema);

  await inTransaction(auth.stack.pool, async (client) => {
    const user = await findExistingUser(client, id);
    if (body.should_soft_delete) {
      await updateUser(client, user.id, {
        email: null,
        phone: null,
        encrypted_password: '',
        deleted_at: new Date()
      });
      await client.query('delete from auth.identities where user_id = $1', [user.id]);
      await client.query('delete from auth.sessions where user_id = $1', [user.id]);
      return;
    }
    await client.query('delete from auth.users where id = $1', [user.id]);
  }).catch((error: unknown) => {
    if (sqlState(error) === '23503') {
      throw new AuthError(
        500,
        'unexpected_failure',
        'Database error deleting user: other rows, such as purchases, still reference it. ' +
          'Soft-delete the user (should_soft_delete) or remove those rows first.'
      );
    }
    throw error;
  });

  sendAuthJson(req, res, 200, {});
}

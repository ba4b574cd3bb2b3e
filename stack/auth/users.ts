import { randomUUID } from 'node:crypto';
import type { Queryable } from './db.ts';

/** A row of `auth.users`, with the columns this service reads. */
export interface UserRow {
  id: string;
  aud: string | null;
  role: string | null;
  email: string | null;
  encrypted_password: string | null;
  email_confirmed_at: Date | null;
  invited_at: Date | null;
  confirmation_token: string | null;
  confirmation_sent_at: Date | null;
  recovery_token: string | null;
  recovery_sent_at: Date | null;
  email_change_token_new: string | null;
  email_change: string | null;
  email_change_sent_at: Date | null;
  last_sign_in_at: Date | null;
  raw_app_meta_data: Record<string, unknown> | null;
  raw_user_meta_data: Record<string, unknown> | null;
  phone: string | null;
  phone_confirmed_at: Date | null;
  confirmed_at: Date | null;
  banned_until: Date | null;
  deleted_at: Date | null;
  is_anonymous: boolean;
  created_at: Date | null;
  updated_at: Date | null;
}

/** A row of `auth.identities`. */
export interface IdentityRow {
  id: string;
  provider_id: string;
  user_id: string;
  identity_data: Record<string, unknown>;
  provider: string;
  last_sign_in_at: Date | null;
  created_at: Date | null;
  updated_at: Date | null;
  email: string | null;
}

/** Columns that `updateUser` may set, so column names never come from a request. */
const UPDATABLE_COLUMNS = new Set([
  'aud',
  'role',
  'email',
  'encrypted_password',
  'email_confirmed_at',
  'invited_at',
  'confirmation_token',
  'confirmation_sent_at',
  'recovery_token',
  'recovery_sent_at',
  'email_change',
  'email_change_token_new',
  'email_change_sent_at',
  'email_change_confirm_status',
  'last_sign_in_at',
  'raw_app_meta_data',
  'raw_user_meta_data',
  'phone',
  'phone_confirmed_at',
  'banned_until',
  'deleted_at'
]);

/** The app_metadata of a user who signs in with an email address. */
export const EMAIL_APP_METADATA = { provider: 'email', providers: ['email'] };

export type UserUpdate = Partial<Record<string, unknown>>;

export function isBanned(user: UserRow): boolean {
  return user.banned_until !== null && user.banned_until.getTime() > Date.now();
}

export function isEmailConfirmed(user: UserRow): boolean {
  return user.email_confirmed_at !== null;
}

export async function findUserById(
  client: Queryable,
  id: string,
  options: { forUpdate?: boolean } = {}
): Promise<UserRow | null> {
  const lock = options.forUpdate ? ' for update' : '';
  const { rows } = await client.query<UserRow>(`select * from auth.users where id = $1${lock}`, [
    id
  ]);
  return rows[0] ?? null;
}

/** Finds a live (not soft-deleted) user by email, compared case-insensitively. */
export async function findUserByEmail(
  client: Queryable,
  email: string,
  options: { forUpdate?: boolean } = {}
): Promise<UserRow | null> {
  const lock = options.forUpdate ? ' for update' : '';
  const { rows } = await client.query<UserRow>(
    `select * from auth.users
      where lower(email) = lower($1) and deleted_at is null and is_sso_user = false
      order by created_at limit 1${lock}`,
    [email]
  );
  return rows[0] ?? null;
}

export interface NewUser {
  email: string;
  encryptedPassword: string;
  emailConfirmed: boolean;
  appMetadata: Record<string, unknown>;
  userMetadata: Record<string, unknown>;
  role?: string;
  id?: string;
}

/** Inserts a user signed up with an email address, with its `email` identity. */
export async function insertEmailUser(client: Queryable, input: NewUser): Promise<UserRow> {
  const id = input.id ?? randomUUID();
  const { rows } = await client.query<UserRow>(
    `insert into auth.users (
       instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
       raw_app_meta_data, raw_user_meta_data, is_super_admin, is_anonymous, created_at, updated_at
     ) values (
       '00000000-0000-0000-0000-000000000000', $1, 'authenticated', $2, $3, $4,
       case when $5::boolean then now() end, $6, $7, false, false, now(), now()
     ) returning *`,
    [
      id,
      input.role ?? 'authenticated',
      input.email,
      input.encryptedPassword,
      input.emailConfirmed,
      JSON.stringify(input.appMetadata),
      JSON.stringify(input.userMetadata)
    ]
  );
  await client.query(
    `insert into auth.identities (provider_id, user_id, identity_data, provider, created_at, updated_at)
     values ($1::text, $1::uuid, $2, 'email', now(), now())`,
    [
      id,
      JSON.stringify({
        sub: id,
        email: input.email,
        email_verified: input.emailConfirmed,
        phone_verified: false
      })
    ]
  );
  return rows[0];
}

/** Sets the given columns of one user and `updated_at`, returning the updated row. */
export async function updateUser(
  client: Queryable,
  id: string,
  changes: UserUpdate
): Promise<UserRow> {
  const columns = Object.keys(changes).filter((column) => changes[column] !== undefined);
  for (const column of columns) {
    if (!UPDATABLE_COLUMNS.has(column)) {
      throw new Error(`Column auth.users.${column} is not updatable.`);
    }
  }
  const assignments = columns.map((column, index) => `${column} = $${index + 2}`);
  assignments.push('updated_at = now()');
  const { rows } = await client.query<UserRow>(
    `update auth.users set ${assignments.join(', ')} where id = $1 returning *`,
    [id, ...columns.map((column) => changes[column])]
  );
  if (!rows[0]) {
    throw new Error(`User ${id} was not found while updating it: was it deleted meanwhile?`);
  }
  return rows[0];
}

/** Marks the email address confirmed and clears the confirmation token. */
export async function confirmEmail(client: Queryable, user: UserRow): Promise<UserRow> {
  const updated = await client.query<UserRow>(
    `update auth.users
        set email_confirmed_at = coalesce(email_confirmed_at, now()),
            confirmation_token = '', updated_at = now()
      where id = $1 returning *`,
    [user.id]
  );
  await client.query(
    `update auth.identities
        set identity_data = identity_data || '{"email_verified": true}'::jsonb, updated_at = now()
      where user_id = $1 and provider = 'email'`,
    [user.id]
  );
  await client.query(
    `delete from auth.one_time_tokens where user_id = $1 and token_type = 'confirmation_token'`,
    [user.id]
  );
  return updated.rows[0];
}

/** Records a successful sign-in on the user and its email identity. */
export async function recordSignIn(client: Queryable, userId: string): Promise<UserRow> {
  const { rows } = await client.query<UserRow>(
    `update auth.users set last_sign_in_at = now(), updated_at = now() where id = $1 returning *`,
    [userId]
  );
  await client.query(
    `update auth.identities set last_sign_in_at = now() where user_id = $1 and provider = 'email'`,
    [userId]
  );
  return rows[0];
}

export async function listIdentities(
  client: Queryable,
  userIds: string[]
): Promise<Map<string, IdentityRow[]>> {
  const byUser = new Map<string, IdentityRow[]>(userIds.map((id) => [id, []]));
  if (userIds.length === 0) return byUser;

  const { rows } = await client.query<IdentityRow>(
    `select * from auth.identities where user_id = any($1::uuid[]) order by created_at, id`,
    [userIds]
  );
  for (const row of rows) byUser.get(row.user_id)?.push(row);
  return byUser;
}

/**
 * Merges `patch` into stored metadata the way Supabase Auth does: keys are added or replaced,
 * and a key set to null is removed.
 */
export function mergeMetadata(
  current: Record<string, unknown> | null,
  patch: Record<string, unknown>
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...(current ?? {}) };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

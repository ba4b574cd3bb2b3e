import type { Queryable } from './db.ts';
import type { AuthContext } from './context.ts';
import { TOKEN_SLOTS, type LinkType } from './email.ts';
import { forbidden } from './errors.ts';
import { PKCE_PREFIX } from './flow-state.ts';
import { hashOtp, safeEqual } from './tokens.ts';
import {
  confirmEmail,
  findUserByEmail,
  isBanned,
  isEmailConfirmed,
  type UserRow
} from './users.ts';

/** Types that POST /verify accepts; `email` is a signup or magic-link code, whichever matches. */
export type VerifyType = LinkType | 'email';

export const VERIFY_TYPES = [
  'signup',
  'invite',
  'magiclink',
  'recovery',
  'email_change',
  'email'
] as const;

export interface Verified {
  user: UserRow;
  /** The concrete link type that matched (`email` resolves to `signup` or `magiclink`). */
  type: LinkType;
}

const LINK_INVALID = 'Email link is invalid or has expired';
const CODE_INVALID = 'Token has expired or is invalid';

function candidateTypes(type: VerifyType): LinkType[] {
  return type === 'email' ? ['signup', 'magiclink'] : [type];
}

function stripPkce(token: string): string {
  return token.startsWith(PKCE_PREFIX) ? token.slice(PKCE_PREFIX.length) : token;
}

function isExpired(auth: AuthContext, user: UserRow, type: LinkType): boolean {
  const sentAt = user[TOKEN_SLOTS[type].sentAt] as Date | null;
  return !sentAt || Date.now() > sentAt.getTime() + auth.settings.otpExpiry * 1000;
}

function assertUsable(auth: AuthContext, user: UserRow, type: LinkType, message: string): void {
  if (isBanned(user)) throw forbidden('user_banned', 'User is banned');
  if (isExpired(auth, user, type)) throw forbidden('otp_expired', message);
}

/** Finds the user an email-link token hash belongs to, raising 403 `otp_expired` otherwise. */
export async function verifyTokenHash(
  auth: AuthContext,
  client: Queryable,
  type: VerifyType,
  tokenHash: string
): Promise<Verified> {
  const hash = stripPkce(tokenHash);
  for (const candidate of candidateTypes(type)) {
    const column = TOKEN_SLOTS[candidate].column;
    const { rows } = await client.query<UserRow>(
      `select * from auth.users where ${column} in ($1, $2) and deleted_at is null for update`,
      [hash, `${PKCE_PREFIX}${hash}`]
    );
    if (rows[0]) {
      assertUsable(auth, rows[0], candidate, LINK_INVALID);
      return { user: rows[0], type: candidate };
    }
  }
  throw forbidden('otp_expired', LINK_INVALID);
}

/** Checks the 6-digit code a user typed in, raising 403 `otp_expired` when it does not match. */
export async function verifyEmailCode(
  auth: AuthContext,
  client: Queryable,
  type: VerifyType,
  email: string,
  code: string
): Promise<Verified> {
  const user =
    type === 'email_change'
      ? (
          await client.query<UserRow>(
            `select * from auth.users
              where lower(email_change) = $1 and deleted_at is null for update`,
            [email]
          )
        ).rows[0]
      : await findUserByEmail(client, email, { forUpdate: true });
  if (!user) throw forbidden('otp_expired', CODE_INVALID);

  const expected = hashOtp(email, code);
  for (const candidate of candidateTypes(type)) {
    const stored = String(user[TOKEN_SLOTS[candidate].column] ?? '');
    if (stored && safeEqual(stripPkce(stored), expected)) {
      assertUsable(auth, user, candidate, CODE_INVALID);
      return { user, type: candidate };
    }
  }
  throw forbidden('otp_expired', CODE_INVALID);
}

/** Applies a verified link: confirms the address, spends the token or switches the email. */
export async function applyVerification(client: Queryable, verified: Verified): Promise<UserRow> {
  const { user, type } = verified;
  const tokenType = TOKEN_SLOTS[type].tokenType;
  await client.query('delete from auth.one_time_tokens where user_id = $1 and token_type = $2', [
    user.id,
    tokenType
  ]);

  if (type === 'signup' || type === 'invite') return confirmEmail(client, user);

  if (type === 'email_change') {
    const { rows } = await client.query<UserRow>(
      `update auth.users
          set email = email_change, email_change = '', email_change_token_new = '',
              email_change_confirm_status = 0, updated_at = now()
        where id = $1 returning *`,
      [user.id]
    );
    await client.query(
      `update auth.identities
          set identity_data = identity_data || jsonb_build_object('email', $2::text),
              updated_at = now()
        where user_id = $1 and provider = 'email'`,
      [user.id, rows[0].email]
    );
    return confirmEmail(client, rows[0]);
  }

  const { rows } = await client.query<UserRow>(
    `update auth.users set recovery_token = '', updated_at = now() where id = $1 returning *`,
    [user.id]
  );
  return isEmailConfirmed(rows[0]) ? rows[0] : confirmEmail(client, rows[0]);
}

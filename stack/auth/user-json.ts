import type { Queryable } from './db.ts';
import { listIdentities, type IdentityRow, type UserRow } from './users.ts';

function time(value: Date | null): string | undefined {
  return value ? value.toISOString() : undefined;
}

export function identityJson(identity: IdentityRow): Record<string, unknown> {
  return {
    identity_id: identity.id,
    id: identity.provider_id,
    user_id: identity.user_id,
    identity_data: identity.identity_data,
    provider: identity.provider,
    last_sign_in_at: time(identity.last_sign_in_at),
    created_at: time(identity.created_at),
    updated_at: time(identity.updated_at),
    email: identity.email ?? undefined
  };
}

/**
 * Shapes a user the way Supabase Auth returns it: empty strings for a missing email or phone,
 * and timestamps left out when they are not set.
 */
export function userJson(user: UserRow, identities: IdentityRow[]): Record<string, unknown> {
  return {
    id: user.id,
    aud: user.aud ?? '',
    role: user.role ?? '',
    email: user.email ?? '',
    email_confirmed_at: time(user.email_confirmed_at),
    phone: user.phone ?? '',
    phone_confirmed_at: time(user.phone_confirmed_at),
    confirmation_sent_at: time(user.confirmation_sent_at),
    confirmed_at: time(user.confirmed_at),
    recovery_sent_at: time(user.recovery_sent_at),
    new_email: user.email_change || undefined,
    email_change_sent_at: time(user.email_change_sent_at),
    invited_at: time(user.invited_at),
    last_sign_in_at: time(user.last_sign_in_at),
    app_metadata: user.raw_app_meta_data ?? {},
    user_metadata: user.raw_user_meta_data ?? {},
    identities: identities.map(identityJson),
    created_at: time(user.created_at),
    updated_at: time(user.updated_at),
    banned_until: time(user.banned_until),
    deleted_at: time(user.deleted_at),
    is_anonymous: user.is_anonymous
  };
}

/** Loads the user's identities and returns the user's JSON. */
export async function loadUserJson(
  client: Queryable,
  user: UserRow
): Promise<Record<string, unknown>> {
  const identities = await listIdentities(client, [user.id]);
  return userJson(user, identities.get(user.id) ?? []);
}

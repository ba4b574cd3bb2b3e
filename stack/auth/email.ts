import { randomUUID } from 'node:crypto';
import type { Queryable } from './db.ts';
import type { OutgoingMail } from '../mail/mailbox.ts';
import type { AuthContext } from './context.ts';
import { AuthError } from './errors.ts';
import { createFlowState, PKCE_PREFIX, type PkceChallenge } from './flow-state.ts';
import { generateOtp, hashOtp } from './tokens.ts';
import { updateUser, type UserRow } from './users.ts';

/** The `type` of an email link, as `GET /verify` reads it. */
export type LinkType = 'signup' | 'invite' | 'magiclink' | 'recovery' | 'email_change';

/** Token storage of each link type: its `auth.users` columns and its one_time_tokens type. */
export const TOKEN_SLOTS: Record<
  LinkType,
  { column: keyof UserRow; sentAt: keyof UserRow; tokenType: string }
> = {
  signup: {
    column: 'confirmation_token',
    sentAt: 'confirmation_sent_at',
    tokenType: 'confirmation_token'
  },
  invite: {
    column: 'confirmation_token',
    sentAt: 'confirmation_sent_at',
    tokenType: 'confirmation_token'
  },
  magiclink: { column: 'recovery_token', sentAt: 'recovery_sent_at', tokenType: 'recovery_token' },
  recovery: { column: 'recovery_token', sentAt: 'recovery_sent_at', tokenType: 'recovery_token' },
  email_change: {
    column: 'email_change_token_new',
    sentAt: 'email_change_sent_at',
    tokenType: 'email_change_token_new'
  }
};

const TEMPLATES: Record<
  LinkType,
  { subject: string; heading: string; action: string; label: string }
> = {
  signup: {
    subject: 'Confirm Your Signup',
    heading: 'Confirm your signup',
    action: 'Follow this link to confirm your account:',
    label: 'Confirm your email'
  },
  invite: {
    subject: 'You have been invited',
    heading: 'You have been invited',
    action: 'Follow this link to accept the invite:',
    label: 'Accept the invite'
  },
  magiclink: {
    subject: 'Your Magic Link',
    heading: 'Magic link',
    action: 'Follow this link to sign in:',
    label: 'Sign in'
  },
  recovery: {
    subject: 'Reset Your Password',
    heading: 'Reset password',
    action: 'Follow this link to reset the password of your account:',
    label: 'Reset password'
  },
  email_change: {
    subject: 'Confirm Email Change',
    heading: 'Confirm your new email address',
    action: 'Follow this link to confirm the change of your email address:',
    label: 'Change email'
  }
};

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function composeMail(type: LinkType, to: string, link: string, otp: string): OutgoingMail {
  const template = TEMPLATES[type];
  return {
    to,
    subject: template.subject,
    text: `${template.heading}\n\n${template.action}\n${link}\n\nOr enter this code: ${otp}\n`,
    html:
      `<h2>${template.heading}</h2>\n<p>${template.action}</p>\n` +
      `<p><a href="${escapeHtml(link)}">${template.label}</a></p>\n` +
      `<p>Or enter this code: <strong>${otp}</strong></p>\n`
  };
}

function assertNotTooFrequent(auth: AuthContext, user: UserRow, type: LinkType): void {
  const sentAt = user[TOKEN_SLOTS[type].sentAt] as Date | null;
  const waitSeconds = auth.settings.emailMaxFrequency;
  if (!sentAt || waitSeconds === 0) return;

  const elapsed = (Date.now() - sentAt.getTime()) / 1000;
  if (elapsed < waitSeconds) {
    throw new AuthError(
      429,
      'over_email_send_rate_limit',
      `For security purposes, you can only request this after ${Math.ceil(waitSeconds - elapsed)} seconds.`
    );
  }
}

export interface EmailLinkRequest {
  type: LinkType;
  /** The address the link is sent to and hashed with: the new address for `email_change`. */
  email: string;
  redirectTo: string;
  pkce: PkceChallenge | null;
  /** Admin-generated links skip the limit of one email per kind and `max_frequency`. */
  skipFrequencyCheck?: boolean;
}

/** A one-time password stored for a user, with the email that delivers it. */
export interface EmailLink {
  otp: string;
  /** The token of the link: hex(sha224(email + otp)), prefixed `pkce_` in a PKCE flow. */
  tokenHash: string;
  url: string;
  mail: OutgoingMail;
}

/**
 * Stores a fresh one-time password for the link type and returns the email to send once the
 * transaction commits. The email carries the 6-digit code and a `/verify` link whose token is
 * hex(sha224(email + code)), prefixed `pkce_` when the request started a PKCE flow.
 */
export async function createEmailLink(
  auth: AuthContext,
  client: Queryable,
  user: UserRow,
  request: EmailLinkRequest
): Promise<EmailLink> {
  if (!request.skipFrequencyCheck) assertNotTooFrequent(auth, user, request.type);

  const slot = TOKEN_SLOTS[request.type];
  const otp = generateOtp(auth.settings.otpLength);
  const hash = hashOtp(request.email, otp);
  const stored = request.pkce ? `${PKCE_PREFIX}${hash}` : hash;

  await updateUser(client, user.id, { [slot.column]: stored, [slot.sentAt]: new Date() });
  await client.query(
    `insert into auth.one_time_tokens (id, user_id, token_type, token_hash, relates_to)
     values ($1, $2, $3, $4, $5)
     on conflict (user_id, token_type)
     do update set token_hash = excluded.token_hash, relates_to = excluded.relates_to,
                   created_at = now(), updated_at = now()`,
    [randomUUID(), user.id, slot.tokenType, stored, request.email]
  );
  if (request.pkce) await createFlowState(client, user.id, request.pkce, request.type);

  const query = new URLSearchParams({
    token: stored,
    type: request.type,
    redirect_to: request.redirectTo
  });
  const url = `${auth.baseUrl}/verify?${query}`;
  return { otp, tokenHash: stored, url, mail: composeMail(request.type, request.email, url, otp) };
}

/** Creates an email link and returns only the email to send after the transaction commits. */
export async function prepareEmailLink(
  auth: AuthContext,
  client: Queryable,
  user: UserRow,
  request: EmailLinkRequest
): Promise<OutgoingMail> {
  return (await createEmailLink(auth, client, user, request)).mail;
}

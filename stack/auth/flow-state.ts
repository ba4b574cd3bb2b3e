import { randomUUID } from 'node:crypto';
import type { Queryable } from './db.ts';
import { badRequest, notFound, unprocessable } from './errors.ts';
import { verifyCodeChallenge } from './tokens.ts';

/** Seconds an issued auth code stays exchangeable, as in Supabase Auth. */
export const FLOW_STATE_LIFETIME = 300;

/** The prefix of email-link token hashes that belong to a PKCE sign-in. */
export const PKCE_PREFIX = 'pkce_';

export interface PkceChallenge {
  codeChallenge: string;
  /** `s256` or `plain`, lower case. */
  method: string;
}

interface FlowStateRow {
  id: string;
  user_id: string | null;
  code_challenge: string;
  code_challenge_method: string;
  authentication_method: string;
  auth_code_issued_at: Date | null;
  created_at: Date;
}

/**
 * The `authentication_method` a flow state records for each email-link type; the same value
 * becomes the session's `amr` method after the code exchange.
 */
export function authenticationMethodFor(linkType: string): string {
  const methods: Record<string, string> = {
    signup: 'email/signup',
    magiclink: 'magiclink',
    recovery: 'recovery',
    invite: 'invite',
    email_change: 'email_change'
  };
  return methods[linkType] ?? linkType;
}

/** Records a PKCE sign-in that will finish when the user opens the emailed link. */
export async function createFlowState(
  client: Queryable,
  userId: string,
  challenge: PkceChallenge,
  linkType: string
): Promise<void> {
  await client.query(
    `insert into auth.flow_state (
       id, user_id, auth_code, code_challenge_method, code_challenge, provider_type,
       authentication_method, created_at, updated_at
     ) values ($1, $2, $3, $4, $5, $6, $7, now(), now())`,
    [
      randomUUID(),
      userId,
      randomUUID(),
      challenge.method,
      challenge.codeChallenge,
      linkType,
      authenticationMethodFor(linkType)
    ]
  );
}

/**
 * Issues the auth code of the user's newest flow state for this link type. The code is
 * generated here, not when the flow starts, so no code is exchangeable before the link is opened.
 */
export async function issueAuthCode(
  client: Queryable,
  userId: string,
  linkType: string
): Promise<string> {
  const authCode = randomUUID();
  const { rowCount } = await client.query(
    `update auth.flow_state
        set auth_code = $3, auth_code_issued_at = now(), updated_at = now()
      where id = (
        select id from auth.flow_state
         where user_id = $1 and authentication_method = $2
         order by created_at desc limit 1
      )`,
    [userId, authenticationMethodFor(linkType), authCode]
  );
  if (!rowCount) {
    throw notFound(
      'flow_state_not_found',
      'No PKCE flow state was found for this link: request a new email from the same browser.'
    );
  }
  return authCode;
}

/**
 * Checks an auth code and its code verifier, deletes the flow state so the code is single use,
 * and returns the user id and the authentication method to record on the session.
 */
export async function consumeAuthCode(
  client: Queryable,
  authCode: string,
  codeVerifier: string
): Promise<{ userId: string; authenticationMethod: string }> {
  const { rows } = await client.query<FlowStateRow>(
    `select id, user_id, code_challenge, code_challenge_method, authentication_method,
            auth_code_issued_at, created_at
       from auth.flow_state
      where auth_code = $1 and auth_code_issued_at is not null
      for update`,
    [authCode]
  );
  const flow = rows[0];
  if (!flow || !flow.user_id) {
    throw notFound('flow_state_not_found', 'invalid flow state, no valid flow state found');
  }

  const issuedAt = (flow.auth_code_issued_at ?? flow.created_at).getTime();
  if (Date.now() > issuedAt + FLOW_STATE_LIFETIME * 1000) {
    await client.query('delete from auth.flow_state where id = $1', [flow.id]);
    throw unprocessable('flow_state_expired', 'invalid flow state, flow state has expired');
  }
  if (!verifyCodeChallenge(flow.code_challenge, flow.code_challenge_method, codeVerifier)) {
    throw badRequest(
      'bad_code_verifier',
      'code challenge does not match previously saved code verifier'
    );
  }

  await client.query('delete from auth.flow_state where id = $1', [flow.id]);
  return { userId: flow.user_id, authenticationMethod: flow.authentication_method };
}

/** Error codes of Supabase Auth that this service returns; supabase-js exposes them as `error.code`. */
export type AuthErrorCode =
  | 'anonymous_provider_disabled'
  | 'bad_code_verifier'
  | 'bad_json'
  | 'bad_jwt'
  | 'email_address_invalid'
  | 'email_exists'
  | 'email_not_confirmed'
  | 'flow_state_expired'
  | 'flow_state_not_found'
  | 'invalid_credentials'
  | 'no_authorization'
  | 'not_admin'
  | 'not_found'
  | 'otp_disabled'
  | 'otp_expired'
  | 'over_email_send_rate_limit'
  | 'over_request_rate_limit'
  | 'phone_provider_disabled'
  | 'provider_disabled'
  | 'refresh_token_already_used'
  | 'refresh_token_not_found'
  | 'request_too_large'
  | 'same_password'
  | 'session_not_found'
  | 'signup_disabled'
  | 'unexpected_failure'
  | 'user_already_exists'
  | 'user_banned'
  | 'user_not_found'
  | 'validation_failed'
  | 'weak_password';

/** The OAuth 2.0 `error` value that email-link redirects carry for each HTTP status. */
const OAUTH_ERRORS: Record<number, string> = {
  400: 'invalid_request',
  401: 'unauthorized_client',
  403: 'access_denied',
  404: 'invalid_request',
  422: 'invalid_request',
  429: 'invalid_request',
  500: 'server_error',
  503: 'temporarily_unavailable'
};

/** A failure the client caused or may see: its HTTP status, Auth error code and message. */
export class AuthError extends Error {
  constructor(
    readonly status: number,
    readonly code: AuthErrorCode,
    message: string,
    /** Extra fields of the JSON body, such as `weak_password`. */
    readonly details: Record<string, unknown> = {}
  ) {
    super(message);
    this.name = 'AuthError';
  }

  get oauthError(): string {
    return OAUTH_ERRORS[this.status] ?? 'invalid_request';
  }
}

export function badRequest(code: AuthErrorCode, message: string): AuthError {
  return new AuthError(400, code, message);
}

export function unprocessable(code: AuthErrorCode, message: string): AuthError {
  return new AuthError(422, code, message);
}

export function forbidden(code: AuthErrorCode, message: string): AuthError {
  return new AuthError(403, code, message);
}

export function notFound(code: AuthErrorCode, message: string): AuthError {
  return new AuthError(404, code, message);
}

export function invalidCredentials(): AuthError {
  return badRequest('invalid_credentials', 'Invalid login credentials');
}

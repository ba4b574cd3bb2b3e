import type { StackContext } from '../context.ts';
import { FailureLimiter } from './attempts.ts';
import { loadAuthSettings, type AuthSettings } from './settings.ts';

/** Shared state of the Auth routes: the stack's services and Auth's own settings. */
export interface AuthContext {
  stack: StackContext;
  settings: AuthSettings;
  /** The `iss` claim of access tokens and the base of email links: `${apiUrl}/auth/v1`. */
  baseUrl: string;
  log: (message: string) => void;
  /** Failed one-time code and email-link checks per client address. */
  verificationFailures: FailureLimiter;
  /** Failed password sign-ins per client address. */
  signInFailures: FailureLimiter;
}

export function createAuthContext(stack: StackContext): AuthContext {
  const settings = loadAuthSettings(stack.config);
  return {
    stack,
    settings,
    baseUrl: `${stack.config.apiUrl}/auth/v1`,
    log: (message) => stack.log('auth', message),
    verificationFailures: new FailureLimiter(
      settings.verificationFailureLimit,
      'one-time code and email link checks'
    ),
    signInFailures: new FailureLimiter(settings.signInFailureLimit, 'password sign-ins')
  };
}

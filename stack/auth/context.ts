import type { StackContext } from '../context.ts';
import { loadAuthSettings, type AuthSettings } from './settings.ts';

/** Shared state of the Auth routes: the stack's services and Auth's own settings. */
export interface AuthContext {
  stack: StackContext;
  settings: AuthSettings;
  /** The `iss` claim of access tokens and the base of email links: `${apiUrl}/auth/v1`. */
  baseUrl: string;
  log: (message: string) => void;
}

export function createAuthContext(stack: StackContext): AuthContext {
  return {
    stack,
    settings: loadAuthSettings(stack.config),
    baseUrl: `${stack.config.apiUrl}/auth/v1`,
    log: (message) => stack.log('auth', message)
  };
}

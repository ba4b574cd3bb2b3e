import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StackContext } from '../context.ts';
import type { ServiceHandler } from '../http.ts';
import { createAuthContext, type AuthContext } from './context.ts';
import { AuthError } from './errors.ts';
import { sendAuthError } from './reply.ts';
import type { RouteHandler } from './route.ts';
import {
  handleCreateUser,
  handleDeleteUser,
  handleGetUserById,
  handleListUsers,
  handleUpdateUserById
} from './routes/admin.ts';
import { handleGenerateLink, handleInvite } from './routes/admin-links.ts';
import { handleAuthorize, handleHealth, handleJwks, handleSettings } from './routes/meta.ts';
import { handleOtp, handleRecover, handleResend } from './routes/otp.ts';
import { handleSignup } from './routes/signup.ts';
import { handleToken } from './routes/token.ts';
import { handleGetUser, handleLogout, handleUpdateUser } from './routes/user.ts';
import { handleVerifyCode, handleVerifyLink } from './routes/verify.ts';
import { queryOf } from './validation.ts';

interface Route {
  method: string;
  /** Path segments; a segment starting with `:` captures one value. */
  segments: string[];
  handler: RouteHandler;
}

function route(method: string, path: string, handler: RouteHandler): Route {
  return { method, segments: path.split('/').filter(Boolean), handler };
}

const ROUTES: Route[] = [
  route('GET', '/health', handleHealth),
  route('GET', '/settings', handleSettings),
  route('GET', '/.well-known/jwks.json', handleJwks),
  route('GET', '/authorize', handleAuthorize),
  route('POST', '/signup', handleSignup),
  route('POST', '/token', handleToken),
  route('POST', '/otp', handleOtp),
  route('POST', '/magiclink', handleOtp),
  route('POST', '/recover', handleRecover),
  route('POST', '/resend', handleResend),
  route('POST', '/invite', handleInvite),
  route('GET', '/verify', handleVerifyLink),
  route('POST', '/verify', handleVerifyCode),
  route('GET', '/user', handleGetUser),
  route('PUT', '/user', handleUpdateUser),
  route('POST', '/logout', handleLogout),
  route('POST', '/admin/generate_link', handleGenerateLink),
  route('POST', '/admin/users', handleCreateUser),
  route('GET', '/admin/users', handleListUsers),
  route('GET', '/admin/users/:id', handleGetUserById),
  route('PUT', '/admin/users/:id', handleUpdateUserById),
  route('DELETE', '/admin/users/:id', handleDeleteUser)
];

function matchSegments(pattern: string[], segments: string[]): Record<string, string> | null {
  if (pattern.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (const [index, part] of pattern.entries()) {
    if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(segments[index]);
    else if (part !== segments[index]) return null;
  }
  return params;
}

function findRoute(
  method: string,
  path: string
): { route: Route; params: Record<string, string> } | AuthError {
  const segments = path.split('/').filter(Boolean);
  const matches = ROUTES.flatMap((candidate) => {
    const params = matchSegments(candidate.segments, segments);
    return params ? [{ route: candidate, params }] : [];
  });
  const found = matches.find((match) => match.route.method === method);
  if (found) return found;

  if (matches.length > 0) {
    const allowed = matches.map((match) => match.route.method).join(', ');
    return new AuthError(
      405,
      'not_found',
      `Auth route ${path} does not accept ${method}: use ${allowed}.`
    );
  }
  return new AuthError(404, 'not_found', `No Auth route matches ${method} ${path}.`);
}

async function handle(auth: AuthContext, req: IncomingMessage, res: ServerResponse, path: string) {
  const method = req.method ?? 'GET';
  try {
    const match = findRoute(method, path);
    if (match instanceof AuthError) throw match;
    await match.route.handler({ auth, req, res, params: match.params, query: queryOf(req) });
  } catch (error) {
    if (res.headersSent) {
      auth.log(`${method} ${path} failed after the response started: ${String(error)}`);
      res.destroy();
      return;
    }
    if (error instanceof AuthError) {
      auth.log(`${method} ${path} rejected with ${error.status} ${error.code}: ${error.message}`);
      sendAuthError(req, res, error);
      return;
    }
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    auth.log(`${method} ${path} failed: ${detail}`);
    sendAuthError(
      req,
      res,
      new AuthError(
        500,
        'unexpected_failure',
        'Unexpected failure, please check the stack log for details.'
      )
    );
  }
}

/**
 * Creates the Auth service (a Supabase Auth / GoTrue v2 subset) mounted at /auth/v1. The
 * gateway has already handled CORS preflights and checked the `apikey`.
 */
export function createAuthHandler(ctx: StackContext): ServiceHandler {
  const auth = createAuthContext(ctx);
  return (req, res, path) => handle(auth, req, res, path);
}

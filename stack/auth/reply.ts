import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../http.ts';
import type { AuthError } from './errors.ts';

const API_VERSION_HEADER = 'x-supabase-api-version';
const API_VERSION_2024 = '2024-01-01';

/**
 * Checks whether the request names the 2024-01-01 API, whose error bodies are `{code, message}`.
 * supabase-js v2 always sends the header. Older clients get `{code: status, error_code, msg}`.
 */
function wantsVersion2024(req: IncomingMessage): boolean {
  const value = req.headers[API_VERSION_HEADER];
  if (typeof value !== 'string' || !/^2\d{3}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(value)) {
    return false;
  }
  return Date.parse(`${value}T00:00:00Z`) >= Date.parse(`${API_VERSION_2024}T00:00:00Z`);
}

function versionHeaders(req: IncomingMessage): Record<string, string> {
  return wantsVersion2024(req) ? { [API_VERSION_HEADER]: API_VERSION_2024 } : {};
}

export function sendAuthJson(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {}
): void {
  sendJson(res, status, body, { ...versionHeaders(req), ...headers });
}

export function sendNoContent(req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(204, versionHeaders(req));
  res.end();
}

export function sendAuthError(req: IncomingMessage, res: ServerResponse, error: AuthError): void {
  const body = wantsVersion2024(req)
    ? { code: error.code, message: error.message, ...error.details }
    : { code: error.status, error_code: error.code, msg: error.message, ...error.details };
  sendAuthJson(req, res, error.status, body, { 'x-sb-error-code': error.code });
}

/** Sends the browser on with 303 See Other, as Auth does after an email link. */
export function sendRedirect(res: ServerResponse, location: string): void {
  res.writeHead(303, { location, 'content-length': '0' });
  res.end();
}

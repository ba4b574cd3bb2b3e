import http from 'node:http';
import { jwtVerify } from 'jose';
import type { StackContext } from './context.ts';
import type { RunningFunction } from './functions.ts';
import { bearerToken, PayloadTooLargeError, sendJson, type ServiceHandler } from './http.ts';

export interface GatewayServices {
  auth: ServiceHandler;
  storage: ServiceHandler;
  functions: Map<string, RunningFunction>;
}

const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS',
  'access-control-allow-headers':
    'authorization, x-client-info, apikey, content-type, x-upsert, x-supabase-api-version, ' +
    'prefer, range, accept-profile, content-profile, cache-control, x-retry-count, accept, x-metadata',
  'access-control-expose-headers':
    'content-range, content-length, content-disposition, x-supabase-api-version, x-sb-error-code, x-total-count, link, etag',
  'access-control-max-age': '86400'
};

/** Auth routes reached from email links and OAuth providers, which carry no API key. */
const OPEN_AUTH_PATHS = new Set(['/verify', '/callback', '/authorize']);

function apiKeyOf(req: http.IncomingMessage, url: URL): string | null {
  const header = req.headers.apikey;
  if (typeof header === 'string' && header) return header;
  return url.searchParams.get('apikey');
}

/**
 * Checks the API key the way the Supabase gateway does on Auth and the REST API: it must be
 * one of the project's keys. Returns an error body, or null when the key is accepted.
 */
function checkApiKey(
  ctx: StackContext,
  key: string | null
): { message: string; hint: string } | null {
  if (!key) {
    return {
      message: 'No API key found in request',
      hint: 'No `apikey` request header or url param was found.'
    };
  }
  if (key !== ctx.config.anonKey && key !== ctx.config.serviceRoleKey) {
    return { message: 'Invalid API key', hint: 'Double check the provided API key.' };
  }
  return null;
}

/**
 * Returns the query string without `apikey`. PostgREST would read it as a filter on a column
 * named apikey, and its access log would record the key.
 */
function searchWithoutApiKey(url: URL): string {
  if (!url.searchParams.has('apikey')) return url.search;
  const params = new URLSearchParams(url.searchParams);
  params.delete('apikey');
  const search = params.toString();
  return search ? `?${search}` : '';
}

function proxy(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  port: number,
  targetPath: string,
  extraHeaders: Record<string, string>,
  onError: (error: Error) => void
): void {
  const upstream = http.request(
    {
      host: '127.0.0.1',
      port,
      method: req.method,
      path: targetPath,
      headers: {
        ...req.headers,
        'x-forwarded-for': req.socket.remoteAddress ?? '',
        'x-forwarded-proto': 'http'
      }
    },
    (upstreamRes) => {
      res.writeHead(upstreamRes.statusCode ?? 502, { ...upstreamRes.headers, ...extraHeaders });
      upstreamRes.pipe(res);
    }
  );
  upstream.on('error', (error) => {
    onError(error);
    if (!res.headersSent)
      sendJson(res, 502, { message: `Upstream on port ${port} is unreachable: ${error.message}` });
    else res.destroy();
  });
  req.pipe(upstream);
}

async function routeFunction(
  ctx: StackContext,
  services: GatewayServices,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL
): Promise<void> {
  const rest = url.pathname.slice('/functions/v1'.length);
  const name = rest.split('/')[1] ?? '';
  const fn = services.functions.get(name);
  if (!fn) {
    sendJson(
      res,
      404,
      { code: 'NOT_FOUND', message: 'Requested function was not found' },
      CORS_HEADERS
    );
    return;
  }

  // The gateway's own 401 and 404 responses carry CORS headers so that a browser can read them.
  // Responses from the function carry whatever headers the function sets.
  if (fn.verifyJwt && req.method !== 'OPTIONS') {
    const token = bearerToken(req);
    if (!token) {
      sendJson(res, 401, { msg: 'Error: Missing authorization header' }, CORS_HEADERS);
      return;
    }
    try {
      await jwtVerify(token, new TextEncoder().encode(ctx.config.jwtSecret), {
        algorithms: ['HS256']
      });
    } catch {
      sendJson(res, 401, { msg: 'Invalid JWT' }, CORS_HEADERS);
      return;
    }
  }

  proxy(req, res, fn.port, rest + url.search, {}, (error) =>
    ctx.log('gateway', `Edge Function ${name} failed to answer: ${error.message}`)
  );
}

async function route(
  ctx: StackContext,
  services: GatewayServices,
  req: http.IncomingMessage,
  res: http.ServerResponse
): Promise<void> {
  const url = new URL(req.url ?? '/', ctx.config.apiUrl);
  const { pathname } = url;

  if (pathname.startsWith('/functions/v1/')) {
    await routeFunction(ctx, services, req, res, url);
    return;
  }

  for (const [name, value] of Object.entries(CORS_HEADERS)) res.setHeader(name, value);
  if (req.method === 'OPTIONS') {
    res.writeHead(200, { 'content-length': '0' });
    res.end();
    return;
  }

  if (pathname.startsWith('/auth/v1/')) {
    const path = pathname.slice('/auth/v1'.length);
    const keyError = OPEN_AUTH_PATHS.has(path) ? null : checkApiKey(ctx, apiKeyOf(req, url));
    if (keyError) return sendJson(res, 401, keyError);
    await services.auth(req, res, path);
    return;
  }

  if (pathname.startsWith('/rest/v1/') || pathname === '/rest/v1') {
    const keyError = checkApiKey(ctx, apiKeyOf(req, url));
    if (keyError) return sendJson(res, 401, keyError);
    const target = pathname.slice('/rest/v1'.length) || '/';
    const search = searchWithoutApiKey(url);
    proxy(req, res, ctx.config.ports.postgrest, target + search, CORS_HEADERS, (error) =>
      ctx.log('gateway', `PostgREST failed to answer: ${error.message}`)
    );
    return;
  }

  if (pathname.startsWith('/storage/v1/')) {
    await services.storage(req, res, pathname.slice('/storage/v1'.length));
    return;
  }

  sendJson(res, 404, { message: 'no Route matched with those values' });
}

/** The single entry point on the API port, routing as the Supabase gateway does. */
export function createGateway(ctx: StackContext, services: GatewayServices): http.Server {
  return http.createServer((req, res) => {
    route(ctx, services, req, res).catch((error: unknown) => {
      if (error instanceof PayloadTooLargeError) {
        if (!res.headersSent) sendJson(res, 413, { message: error.message });
        return;
      }
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      ctx.log('gateway', `Unhandled error on ${req.method} ${req.url?.split('?')[0]}: ${message}`);
      if (!res.headersSent) sendJson(res, 500, { message: 'Internal server error' });
      else res.destroy();
    });
  });
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthContext } from './context.ts';

/** The request, response and parsed URL parts passed to a route handler. */
export interface RouteRequest {
  auth: AuthContext;
  req: IncomingMessage;
  res: ServerResponse;
  /** Values of `:name` segments in the route's path. */
  params: Record<string, string>;
  query: URLSearchParams;
}

export type RouteHandler = (request: RouteRequest) => Promise<void>;

import { z } from 'zod';
import { functionErrorBodySchema } from '../schemas';

/** A failure a service reports: a stable `code` for the UI to translate, and the detail. */
export interface ServiceError {
  code: string;
  message: string;
  status?: number;
}

/** The return type of every service, in the `{ data, error }` shape supabase-js uses. */
export type Result<T> = { data: T; error: null } | { data: null; error: ServiceError };

export function ok<T>(data: T): Result<T> {
  return { data, error: null };
}

export function fail<T = never>(code: string, message: string, status?: number): Result<T> {
  return { data: null, error: { code, message, status } };
}

interface SupabaseLikeError {
  code?: unknown;
  message?: unknown;
  status?: unknown;
}

/** Converts an error from supabase-js (Auth, PostgREST or Storage) into a ServiceError. */
export function toServiceError(error: SupabaseLikeError, fallbackCode: string): ServiceError {
  const code = typeof error.code === 'string' && error.code !== '' ? error.code : fallbackCode;
  const message = typeof error.message === 'string' ? error.message : String(error);
  const status = typeof error.status === 'number' ? error.status : undefined;
  return { code, message, status };
}

/**
 * Parses rows with a schema and reports a mismatch as `invalid_response`, so a changed
 * column shows up as one clear error instead of `undefined` deep in a component.
 */
export function parseRows<T>(schema: z.ZodType<T>, rows: unknown, description: string): Result<T> {
  const parsed = schema.safeParse(rows);
  if (!parsed.success) {
    return fail(
      'invalid_response',
      `Unexpected ${description} from the server: ${z.prettifyError(parsed.error)}`
    );
  }
  return ok(parsed.data);
}

/** The part of a `functions.invoke` error this module reads; `context` is the Response. */
interface InvokeError {
  name?: string;
  message?: string;
  context?: unknown;
}

/**
 * Reads `{"error":{"code","message"}}` from a failed Edge Function call. A network failure
 * becomes `network_error` and a body of another shape `function_error`.
 */
export async function readFunctionError(error: InvokeError): Promise<ServiceError> {
  if (error.name === 'FunctionsFetchError' || error.name === 'FunctionsRelayError') {
    return {
      code: 'network_error',
      message: error.message ?? 'The function could not be reached.'
    };
  }

  const response = error.context instanceof Response ? error.context : null;
  if (!response) {
    return { code: 'function_error', message: error.message ?? 'The function call failed.' };
  }

  const body: unknown = await response
    .clone()
    .json()
    .catch(() => null);
  const parsed = functionErrorBodySchema.safeParse(body);
  if (!parsed.success) {
    return {
      code: 'function_error',
      message: `The function returned HTTP ${response.status} without an error code.`,
      status: response.status
    };
  }
  return { ...parsed.data.error, status: response.status };
}

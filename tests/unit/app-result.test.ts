import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { parseRows, readFunctionError, toServiceError } from '../../src/lib/services/result';

function httpError(status: number, body: string, contentType = 'application/json') {
  const response = new Response(body, { status, headers: { 'content-type': contentType } });
  return {
    name: 'FunctionsHttpError',
    message: 'Edge Function returned a non-2xx status code',
    context: response
  };
}

describe('readFunctionError', () => {
  it('reads the code and message of a refusal', async () => {
    const error = httpError(
      403,
      JSON.stringify({ error: { code: 'access_expired', message: 'Your access ended.' } })
    );

    expect(await readFunctionError(error)).toEqual({
      code: 'access_expired',
      message: 'Your access ended.',
      status: 403
    });
  });

  it('reports a body of another shape as function_error', async () => {
    const error = httpError(401, JSON.stringify({ msg: 'Invalid JWT' }));

    expect(await readFunctionError(error)).toEqual({
      code: 'function_error',
      message: 'The function returned HTTP 401 without an error code.',
      status: 401
    });
  });

  it('reports a non-JSON body as function_error', async () => {
    const error = httpError(502, 'Bad gateway', 'text/plain');

    expect(await readFunctionError(error)).toMatchObject({ code: 'function_error', status: 502 });
  });

  it('reports an unreachable function as network_error', async () => {
    const error = { name: 'FunctionsFetchError', message: 'Failed to send a request', context: {} };

    expect(await readFunctionError(error)).toEqual({
      code: 'network_error',
      message: 'Failed to send a request'
    });
  });
});

describe('toServiceError', () => {
  it('keeps the code, message and status', () => {
    expect(
      toServiceError({ code: 'invalid_credentials', message: 'Bad login', status: 400 }, 'x')
    ).toEqual({
      code: 'invalid_credentials',
      message: 'Bad login',
      status: 400
    });
  });

  it('falls back to the given code', () => {
    expect(toServiceError({ message: 'Object not found' }, 'proof_upload_failed')).toEqual({
      code: 'proof_upload_failed',
      message: 'Object not found',
      status: undefined
    });
  });
});

describe('parseRows', () => {
  const schema = z.array(z.object({ id: z.number() }));

  it('returns the parsed rows', () => {
    expect(parseRows(schema, [{ id: 1, extra: true }], 'rows')).toEqual({
      data: [{ id: 1 }],
      error: null
    });
  });

  it('reports a mismatch as invalid_response', () => {
    const result = parseRows(schema, [{ id: 'one' }], 'rows');

    expect(result.data).toBeNull();
    expect(result.error?.code).toBe('invalid_response');
    expect(result.error?.message).toContain('Unexpected rows from the server:');
    expect(result.error?.message).toContain('expected number');
  });
});

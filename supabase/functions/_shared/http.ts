/**
 * Response helpers shared by the Edge Functions: CORS headers, JSON bodies and the error shape
 * `{"error": {"code", "message"}}` that the web app reads.
 */

/** CORS headers for functions called from the browser with supabase-js `functions.invoke`. */
export const corsHeaders: Record<string, string> = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'authorization, x-client-info, apikey, content-type',
  'access-control-allow-methods': 'POST, OPTIONS',
  'access-control-max-age': '86400',
};

export function jsonResponse(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      ...corsHeaders,
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      ...headers,
    },
  });
}

export function errorResponse(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return jsonResponse(status, { error: { code, message } }, headers);
}

/** Returns the response to a CORS preflight request. */
export function preflightResponse(): Response {
  return new Response(null, { status: 204, headers: corsHeaders });
}

/** Returns the token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(request: Request): string | null {
  const header = request.headers.get('authorization');
  if (!header) return null;

  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return match ? match[1] : null;
}

/** Raised by readJsonBody; carries the response the function should send. */
export class RequestBodyError extends Error {
  constructor(readonly response: Response) {
    super('The request body was rejected.');
  }
}

/**
 * Reads a JSON request body of at most `maxBytes` bytes. Throws RequestBodyError with a 413
 * response for a larger body and a 400 response for an empty or malformed one.
 */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw new RequestBodyError(tooLarge(declared, maxBytes));

  const bytes = new Uint8Array(await request.arrayBuffer());
  if (bytes.byteLength > maxBytes) throw new RequestBodyError(tooLarge(bytes.byteLength, maxBytes));

  const text = new TextDecoder().decode(bytes);
  if (text.trim() === '') {
    throw new RequestBodyError(
      errorResponse(400, 'invalid_json', 'The request body is empty: send a JSON object.'),
    );
  }

  try {
    return JSON.parse(text);
  } catch {
    throw new RequestBodyError(
      errorResponse(
        400,
        'invalid_json',
        'The request body is not valid JSON: send a JSON object with content-type ' +
          'application/json.',
      ),
    );
  }
}

function tooLarge(size: number, maxBytes: number): Response {
  return errorResponse(
    413,
    'payload_too_large',
    `The request body has ${size} bytes, more than the ${maxBytes} bytes this function accepts.`,
  );
}

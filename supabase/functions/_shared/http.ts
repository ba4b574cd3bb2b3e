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
 * Reads the request body while it stays within `maxBytes` bytes. Returns null, and cancels the
 * rest of the stream, as soon as more arrives, so a chunked body without Content-Length is not
 * buffered whole before it is rejected.
 */
export async function readBodyBytes(
  request: Request,
  maxBytes: number,
): Promise<Uint8Array | null> {
  if (!request.body) return new Uint8Array(0);

  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }

  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/**
 * Reads a JSON request body of at most `maxBytes` bytes. Throws RequestBodyError with a 413
 * response for a larger body and a 400 response for an empty or malformed one.
 */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw new RequestBodyError(tooLarge(declared, maxBytes));

  const bytes = await readBodyBytes(request, maxBytes);
  if (bytes === null) throw new RequestBodyError(tooLarge(null, maxBytes));

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

/** Builds the 413 response; `size` is null when the body was cut off before its end. */
function tooLarge(size: number | null, maxBytes: number): Response {
  const measured = size === null ? 'is larger than' : `has ${size} bytes, more than`;
  return errorResponse(
    413,
    'payload_too_large',
    `The request body ${measured} the ${maxBytes} bytes this function accepts.`,
  );
}

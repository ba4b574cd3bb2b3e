/**
 * The download handler against a streamed body without Content-Length, as a client sending
 * chunked transfer encoding can produce. The handler must stop reading and cancel the stream
 * once it has read past its size limit, instead of buffering the body to its end, so a body
 * that never ends cannot hold the function or fill its memory.
 * Run: deno test --config supabase/functions/deno.json
 */
import assert from 'node:assert/strict';
import { createDownloadHandler, MAX_BODY_BYTES } from './handler.ts';

const TOKEN = 'buyer-access-token';
const CHUNK_BYTES = 1024;
/** A 256 KiB body: 64 times the limit, so a handler that reads it all is easy to tell apart. */
const CHUNK_COUNT = 256;

Deno.test('download stops reading a streamed body past its limit', async () => {
  let pulled = 0;
  let cancelled = false;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled === CHUNK_COUNT) {
        controller.close();
        return;
      }
      pulled += 1;
      controller.enqueue(new Uint8Array(CHUNK_BYTES).fill(0x20));
    },
    cancel() {
      cancelled = true;
    },
  });
  const claims: string[] = [];
  const handler = createDownloadHandler({
    getUserId: () => Promise.resolve('b0000000-0000-4000-8000-000000000001'),
    claimDownload: (_userId, fileId) => {
      claims.push(fileId);
      return Promise.resolve({ outcome: 'not_purchased', expiresAt: null, downloadLimit: null });
    },
    createSignedUrl: () => Promise.reject(new Error('No link may be signed.')),
    now: () => new Date(),
    logError: () => undefined,
  });

  const response = await handler(
    new Request('http://127.0.0.1/download', {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body,
    }),
  );

  assert.equal(response.status, 413);
  const error = (await response.json()).error;
  assert.equal(error.code, 'payload_too_large');
  assert.equal(
    error.message,
    `The request body is larger than the ${MAX_BODY_BYTES} bytes this function accepts.`,
  );
  assert.equal(cancelled, true);
  assert.ok(pulled < CHUNK_COUNT, `the handler read ${pulled} of ${CHUNK_COUNT} chunks`);
  assert.deepEqual(claims, []);
});

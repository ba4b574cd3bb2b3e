/**
 * Unit tests of the download handler: request validation and the mapping of claim outcomes to
 * responses, with in-memory dependencies. Run: deno test --config supabase/functions/deno.json
 */
import assert from 'node:assert/strict';
import { type ClaimResult, createDownloadHandler, type DownloadDeps } from './handler.ts';
import { withPublicOrigin } from './deps.ts';
import { MissingEnvError, requireEnv } from '../_shared/env.ts';

const FILE_ID = '20000000-0000-4000-8000-000000000001';
const USER_ID = 'b0000000-0000-4000-8000-000000000001';
const TOKEN = 'buyer-access-token';
const NOW = new Date('2026-12-04T10:00:00.750Z');

interface Recorder {
  claims: { userId: string; fileId: string }[];
  signed: { path: string; lifetime: number; fileName: string }[];
  errors: string[];
}

function fakeDeps(claim: ClaimResult, overrides: Partial<DownloadDeps> = {}) {
  const recorder: Recorder = { claims: [], signed: [], errors: [] };
  const deps: DownloadDeps = {
    getUserId: (token) => Promise.resolve(token === TOKEN ? USER_ID : null),
    claimDownload: (userId, fileId) => {
      recorder.claims.push({ userId, fileId });
      return Promise.resolve(claim);
    },
    createSignedUrl: (path, lifetime, fileName) => {
      recorder.signed.push({ path, lifetime, fileName });
      return Promise.resolve(`http://127.0.0.1:54321/storage/v1/object/sign/products/${path}?t=1`);
    },
    now: () => NOW,
    logError: (message) => {
      recorder.errors.push(message);
    },
    ...overrides,
  };
  return { deps, recorder };
}

const okClaim: ClaimResult = {
  outcome: 'ok',
  storagePath: 'shared-mime-info-spec/shared-mime-info-spec.pdf',
  fileName: 'shared-mime-info-spec.pdf',
  linkLifetimeSeconds: 300,
};

function post(body: string, headers: Record<string, string> = {}): Request {
  return new Request('http://127.0.0.1/download', {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...headers },
    body,
  });
}

async function errorOf(response: Response): Promise<{ code: string; message: string }> {
  const body = await response.json();
  return body.error;
}

Deno.test('download returns a signed URL and its expiry', async () => {
  const { deps, recorder } = fakeDeps(okClaim);
  const handler = createDownloadHandler(deps);

  const response = await handler(post(JSON.stringify({ file_id: FILE_ID })));

  assert.equal(response.status, 200);
  assert.equal(response.headers.get('access-control-allow-origin'), '*');
  assert.equal(response.headers.get('cache-control'), 'no-store');
  assert.deepEqual(await response.json(), {
    url: 'http://127.0.0.1:54321/storage/v1/object/sign/products/' +
      'shared-mime-info-spec/shared-mime-info-spec.pdf?t=1',
    expires_at: '2026-12-04T10:05:00.000Z',
  });
  assert.deepEqual(recorder.claims, [{ userId: USER_ID, fileId: FILE_ID }]);
  assert.deepEqual(recorder.signed, [
    {
      path: 'shared-mime-info-spec/shared-mime-info-spec.pdf',
      lifetime: 300,
      fileName: 'shared-mime-info-spec.pdf',
    },
  ]);
});

Deno.test('download answers CORS preflight without authorization', async () => {
  const { deps, recorder } = fakeDeps(okClaim);
  const handler = createDownloadHandler(deps);

  const response = await handler(new Request('http://127.0.0.1/download', { method: 'OPTIONS' }));

  assert.equal(response.status, 204);
  assert.equal(response.headers.get('access-control-allow-origin'), '*');
  assert.equal(
    response.headers.get('access-control-allow-headers'),
    'authorization, x-client-info, apikey, content-type',
  );
  assert.equal(response.headers.get('access-control-allow-methods'), 'POST, OPTIONS');
  assert.equal(recorder.claims.length, 0);
});

Deno.test('download rejects methods other than POST', async () => {
  for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
    const { deps } = fakeDeps(okClaim);
    const handler = createDownloadHandler(deps);

    const response = await handler(
      new Request('http://127.0.0.1/download', {
        method,
        headers: { authorization: `Bearer ${TOKEN}` },
      }),
    );

    assert.equal(response.status, 405, method);
    assert.equal(response.headers.get('allow'), 'POST, OPTIONS', method);
    assert.equal((await errorOf(response)).code, 'method_not_allowed', method);
  }
});

Deno.test('download rejects a request without a bearer token', async () => {
  const cases: Record<string, string | undefined> = {
    'no header': undefined,
    'basic scheme': 'Basic dXNlcjpwYXNz',
    'empty bearer': 'Bearer ',
  };
  for (const [name, header] of Object.entries(cases)) {
    const { deps, recorder } = fakeDeps(okClaim);
    const handler = createDownloadHandler(deps);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (header !== undefined) headers.authorization = header;

    const response = await handler(
      new Request('http://127.0.0.1/download', {
        method: 'POST',
        headers,
        body: JSON.stringify({ file_id: FILE_ID }),
      }),
    );

    assert.equal(response.status, 401, name);
    assert.equal((await errorOf(response)).code, 'missing_authorization', name);
    assert.equal(recorder.claims.length, 0, name);
  }
});

Deno.test('download rejects a token that Auth does not accept', async () => {
  const { deps, recorder } = fakeDeps(okClaim);
  const handler = createDownloadHandler(deps);

  const response = await handler(
    post(JSON.stringify({ file_id: FILE_ID }), { authorization: 'Bearer someone-elses-token' }),
  );

  assert.equal(response.status, 401);
  assert.deepEqual(await errorOf(response), {
    code: 'invalid_token',
    message: 'The access token is invalid or expired, or its session has ended: sign in again.',
  });
  assert.equal(recorder.claims.length, 0);
});

Deno.test('download rejects malformed bodies with 400', async () => {
  const cases: [name: string, body: string, code: string][] = [
    ['empty body', '', 'invalid_json'],
    ['truncated JSON', '{"file_id": "20000000', 'invalid_json'],
    ['JSON array', '[]', 'invalid_request'],
    ['JSON string', '"20000000-0000-4000-8000-000000000001"', 'invalid_request'],
    ['missing file_id', '{}', 'invalid_request'],
    ['null file_id', '{"file_id": null}', 'invalid_request'],
    ['numeric file_id', '{"file_id": 42}', 'invalid_request'],
    ['file_id not a UUID', '{"file_id": "shared-mime-info-spec.pdf"}', 'invalid_request'],
    ['file_id with SQL', `{"file_id": "' or 1=1 --"}`, 'invalid_request'],
  ];
  for (const [name, body, code] of cases) {
    const { deps, recorder } = fakeDeps(okClaim);
    const handler = createDownloadHandler(deps);

    const response = await handler(post(body));

    assert.equal(response.status, 400, name);
    assert.equal((await errorOf(response)).code, code, name);
    assert.equal(recorder.claims.length, 0, name);
  }
});

Deno.test('download names the invalid field in its 400 message', async () => {
  const { deps } = fakeDeps(okClaim);
  const handler = createDownloadHandler(deps);

  const response = await handler(post('{"file_id": "not-a-uuid"}'));

  assert.deepEqual(await errorOf(response), {
    code: 'invalid_request',
    message: 'Invalid request body: file_id must be a UUID such as ' +
      '20000000-0000-4000-8000-000000000001. Send {"file_id": "<uuid>"}.',
  });
});

Deno.test('download rejects a body larger than 4096 bytes with 413', async () => {
  const { deps, recorder } = fakeDeps(okClaim);
  const handler = createDownloadHandler(deps);
  const body = JSON.stringify({ file_id: FILE_ID, padding: 'x'.repeat(5000) });

  const response = await handler(post(body));

  assert.equal(response.status, 413);
  assert.equal((await errorOf(response)).code, 'payload_too_large');
  assert.equal(recorder.claims.length, 0);
});

Deno.test('download maps each refusal to its status and code', async () => {
  const cases: [ClaimResult, number][] = [
    [{ outcome: 'file_not_found', expiresAt: null, downloadLimit: null }, 404],
    [{ outcome: 'not_purchased', expiresAt: null, downloadLimit: null }, 403],
    [{ outcome: 'access_revoked', expiresAt: null, downloadLimit: null }, 403],
    [{ outcome: 'access_suspended', expiresAt: null, downloadLimit: null }, 403],
    [{ outcome: 'payment_pending', expiresAt: null, downloadLimit: null }, 403],
    [
      { outcome: 'access_expired', expiresAt: '2026-12-03T10:00:00+00:00', downloadLimit: null },
      403,
    ],
    [{ outcome: 'download_limit_reached', expiresAt: null, downloadLimit: 3 }, 403],
  ];
  for (const [claim, status] of cases) {
    const { deps, recorder } = fakeDeps(claim);
    const handler = createDownloadHandler(deps);

    const response = await handler(post(JSON.stringify({ file_id: FILE_ID })));

    assert.equal(response.status, status, claim.outcome);
    const error = await errorOf(response);
    assert.equal(error.code, claim.outcome);
    assert.ok(error.message.includes(FILE_ID), `${claim.outcome} message names the file`);
    assert.equal(recorder.signed.length, 0, claim.outcome);
  }
});

Deno.test('download states the end date of expired access', async () => {
  const { deps } = fakeDeps({
    outcome: 'access_expired',
    expiresAt: '2026-12-03T10:00:00+00:00',
    downloadLimit: null,
  });
  const handler = createDownloadHandler(deps);

  const response = await handler(post(JSON.stringify({ file_id: FILE_ID })));

  assert.equal(
    (await errorOf(response)).message,
    `Your access to the product of file ${FILE_ID} ended on 2026-12-03T10:00:00+00:00: ` +
      'buy it again to download it.',
  );
});

Deno.test('download logs and hides unexpected failures', async () => {
  const failures: Partial<DownloadDeps>[] = [
    { getUserId: () => Promise.reject(new Error('Auth is down')) },
    { claimDownload: () => Promise.reject(new Error('connection refused')) },
    { createSignedUrl: () => Promise.reject(new Error('Storage is down')) },
  ];
  for (const failure of failures) {
    const { deps, recorder } = fakeDeps(okClaim, failure);
    const handler = createDownloadHandler(deps);

    const response = await handler(post(JSON.stringify({ file_id: FILE_ID })));

    assert.equal(response.status, 500);
    assert.deepEqual(await errorOf(response), {
      code: 'internal_error',
      message: 'The download link could not be created because of a server error: try again ' +
        'shortly.',
    });
    assert.deepEqual(recorder.errors, ['download: POST /download failed']);
  }
});

Deno.test('signed URLs move to the public origin when one is set', () => {
  const signed =
    'http://kong:8000/storage/v1/object/sign/products/a/b.pdf?token=abc&download=b.pdf';

  assert.equal(withPublicOrigin(signed, undefined), signed);
  assert.equal(
    withPublicOrigin(signed, 'http://127.0.0.1:54321'),
    'http://127.0.0.1:54321/storage/v1/object/sign/products/a/b.pdf?token=abc&download=b.pdf',
  );
  assert.equal(
    withPublicOrigin(signed, 'https://shop.example.com/api/'),
    'https://shop.example.com/api/storage/v1/object/sign/products/a/b.pdf?token=abc&download=b.pdf',
  );
});

Deno.test('requireEnv names every missing variable', () => {
  const source = (name: string) => ({ SUPABASE_URL: 'http://127.0.0.1:54321', EMPTY: ' ' })[name];

  assert.deepEqual(requireEnv(['SUPABASE_URL'], source), {
    SUPABASE_URL: 'http://127.0.0.1:54321',
  });
  assert.throws(
    () => requireEnv(['SUPABASE_URL', 'SUPABASE_ANON_KEY', 'EMPTY'], source),
    (error: unknown) =>
      error instanceof MissingEnvError &&
      error.message.startsWith('Missing environment variables SUPABASE_ANON_KEY, EMPTY:'),
  );
});

/**
 * The download Edge Function through the gateway, against the seeded catalogue: signed links
 * for entitled buyers, the refusal codes of public.claim_download, request validation, and the
 * download limit under concurrent requests.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { WebSocketLikeConstructor } from '@supabase/realtime-js';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { stackEnv } from '../env.ts';

const env = stackEnv();

/** supabase-js wants a WebSocket constructor, which Node 20 lacks; these tests use no Realtime. */
class RealtimeUnavailable {
  constructor() {
    throw new Error('Realtime is not available in these tests.');
  }
}
const FUNCTION_URL = `${env.SUPABASE_URL}/functions/v1/download`;

const BUYER_ID = 'b0000000-0000-4000-8000-000000000001';
const SPEC_FILE = {
  id: '20000000-0000-4000-8000-000000000001',
  name: 'shared-mime-info-spec.pdf',
  sizeBytes: 140429,
  sha256: '4d9666c46b4d367a12e2922f4f3b114396c377106c57bbc934d03320e6888002'
};
const SPEC_PURCHASE_ID = '30000000-0000-4000-8000-000000000001';
const SPEC_PRODUCT_ID = '10000000-0000-4000-8000-000000000001';
const TASN1_PRODUCT_ID = '10000000-0000-4000-8000-000000000002';
const TASN1_FILE_ID = '20000000-0000-4000-8000-000000000002';
const SAMPLES_PRODUCT_ID = '10000000-0000-4000-8000-000000000003';
const EXPIRED_SAMPLE_FILE_ID = '20000000-0000-4000-8000-000000000003';
const GREP_PRODUCT_ID = '10000000-0000-4000-8000-000000000004';
const GREP_FILE = {
  id: '20000000-0000-4000-8000-000000000005',
  sha256: '72f24d049df0761c0a21ec63e4cbba50426834293b49441fb6102f9d1cd2b06c'
};

interface ErrorBody {
  error: { code: string; message: string };
}

let db: pg.Pool;
let buyerToken: string;
let buyer2Token: string;

async function accessToken(email: string, password: string): Promise<string> {
  const client: SupabaseClient = createClient(env.SUPABASE_URL, env.SUPABASE_ANON_KEY, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: RealtimeUnavailable as unknown as WebSocketLikeConstructor }
  });
  const { data, error } = await client.auth.signInWithPassword({ email, password });
  if (error || !data.session) throw new Error(`Signing in ${email} failed: ${error?.message}`);
  return data.session.access_token;
}

function requestDownload(token: string | null, body: string, method = 'POST'): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  return fetch(FUNCTION_URL, { method, headers, body: method === 'GET' ? undefined : body });
}

function downloadFile(token: string, fileId: string): Promise<Response> {
  return requestDownload(token, JSON.stringify({ file_id: fileId }));
}

async function expectError(response: Response, status: number, code: string): Promise<string> {
  const body = (await response.json()) as ErrorBody;
  expect(response.status).toBe(status);
  expect(body.error.code).toBe(code);
  return body.error.message;
}

/** Creates a confirmed user straight in auth.users and returns its id and access token. */
async function createTemporaryUser(): Promise<{ id: string; token: string }> {
  const id = randomUUID();
  const email = `download-test-${id.slice(0, 8)}@example.com`;
  const password = `pw-${randomUUID()}`;
  await db.query(
    `insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
       confirmation_token, recovery_token, email_change_token_new, email_change,
       email_change_token_current, reauthentication_token, phone_change, phone_change_token,
       raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
     values ('00000000-0000-0000-0000-000000000000', $1, 'authenticated', 'authenticated', $2,
       extensions.crypt($3, extensions.gen_salt('bf')), now(), '', '', '', '', '', '', '', '',
       '{"provider": "email", "providers": ["email"]}', '{}', now(), now())`,
    [id, email, password]
  );
  await db.query(
    `insert into auth.identities (provider_id, user_id, identity_data, provider, created_at, updated_at)
     values ($1::text, $1::uuid, jsonb_build_object('sub', $1::text, 'email', $2::text), 'email', now(), now())`,
    [id, email]
  );
  return { id, token: await accessToken(email, password) };
}

beforeAll(async () => {
  db = new pg.Pool({ connectionString: env.SUPABASE_DB_URL, max: 2 });
  buyerToken = await accessToken('buyer@example.com', 'brankas-demo-buyer');
  buyer2Token = await accessToken('buyer2@example.com', 'brankas-demo-buyer2');
});

afterAll(async () => {
  await db?.end();
});

describe('entitled downloads', () => {
  test('buyer gets a link whose bytes have the seeded SHA-256', async () => {
    const response = await downloadFile(buyerToken, SPEC_FILE.id);
    const body = (await response.json()) as { url: string; expires_at: string };

    expect(response.status).toBe(200);
    expect(Object.keys(body).sort()).toEqual(['expires_at', 'url']);
    expect(body.url.startsWith(`${env.SUPABASE_URL}/storage/v1/object/sign/products/`)).toBe(true);
    expect(new Date(body.expires_at).toISOString()).toBe(body.expires_at);

    const file = await fetch(body.url);
    const bytes = Buffer.from(await file.arrayBuffer());

    expect(file.status).toBe(200);
    expect(bytes.length).toBe(SPEC_FILE.sizeBytes);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(SPEC_FILE.sha256);
    expect(file.headers.get('content-disposition')).toContain(SPEC_FILE.name);
  });

  test('the link expires after the product link lifetime', async () => {
    const before = Math.floor(Date.now() / 1000);

    const response = await downloadFile(buyerToken, SPEC_FILE.id);
    const body = (await response.json()) as { url: string; expires_at: string };
    const after = Math.ceil(Date.now() / 1000);
    const expiresAt = Date.parse(body.expires_at) / 1000;

    expect(response.status).toBe(200);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 300);
    expect(expiresAt).toBeLessThanOrEqual(after + 300);
  });

  test('each link counts one download and records it', async () => {
    const before = await db.query(
      `select download_count, (select count(*)::int from public.downloads where purchase_id = $1) as rows
         from public.purchases where id = $1`,
      [SPEC_PURCHASE_ID]
    );

    const response = await downloadFile(buyerToken, SPEC_FILE.id);
    expect(response.status).toBe(200);

    const after = await db.query(
      `select download_count, (select count(*)::int from public.downloads where purchase_id = $1) as rows
         from public.purchases where id = $1`,
      [SPEC_PURCHASE_ID]
    );
    expect(after.rows[0].download_count).toBe(before.rows[0].download_count + 1);
    expect(after.rows[0].rows).toBe(before.rows[0].rows + 1);

    const latest = await db.query(
      `select user_id, file_id, url_expires_at - created_at = interval '300 seconds' as lifetime_matches
         from public.downloads where purchase_id = $1 order by created_at desc limit 1`,
      [SPEC_PURCHASE_ID]
    );
    expect(latest.rows).toEqual([
      { user_id: BUYER_ID, file_id: SPEC_FILE.id, lifetime_matches: true }
    ]);
  });

  test('second buyer downloads the product they own', async () => {
    const response = await downloadFile(buyer2Token, GREP_FILE.id);
    const body = (await response.json()) as { url: string };
    const file = await fetch(body.url);
    const bytes = Buffer.from(await file.arrayBuffer());

    expect(response.status).toBe(200);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(GREP_FILE.sha256);
  });
});

describe('refusals', () => {
  test('second buyer gets 403 for the first buyer’s file', async () => {
    const message = await expectError(
      await downloadFile(buyer2Token, SPEC_FILE.id),
      403,
      'not_purchased'
    );

    expect(message).toBe(
      `File ${SPEC_FILE.id} belongs to a product you have not bought: buy the product to download it.`
    );
  });

  test('buyer gets 403 for a product they do not own', async () => {
    await expectError(await downloadFile(buyerToken, GREP_FILE.id), 403, 'not_purchased');
  });

  test('expired purchase gets 403 access_expired', async () => {
    const message = await expectError(
      await downloadFile(buyerToken, EXPIRED_SAMPLE_FILE_ID),
      403,
      'access_expired'
    );

    expect(message).toMatch(
      new RegExp(
        `^Your access to the product of file ${EXPIRED_SAMPLE_FILE_ID} ended on \\d{4}-\\d{2}-\\d{2}T`
      )
    );
  });

  test('unknown file gets 404', async () => {
    const unknown = '20000000-0000-4000-8000-00000000ffff';

    const message = await expectError(
      await downloadFile(buyerToken, unknown),
      404,
      'file_not_found'
    );

    expect(message).toBe(
      `No file with id ${unknown} exists: use a file_id listed in your library.`
    );
  });

  describe('purchase states', () => {
    let user: { id: string; token: string };

    beforeAll(async () => {
      user = await createTemporaryUser();
      await db.query(
        `insert into public.purchases (user_id, product_id, revoked_at, revoke_reason)
         values ($1, $2, now(), 'refunded')`,
        [user.id, TASN1_PRODUCT_ID]
      );
      await db.query(
        `insert into public.purchases (user_id, product_id, suspended_at) values ($1, $2, now())`,
        [user.id, SAMPLES_PRODUCT_ID]
      );
      await db.query(
        `insert into public.purchases (user_id, product_id, granted_at) values ($1, $2, null)`,
        [user.id, GREP_PRODUCT_ID]
      );
    });

    afterAll(async () => {
      await db.query('delete from auth.users where id = $1', [user.id]);
    });

    test.each([
      ['revoked', TASN1_FILE_ID, 'access_revoked'],
      ['suspended', EXPIRED_SAMPLE_FILE_ID, 'access_suspended'],
      ['awaiting payment', GREP_FILE.id, 'payment_pending']
    ])('a %s purchase gets 403 %s', async (_state, fileId, code) => {
      await expectError(await downloadFile(user.token, fileId), 403, code);
    });

    test('refusals count no download', async () => {
      const { rows } = await db.query(
        `select coalesce(sum(download_count), 0)::int as counted,
                (select count(*)::int from public.downloads where user_id = $1) as recorded
           from public.purchases where user_id = $1`,
        [user.id]
      );

      expect(rows).toEqual([{ counted: 0, recorded: 0 }]);
    });
  });
});

describe('request validation', () => {
  test.each([
    ['invalid JSON', '{"file_id": ', 'invalid_json'],
    ['missing file_id', '{}', 'invalid_request'],
    ['file_id not a UUID', '{"file_id": "../../etc/passwd"}', 'invalid_request'],
    ['array body', '[1, 2]', 'invalid_request']
  ])('%s gets 400', async (_name, body, code) => {
    await expectError(await requestDownload(buyerToken, body), 400, code);
  });

  test('a request without a JWT gets 401', async () => {
    const response = await requestDownload(null, JSON.stringify({ file_id: SPEC_FILE.id }));

    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ msg: 'Error: Missing authorization header' });
  });

  test('the anon key is not a user and gets 401', async () => {
    const response = await requestDownload(
      env.SUPABASE_ANON_KEY,
      JSON.stringify({ file_id: SPEC_FILE.id })
    );

    await expectError(response, 401, 'invalid_token');
  });

  test('GET gets 405', async () => {
    const response = await requestDownload(buyerToken, '', 'GET');

    await expectError(response, 405, 'method_not_allowed');
    expect(response.headers.get('allow')).toBe('POST, OPTIONS');
  });

  test('a CORS preflight is answered', async () => {
    const response = await fetch(FUNCTION_URL, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://127.0.0.1:5173',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type, apikey, x-client-info'
      }
    });

    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')).toBe('POST, OPTIONS');
    expect(response.headers.get('access-control-allow-headers')).toBe(
      'authorization, x-client-info, apikey, content-type'
    );
  });
});

describe('download limit', () => {
  let user: { id: string; token: string };
  let purchaseId: string;

  beforeAll(async () => {
    user = await createTemporaryUser();
    const { rows } = await db.query(
      `insert into public.purchases (user_id, product_id, download_limit) values ($1, $2, 3) returning id`,
      [user.id, GREP_PRODUCT_ID]
    );
    purchaseId = rows[0].id;
  });

  afterAll(async () => {
    await db.query('delete from auth.users where id = $1', [user.id]);
  });

  test('twenty concurrent requests against a limit of 3 yield exactly three links', async () => {
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => downloadFile(user.token, GREP_FILE.id))
    );
    const bodies = await Promise.all(responses.map((response) => response.json()));

    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(3);
    expect(statuses.filter((status) => status === 403)).toHaveLength(17);
    const refusalCodes = bodies
      .filter((body) => 'error' in body)
      .map((body) => (body as ErrorBody).error.code);
    expect(new Set(refusalCodes)).toEqual(new Set(['download_limit_reached']));
    expect(bodies.filter((body) => 'url' in body)).toHaveLength(3);

    const { rows } = await db.query(
      `select download_count, (select count(*)::int from public.downloads where purchase_id = $1) as recorded
         from public.purchases where id = $1`,
      [purchaseId]
    );
    expect(rows).toEqual([{ download_count: 3, recorded: 3 }]);
  });

  test('claim_download stays within the limit across overlapping transactions', async () => {
    const { rows } = await db.query(
      `insert into public.purchases (user_id, product_id, download_limit) values ($1, $2, 3) returning id`,
      [user.id, SPEC_PRODUCT_ID]
    );
    const overlapPurchaseId = rows[0].id as string;
    const pool = new pg.Pool({ connectionString: env.SUPABASE_DB_URL, max: 20 });

    // Each claim keeps its transaction open for a moment after claiming, so the other claims
    // read the purchase before that commit and must re-check the limit on the locked row.
    const claim = async () => {
      const client = await pool.connect();
      try {
        await client.query('begin');
        await client.query('set local role service_role');
        const result = await client.query('select outcome from public.claim_download($1, $2)', [
          user.id,
          SPEC_FILE.id
        ]);
        await client.query('select pg_sleep(0.05)');
        await client.query('commit');
        return result.rows[0].outcome as string;
      } finally {
        client.release();
      }
    };
    const outcomes = await Promise.all(Array.from({ length: 20 }, claim)).finally(() => pool.end());

    expect(outcomes.filter((outcome) => outcome === 'ok')).toHaveLength(3);
    expect(outcomes.filter((outcome) => outcome === 'download_limit_reached')).toHaveLength(17);
    const stored = await db.query(
      `select download_count, (select count(*)::int from public.downloads where purchase_id = $1) as recorded
         from public.purchases where id = $1`,
      [overlapPurchaseId]
    );
    expect(stored.rows).toEqual([{ download_count: 3, recorded: 3 }]);
  });

  test('the limit message names the limit', async () => {
    const message = await expectError(
      await downloadFile(user.token, GREP_FILE.id),
      403,
      'download_limit_reached'
    );

    expect(message).toBe(
      `You have used all 3 downloads of the product of file ${GREP_FILE.id}: contact support if you need another.`
    );
  });
});

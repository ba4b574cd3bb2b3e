/**
 * Row-level security of the catalogue, per actor: what anon, the demo buyer, the second buyer,
 * an admin and the service role can read and write in products, product_files, purchases,
 * downloads, the library view and the `products` bucket. Counts are over the seeded rows (by
 * id), so rows that other suites add for their own users do not change them, and every query
 * as a buyer also checks that no other user's row comes back.
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

const USERS = {
  buyer: 'b0000000-0000-4000-8000-000000000001',
  buyer2: 'b0000000-0000-4000-8000-000000000002',
  admin: 'a0000000-0000-4000-8000-000000000001'
};

const PRODUCTS = {
  spec: '10000000-0000-4000-8000-000000000001',
  tasn1: '10000000-0000-4000-8000-000000000002',
  samples: '10000000-0000-4000-8000-000000000003',
  grep: '10000000-0000-4000-8000-000000000004',
  sedDraft: '10000000-0000-4000-8000-000000000005'
};

const FILES = {
  spec: '20000000-0000-4000-8000-000000000001',
  tasn1: '20000000-0000-4000-8000-000000000002',
  pcm16: '20000000-0000-4000-8000-000000000003',
  pcm24: '20000000-0000-4000-8000-000000000004',
  grep: '20000000-0000-4000-8000-000000000005',
  sed: '20000000-0000-4000-8000-000000000006'
};

const PURCHASES = {
  buyerSpecForLife: '30000000-0000-4000-8000-000000000001',
  buyerTasn1For30Days: '30000000-0000-4000-8000-000000000002',
  buyerSamplesExpired: '30000000-0000-4000-8000-000000000003',
  buyer2GrepForLife: '30000000-0000-4000-8000-000000000004'
};

const DOWNLOADS = {
  buyerSpec: '40000000-0000-4000-8000-000000000001',
  buyerTasn1First: '40000000-0000-4000-8000-000000000002',
  buyerTasn1Second: '40000000-0000-4000-8000-000000000003',
  buyer2Grep: '40000000-0000-4000-8000-000000000004'
};

const ids = (record: Record<string, string>) => Object.values(record).sort();

type Actor = 'anon' | 'buyer' | 'buyer2' | 'admin' | 'service';

function newClient(key: string): SupabaseClient {
  return createClient(env.SUPABASE_URL, key, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: RealtimeUnavailable as unknown as WebSocketLikeConstructor }
  });
}

async function signedIn(email: string, password: string): Promise<SupabaseClient> {
  const client = newClient(env.SUPABASE_ANON_KEY);
  const { error } = await client.auth.signInWithPassword({ email, password });
  if (error) throw new Error(`Signing in ${email} failed: ${error.message}`);
  return client;
}

const clients = {} as Record<Actor, SupabaseClient>;
let db: pg.Pool;

beforeAll(async () => {
  db = new pg.Pool({ connectionString: env.SUPABASE_DB_URL, max: 2 });
  clients.anon = newClient(env.SUPABASE_ANON_KEY);
  clients.service = newClient(env.SUPABASE_SERVICE_ROLE_KEY);
  clients.buyer = await signedIn('buyer@example.com', 'brankas-demo-buyer');
  clients.buyer2 = await signedIn('buyer2@example.com', 'brankas-demo-buyer2');
  clients.admin = await signedIn('admin@example.com', 'brankas-demo-admin');
});

afterAll(async () => {
  await db?.end();
});

/** Returns the sorted ids of `table` rows among `among` that `actor` can read. */
async function visibleIds(actor: Actor, table: string, among: string[], column = 'id') {
  const { data, error } = await clients[actor].from(table).select(column).in(column, among);
  expect(error).toBeNull();
  return (data as unknown as Record<string, string>[]).map((row) => row[column]).sort();
}

/** Asserts that every row of `table` visible to a buyer belongs to them. */
async function expectOnlyOwnRows(actor: 'buyer' | 'buyer2', table: string) {
  const { data, error } = await clients[actor].from(table).select('user_id');
  expect(error).toBeNull();
  const owners = new Set((data as { user_id: string }[]).map((row) => row.user_id));
  expect([...owners]).toEqual([USERS[actor]]);
}

async function expectPermissionDenied(actor: Actor, table: string, kind = 'table') {
  const { data, error, status } = await clients[actor].from(table).select('*');
  expect(data).toBeNull();
  expect(error?.code).toBe('42501');
  expect(error?.message).toBe(`permission denied for ${kind} ${table}`);
  expect(status).toBe(actor === 'anon' ? 401 : 403);
}

describe('products', () => {
  const published = [PRODUCTS.spec, PRODUCTS.tasn1, PRODUCTS.samples, PRODUCTS.grep].sort();

  test.each([
    ['anon', published],
    ['buyer', published],
    ['buyer2', published],
    ['admin', ids(PRODUCTS)],
    ['service', ids(PRODUCTS)]
  ] as [Actor, string[]][])(
    '%s reads exactly the expected seeded products',
    async (actor, expected) => {
      expect(await visibleIds(actor, 'products', ids(PRODUCTS))).toEqual(expected);
    }
  );

  test('anon cannot read the draft product by its id', async () => {
    const { data, error } = await clients.anon
      .from('products')
      .select('id')
      .eq('id', PRODUCTS.sedDraft);

    expect(error).toBeNull();
    expect(data).toEqual([]);
  });

  test('anon cannot create a product', async () => {
    const { error, status } = await clients.anon.from('products').insert({
      slug: `anon-${randomUUID()}`,
      title: 'x',
      price_amount: 100,
      currency: 'USD',
      file_format: 'PDF'
    });

    expect(status).toBe(401);
    expect(error?.code).toBe('42501');
    expect(error?.message).toBe('permission denied for table products');
  });

  test('buyer cannot create a product', async () => {
    const { error, status } = await clients.buyer.from('products').insert({
      slug: `buyer-${randomUUID()}`,
      title: 'x',
      price_amount: 100,
      currency: 'USD',
      file_format: 'PDF'
    });

    expect(status).toBe(403);
    expect(error?.code).toBe('42501');
    expect(error?.message).toBe('new row violates row-level security policy for table "products"');
  });

  test('buyer cannot change or delete a product', async () => {
    const updated = await clients.buyer
      .from('products')
      .update({ price_amount: 100 })
      .eq('id', PRODUCTS.spec)
      .select('id');
    const deleted = await clients.buyer
      .from('products')
      .delete()
      .eq('id', PRODUCTS.spec)
      .select('id');
    const stored = await db.query('select price_amount from public.products where id = $1', [
      PRODUCTS.spec
    ]);

    expect(updated.error).toBeNull();
    expect(updated.data).toEqual([]);
    expect(deleted.error).toBeNull();
    expect(deleted.data).toEqual([]);
    expect(stored.rows).toEqual([{ price_amount: '7500000' }]);
  });

  test('admin creates, updates and deletes a product with a file', async () => {
    const slug = `admin-test-${randomUUID().slice(0, 8)}`;

    const created = await clients.admin
      .from('products')
      .insert({
        slug,
        title: 'Admin test product',
        price_amount: 1500000,
        currency: 'IDR',
        file_format: 'PDF'
      })
      .select('id, status, link_lifetime_seconds')
      .single();
    expect(created.error).toBeNull();
    expect(created.data?.status).toBe('draft');
    expect(created.data?.link_lifetime_seconds).toBe(300);
    const productId = created.data!.id as string;

    try {
      const file = await clients.admin
        .from('product_files')
        .insert({
          product_id: productId,
          name: 'test.pdf',
          storage_path: `${slug}/test.pdf`,
          format: 'PDF',
          size_bytes: 3,
          sha256: createHash('sha256').update('abc').digest('hex')
        })
        .select('id')
        .single();
      expect(file.error).toBeNull();

      const before = await db.query('select updated_at from public.products where id = $1', [
        productId
      ]);
      const updated = await clients.admin
        .from('products')
        .update({ status: 'published', title: 'Admin test product, published' })
        .eq('id', productId)
        .select('status, title, updated_at')
        .single();
      expect(updated.error).toBeNull();
      expect(updated.data?.status).toBe('published');
      expect(updated.data?.title).toBe('Admin test product, published');
      expect(Date.parse(updated.data!.updated_at as string)).toBeGreaterThan(
        (before.rows[0].updated_at as Date).getTime()
      );

      const deleted = await clients.admin
        .from('products')
        .delete()
        .eq('id', productId)
        .select('id');
      expect(deleted.error).toBeNull();
      expect(deleted.data).toEqual([{ id: productId }]);
      const files = await db.query('select id from public.product_files where product_id = $1', [
        productId
      ]);
      expect(files.rows).toEqual([]);
    } finally {
      await db.query('delete from public.products where id = $1', [productId]);
    }
  });

  test('check constraints reject an IDR price with sen', async () => {
    const { error } = await clients.admin.from('products').insert({
      slug: `sen-${randomUUID().slice(0, 8)}`,
      title: 'x',
      price_amount: 1000050,
      currency: 'IDR',
      file_format: 'PDF'
    });

    expect(error?.code).toBe('23514');
    expect(error?.message).toBe(
      'new row for relation "products" violates check constraint "products_idr_whole_rupiah"'
    );
  });
});

describe('product_files', () => {
  test('anon cannot read product files', async () => {
    await expectPermissionDenied('anon', 'product_files');
  });

  test.each([
    ['buyer', [FILES.spec, FILES.tasn1, FILES.pcm16, FILES.pcm24].sort()],
    ['buyer2', [FILES.grep]],
    ['admin', ids(FILES)],
    ['service', ids(FILES)]
  ] as [Actor, string[]][])(
    '%s reads exactly the files of the products they may see',
    async (actor, expected) => {
      expect(await visibleIds(actor, 'product_files', ids(FILES))).toEqual(expected);
    }
  );

  test('buyer cannot add a file to a product', async () => {
    const { error, status } = await clients.buyer.from('product_files').insert({
      product_id: PRODUCTS.spec,
      name: 'extra.pdf',
      storage_path: 'shared-mime-info-spec/extra.pdf',
      format: 'PDF',
      size_bytes: 1,
      sha256: '0'.repeat(64)
    });

    expect(status).toBe(403);
    expect(error?.code).toBe('42501');
    expect(error?.message).toBe(
      'new row violates row-level security policy for table "product_files"'
    );
  });

  test('buyer cannot repoint a file of a product they hold', async () => {
    const { data, error } = await clients.buyer
      .from('product_files')
      .update({ storage_path: 'gnu-grep-manual/grep.info.gz' })
      .eq('id', FILES.spec)
      .select('id');
    const stored = await db.query('select storage_path from public.product_files where id = $1', [
      FILES.spec
    ]);

    expect(error).toBeNull();
    expect(data).toEqual([]);
    expect(stored.rows).toEqual([
      { storage_path: 'shared-mime-info-spec/shared-mime-info-spec.pdf' }
    ]);
  });
});

describe('purchases', () => {
  test('anon cannot read purchases', async () => {
    await expectPermissionDenied('anon', 'purchases');
  });

  test.each([
    [
      'buyer',
      [
        PURCHASES.buyerSpecForLife,
        PURCHASES.buyerTasn1For30Days,
        PURCHASES.buyerSamplesExpired
      ].sort()
    ],
    ['buyer2', [PURCHASES.buyer2GrepForLife]],
    ['admin', ids(PURCHASES)],
    ['service', ids(PURCHASES)]
  ] as [Actor, string[]][])(
    '%s reads exactly the expected seeded purchases',
    async (actor, expected) => {
      expect(await visibleIds(actor, 'purchases', ids(PURCHASES))).toEqual(expected);
    }
  );

  test.each(['buyer', 'buyer2'] as const)('%s reads no purchase of another user', async (actor) => {
    await expectOnlyOwnRows(actor, 'purchases');
  });

  test('buyer cannot insert a purchase', async () => {
    const { data, error, status } = await clients.buyer
      .from('purchases')
      .insert({ user_id: USERS.buyer, product_id: PRODUCTS.grep });

    expect(data).toBeNull();
    expect(status).toBe(403);
    expect(error?.code).toBe('42501');
    expect(error?.message).toBe('permission denied for table purchases');
  });

  test('buyer cannot update a purchase', async () => {
    const { data, error, status } = await clients.buyer
      .from('purchases')
      .update({ expires_at: null })
      .eq('id', PURCHASES.buyerSamplesExpired);
    const stored = await db.query(
      'select expires_at < now() as expired from public.purchases where id = $1',
      [PURCHASES.buyerSamplesExpired]
    );

    expect(data).toBeNull();
    expect(status).toBe(403);
    expect(error?.code).toBe('42501');
    expect(error?.message).toBe('permission denied for table purchases');
    expect(stored.rows).toEqual([{ expired: true }]);
  });

  test('buyer cannot delete a purchase', async () => {
    const { error } = await clients.buyer
      .from('purchases')
      .delete()
      .eq('id', PURCHASES.buyerSpecForLife);

    expect(error?.code).toBe('42501');
    expect(error?.message).toBe('permission denied for table purchases');
  });

  test('admin cannot insert a purchase through the API', async () => {
    const { error } = await clients.admin
      .from('purchases')
      .insert({ user_id: USERS.admin, product_id: PRODUCTS.grep });

    expect(error?.code).toBe('42501');
    expect(error?.message).toBe('permission denied for table purchases');
  });

  test('a new purchase takes its terms from the product', async () => {
    const purchaseId = randomUUID();
    try {
      const inserted = await db.query(
        `insert into public.purchases (id, user_id, product_id, granted_at)
         values ($1, $2, $3, now() - interval '1 day')
         returning expires_at - granted_at = interval '365 days' as one_year, download_limit`,
        [purchaseId, USERS.buyer2, PRODUCTS.tasn1]
      );

      expect(inserted.rows).toEqual([{ one_year: true, download_limit: 10 }]);
    } finally {
      await db.query('delete from public.purchases where id = $1', [purchaseId]);
    }
  });

  test('a pending purchase gets its expiry when granted', async () => {
    const purchaseId = randomUUID();
    try {
      const pending = await db.query(
        `insert into public.purchases (id, user_id, product_id, granted_at)
         values ($1, $2, $3, null)
         returning expires_at`,
        [purchaseId, USERS.buyer2, PRODUCTS.samples]
      );
      const granted = await db.query(
        `update public.purchases set granted_at = now() where id = $1
         returning expires_at - granted_at = interval '30 days' as thirty_days`,
        [purchaseId]
      );

      expect(pending.rows).toEqual([{ expires_at: null }]);
      expect(granted.rows).toEqual([{ thirty_days: true }]);
    } finally {
      await db.query('delete from public.purchases where id = $1', [purchaseId]);
    }
  });
});

describe('downloads', () => {
  test('anon cannot read downloads', async () => {
    await expectPermissionDenied('anon', 'downloads');
  });

  test.each([
    ['buyer', [DOWNLOADS.buyerSpec, DOWNLOADS.buyerTasn1First, DOWNLOADS.buyerTasn1Second].sort()],
    ['buyer2', [DOWNLOADS.buyer2Grep]],
    ['admin', ids(DOWNLOADS)],
    ['service', ids(DOWNLOADS)]
  ] as [Actor, string[]][])(
    '%s reads exactly the expected seeded downloads',
    async (actor, expected) => {
      expect(await visibleIds(actor, 'downloads', ids(DOWNLOADS))).toEqual(expected);
    }
  );

  test.each(['buyer', 'buyer2'] as const)('%s reads no download of another user', async (actor) => {
    await expectOnlyOwnRows(actor, 'downloads');
  });

  test('buyer cannot record a download', async () => {
    const { error, status } = await clients.buyer.from('downloads').insert({
      purchase_id: PURCHASES.buyerSpecForLife,
      file_id: FILES.spec,
      user_id: USERS.buyer,
      url_expires_at: new Date(Date.now() + 60_000).toISOString()
    });

    expect(status).toBe(403);
    expect(error?.code).toBe('42501');
    expect(error?.message).toBe('permission denied for table downloads');
  });
});

describe('library view', () => {
  async function libraryStatuses(actor: Actor) {
    const { data, error } = await clients[actor]
      .from('library')
      .select('purchase_id, access_status')
      .in('purchase_id', ids(PURCHASES))
      .order('purchase_id');
    expect(error).toBeNull();
    return data;
  }

  test('buyer sees each seeded purchase with its access status', async () => {
    expect(await libraryStatuses('buyer')).toEqual([
      { purchase_id: PURCHASES.buyerSpecForLife, access_status: 'active' },
      { purchase_id: PURCHASES.buyerTasn1For30Days, access_status: 'active' },
      { purchase_id: PURCHASES.buyerSamplesExpired, access_status: 'expired' }
    ]);
  });

  test('second buyer sees only their own purchase', async () => {
    expect(await libraryStatuses('buyer2')).toEqual([
      { purchase_id: PURCHASES.buyer2GrepForLife, access_status: 'active' }
    ]);
  });

  test('admin library holds only the admin’s own purchases', async () => {
    expect(await libraryStatuses('admin')).toEqual([]);
  });

  test('anon cannot read the library', async () => {
    await expectPermissionDenied('anon', 'library', 'view');
  });
});

describe('held products that are not published', () => {
  const productId = randomUUID();
  const fileId = randomUUID();
  const heldId = randomUUID();
  const revokedId = randomUUID();

  beforeAll(async () => {
    await db.query(
      `insert into public.products (id, slug, status, title, price_amount, currency, file_format)
       values ($1, $2, 'draft', 'Withdrawn product', 1000000, 'IDR', 'PDF')`,
      [productId, `withdrawn-${productId.slice(0, 8)}`]
    );
    await db.query(
      `insert into public.product_files (id, product_id, name, storage_path, format, size_bytes, sha256)
       values ($1, $2, 'withdrawn.pdf', $3, 'PDF', 1, $4)`,
      [fileId, productId, `withdrawn-${productId.slice(0, 8)}/withdrawn.pdf`, '0'.repeat(64)]
    );
    await db.query(`insert into public.purchases (id, user_id, product_id) values ($1, $2, $3)`, [
      heldId,
      USERS.buyer2,
      productId
    ]);
    await db.query(
      `insert into public.purchases (id, user_id, product_id, revoked_at, revoke_reason)
       values ($1, $2, $3, now(), 'refunded')`,
      [revokedId, USERS.buyer, productId]
    );
  });

  afterAll(async () => {
    await db.query('delete from public.purchases where product_id = $1', [productId]);
    await db.query('delete from public.products where id = $1', [productId]);
  });

  test('a holder still sees the product and its files', async () => {
    expect(await visibleIds('buyer2', 'products', [productId])).toEqual([productId]);
    expect(await visibleIds('buyer2', 'product_files', [fileId])).toEqual([fileId]);
  });

  test('a buyer whose purchase was revoked sees the product but not its files', async () => {
    expect(await visibleIds('buyer', 'products', [productId])).toEqual([productId]);
    expect(await visibleIds('buyer', 'product_files', [fileId])).toEqual([]);
  });

  test('the library shows each purchase with its status', async () => {
    const revoked = await clients.buyer
      .from('library')
      .select('access_status, title')
      .eq('purchase_id', revokedId);
    const held = await clients.buyer2
      .from('library')
      .select('access_status, title')
      .eq('purchase_id', heldId);

    expect(revoked.error).toBeNull();
    expect(revoked.data).toEqual([{ access_status: 'revoked', title: 'Withdrawn product' }]);
    expect(held.error).toBeNull();
    expect(held.data).toEqual([{ access_status: 'active', title: 'Withdrawn product' }]);
  });

  test('anon does not see it and an admin does', async () => {
    expect(await visibleIds('anon', 'products', [productId])).toEqual([]);
    expect(await visibleIds('admin', 'products', [productId])).toEqual([productId]);
    expect(await visibleIds('admin', 'product_files', [fileId])).toEqual([fileId]);
  });
});

describe('products bucket', () => {
  const specPath = 'shared-mime-info-spec/shared-mime-info-spec.pdf';

  test('is private with a 50 MiB limit', async () => {
    const { rows } = await db.query(
      'select public, file_size_limit from storage.buckets where id = $1',
      ['products']
    );

    expect(rows).toEqual([{ public: false, file_size_limit: '52428800' }]);
  });

  test.each(['anon', 'buyer'] as Actor[])('%s cannot download a product object', async (actor) => {
    const { data, error } = await clients[actor].storage.from('products').download(specPath);

    expect(data).toBeNull();
    expect(error).not.toBeNull();
  });

  test('buyer cannot sign a URL for a product object', async () => {
    const { data, error } = await clients.buyer.storage
      .from('products')
      .createSignedUrl(specPath, 60);

    expect(data).toBeNull();
    expect(error).not.toBeNull();
  });

  test('buyer cannot upload into the bucket', async () => {
    const { data, error } = await clients.buyer.storage
      .from('products')
      .upload(`shared-mime-info-spec/${randomUUID()}.pdf`, new Blob(['%PDF-1.5']), {
        contentType: 'application/pdf'
      });

    expect(data).toBeNull();
    expect(error).not.toBeNull();
  });

  test('admin downloads the seeded object with its recorded SHA-256', async () => {
    const { data, error } = await clients.admin.storage.from('products').download(specPath);

    expect(error).toBeNull();
    const bytes = Buffer.from(await data!.arrayBuffer());
    expect(bytes.length).toBe(140429);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(
      '4d9666c46b4d367a12e2922f4f3b114396c377106c57bbc934d03320e6888002'
    );
  });

  test('admin uploads and deletes an object', async () => {
    const objectPath = `admin-upload-test/${randomUUID()}.txt`;

    const uploaded = await clients.admin.storage
      .from('products')
      .upload(objectPath, new Blob(['hello']), { contentType: 'text/plain' });
    const removed = await clients.admin.storage.from('products').remove([objectPath]);
    const rows = await db.query(
      'select 1 from storage.objects where bucket_id = $1 and name = $2',
      ['products', objectPath]
    );

    expect(uploaded.error).toBeNull();
    expect(removed.error).toBeNull();
    expect(removed.data?.map((object) => object.name)).toEqual([objectPath]);
    expect(rows.rows).toEqual([]);
  });
});

describe('database privileges', () => {
  test('every table in public has row-level security enabled', async () => {
    const { rows } = await db.query(
      `select c.relname
         from pg_class c
         join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relrowsecurity
        order by c.relname`
    );

    expect(rows).toEqual([]);
  });

  test('every view in public runs with the caller’s privileges', async () => {
    const { rows } = await db.query(
      `select c.relname
         from pg_class c
         join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind = 'v'
          and not coalesce('security_invoker=true' = any (c.reloptions), false)
        order by c.relname`
    );

    expect(rows).toEqual([]);
  });

  test('only service_role may execute claim_download', async () => {
    const { rows } = await db.query(
      `select role, has_function_privilege(role, 'public.claim_download(uuid, uuid)', 'execute') as allowed
         from unnest(array['anon', 'authenticated', 'service_role']) as role
        order by role`
    );

    expect(rows).toEqual([
      { role: 'anon', allowed: false },
      { role: 'authenticated', allowed: false },
      { role: 'service_role', allowed: true }
    ]);
  });

  test('buyer cannot call claim_download through the API', async () => {
    const { data, error } = await clients.buyer.rpc('claim_download', {
      p_user_id: USERS.buyer,
      p_file_id: FILES.spec
    });

    expect(data).toBeNull();
    expect(error?.code).toBe('42501');
    expect(error?.message).toBe('permission denied for function claim_download');
  });

  test('no function in private is executable by anon', async () => {
    const { rows } = await db.query(
      `select p.proname
         from pg_proc p
         join pg_namespace n on n.oid = p.pronamespace
        where n.nspname = 'private' and has_function_privilege('anon', p.oid, 'execute')
        order by p.proname`
    );

    expect(rows).toEqual([]);
  });
});

/*
 * Demo data for local development and the test suites: three accounts, five products built
 * from real files (supabase/seed-files, sources and licences in its LICENSES.md) and the demo
 * buyers' purchases. Times are relative to now() when the seed runs.
 *
 * The file bytes live in the private `products` bucket; `supabase db reset` does not upload
 * them, so run `npx tsx scripts/upload-seed-files.ts` afterwards (the local stack in stack/
 * does it by itself after seeding). size_bytes and sha256 below must match those files.
 */

/* Accounts. Passwords: brankas-demo-buyer, brankas-demo-buyer2, brankas-demo-admin. */
insert into auth.users (
  instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
  confirmation_token, recovery_token, email_change_token_new, email_change,
  email_change_token_current, reauthentication_token, phone_change, phone_change_token,
  raw_app_meta_data, raw_user_meta_data, is_super_admin, created_at, updated_at
)
select
  '00000000-0000-0000-0000-000000000000', account.id::uuid, 'authenticated', 'authenticated',
  account.email, extensions.crypt(account.password, extensions.gen_salt('bf')), now(),
  '', '', '', '', '', '', '', '',
  account.app_metadata::jsonb, account.user_metadata::jsonb, false,
  now() - interval '400 days', now() - interval '400 days'
from (
  values
    ('b0000000-0000-4000-8000-000000000001', 'buyer@example.com', 'brankas-demo-buyer',
     '{"provider": "email", "providers": ["email"]}', '{"full_name": "Demo Buyer"}'),
    ('b0000000-0000-4000-8000-000000000002', 'buyer2@example.com', 'brankas-demo-buyer2',
     '{"provider": "email", "providers": ["email"]}', '{"full_name": "Second Demo Buyer"}'),
    ('a0000000-0000-4000-8000-000000000001', 'admin@example.com', 'brankas-demo-admin',
     '{"provider": "email", "providers": ["email"], "role": "admin"}', '{"full_name": "Demo Admin"}')
) as account (id, email, password, app_metadata, user_metadata);

insert into auth.identities (
  id, provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at
)
select
  identity.id::uuid, u.id::text, u.id,
  jsonb_build_object(
    'sub', u.id::text, 'email', u.email, 'email_verified', true, 'phone_verified', false
  ),
  'email', null, u.created_at, u.created_at
from (
  values
    ('e0000000-0000-4000-8000-000000000001', 'b0000000-0000-4000-8000-000000000001'),
    ('e0000000-0000-4000-8000-000000000002', 'b0000000-0000-4000-8000-000000000002'),
    ('e0000000-0000-4000-8000-000000000003', 'a0000000-0000-4000-8000-000000000001')
) as identity (id, user_id)
join auth.users u on u.id = identity.user_id::uuid;

/* Catalogue: four published products and one draft. */
insert into public.products (
  id, slug, status, title, description, price_amount, currency, file_format,
  system_requirements, link_lifetime_seconds, access_days, download_limit
)
values
  (
    '10000000-0000-4000-8000-000000000001',
    'shared-mime-info-spec',
    'published',
    'Shared MIME-info Database Specification',
    'The freedesktop.org specification that Linux desktops follow to recognise file types: '
      || 'the XML format of MIME type definitions, glob and magic rules, and how '
      || 'applications look types up. Version shipped with shared-mime-info 2.2.',
    7500000, 'IDR', 'PDF', 'Any PDF reader.', 300, null, null
  ),
  (
    '10000000-0000-4000-8000-000000000002',
    'libtasn1-manual',
    'published',
    'GNU Libtasn1 Reference Manual',
    'The complete manual of GNU Libtasn1 4.19, the ASN.1 library behind GnuTLS: DER '
      || 'encoding and decoding, the ASN.1 syntax it accepts, and every function of its C API.',
    1200, 'USD', 'PDF', 'Any PDF reader.', 600, 365, 10
  ),
  (
    '10000000-0000-4000-8000-000000000003',
    'plucked-string-samples',
    'published',
    'Plucked String Samples',
    'Two short stereo recordings of a plucked string at 11 025 Hz, as 16-bit and 24-bit PCM '
      || 'WAV files: handy for testing audio decoders and players.',
    4500000, 'IDR', 'WAV (2 files)', 'Any player that reads PCM WAV.', 300, 30, null
  ),
  (
    '10000000-0000-4000-8000-000000000004',
    'gnu-grep-manual',
    'published',
    'GNU grep Manual',
    'The manual of GNU grep 3.8: invoking grep, regular expression syntax, exit status, '
      || 'performance and the environment variables it reads.',
    450, 'USD', 'Info (gzip)', 'An Info reader such as `info` or Emacs.', 300, null, 5
  ),
  (
    '10000000-0000-4000-8000-000000000005',
    'gnu-sed-manual',
    'draft',
    'GNU sed Manual',
    'The manual of GNU sed 4.9, the stream editor: commands, addresses, regular expressions '
      || 'and worked examples.',
    3000000, 'IDR', 'Info (gzip)', 'An Info reader such as `info` or Emacs.', 300, null, null
  );

insert into public.product_files (
  id, product_id, name, storage_path, format, size_bytes, sha256, position
)
values
  ('20000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000001',
   'shared-mime-info-spec.pdf', 'shared-mime-info-spec/shared-mime-info-spec.pdf', 'PDF',
   140429, '4d9666c46b4d367a12e2922f4f3b114396c377106c57bbc934d03320e6888002', 0),
  ('20000000-0000-4000-8000-000000000002', '10000000-0000-4000-8000-000000000002',
   'libtasn1.pdf', 'libtasn1-manual/libtasn1.pdf', 'PDF',
   262961, '3917eb460d87e275f9792b3597029873fd77890ed3ccebe40bbc5a3a7ee516d3', 0),
  ('20000000-0000-4000-8000-000000000003', '10000000-0000-4000-8000-000000000003',
   'pluck-pcm16.wav', 'plucked-string-samples/pluck-pcm16.wav', 'WAV',
   13370, '0c7b9ee51db4a46087da7530ade979f38e5de7a2e068b5a58cc9cc543aa8e394', 0),
  ('20000000-0000-4000-8000-000000000004', '10000000-0000-4000-8000-000000000003',
   'pluck-pcm24.wav', 'plucked-string-samples/pluck-pcm24.wav', 'WAV',
   19984, '802304af89c305a0d5feb8bf6ba9c7b3abfb6d5e620ba6d4f4d69277ef315e22', 1),
  ('20000000-0000-4000-8000-000000000005', '10000000-0000-4000-8000-000000000004',
   'grep.info.gz', 'gnu-grep-manual/grep.info.gz', 'Info (gzip)',
   34717, '72f24d049df0761c0a21ec63e4cbba50426834293b49441fb6102f9d1cd2b06c', 0),
  ('20000000-0000-4000-8000-000000000006', '10000000-0000-4000-8000-000000000005',
   'sed.info.gz', 'gnu-sed-manual/sed.info.gz', 'Info (gzip)',
   56008, 'ee8b4b7c5d8ee3b4262c0b4c835b8db1958964398496b6a9bf11bae33123f239', 0);

/*
 * Purchases. The demo buyer holds the specification for life, the Libtasn1 manual until 30
 * days from now and the string samples until yesterday; the grep manual is the published
 * product they do not own, which the second buyer holds for life.
 */
insert into public.purchases (
  id, user_id, product_id, granted_at, expires_at, download_limit, download_count, created_at
)
values
  ('30000000-0000-4000-8000-000000000001', 'b0000000-0000-4000-8000-000000000001',
   '10000000-0000-4000-8000-000000000001',
   now() - interval '90 days', null, null, 1, now() - interval '90 days'),
  ('30000000-0000-4000-8000-000000000002', 'b0000000-0000-4000-8000-000000000001',
   '10000000-0000-4000-8000-000000000002',
   now() - interval '335 days', now() + interval '30 days', 10, 2, now() - interval '335 days'),
  ('30000000-0000-4000-8000-000000000003', 'b0000000-0000-4000-8000-000000000001',
   '10000000-0000-4000-8000-000000000003',
   now() - interval '31 days', now() - interval '1 day', null, 0, now() - interval '31 days'),
  ('30000000-0000-4000-8000-000000000004', 'b0000000-0000-4000-8000-000000000002',
   '10000000-0000-4000-8000-000000000004',
   now() - interval '10 days', null, 5, 1, now() - interval '10 days');

/* Download history matching the purchases' download_count. */
insert into public.downloads (id, purchase_id, file_id, user_id, created_at, url_expires_at)
values
  ('40000000-0000-4000-8000-000000000001', '30000000-0000-4000-8000-000000000001',
   '20000000-0000-4000-8000-000000000001', 'b0000000-0000-4000-8000-000000000001',
   now() - interval '80 days', now() - interval '80 days' + interval '300 seconds'),
  ('40000000-0000-4000-8000-000000000002', '30000000-0000-4000-8000-000000000002',
   '20000000-0000-4000-8000-000000000002', 'b0000000-0000-4000-8000-000000000001',
   now() - interval '300 days', now() - interval '300 days' + interval '600 seconds'),
  ('40000000-0000-4000-8000-000000000003', '30000000-0000-4000-8000-000000000002',
   '20000000-0000-4000-8000-000000000002', 'b0000000-0000-4000-8000-000000000001',
   now() - interval '20 days', now() - interval '20 days' + interval '600 seconds'),
  ('40000000-0000-4000-8000-000000000004', '30000000-0000-4000-8000-000000000004',
   '20000000-0000-4000-8000-000000000005', 'b0000000-0000-4000-8000-000000000002',
   now() - interval '9 days', now() - interval '9 days' + interval '300 seconds');

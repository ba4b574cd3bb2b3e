/*
 * Catalogue and entitlements: what is for sale (products and their files), who may download
 * what (purchases), and a log of every download link minted (downloads).
 *
 * Access model:
 *   - anyone (anon or signed in) reads published products;
 *   - a buyer reads their own purchases and downloads, the products they purchased, and the
 *     files of products they hold (a granted purchase that is not revoked, even if expired).
 *     Buyers write nothing here: purchases come from the payments path and downloads from
 *     public.claim_download, both running as service_role;
 *   - an admin (JWT app_metadata.role = 'admin') reads everything and writes products and files.
 */

/*
 * Helpers used by policies and every security definer function. The schema is not exposed
 * through the API, and execute on each function is granted explicitly.
 */
create schema private;
grant usage on schema private to authenticated, service_role;

alter default privileges in schema private revoke execute on functions from public;

/* Whether the caller's JWT marks them as staff: app_metadata.role = 'admin'. */
create function private.is_admin()
returns boolean
language sql
stable
set search_path = ''
as $$
  select coalesce((auth.jwt() -> 'app_metadata' ->> 'role') = 'admin', false)
$$;

revoke execute on function private.is_admin() from public;
grant execute on function private.is_admin() to authenticated, service_role;

/* Keeps updated_at current on every update of a row. */
create function private.set_updated_at()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end;
$$;

revoke execute on function private.set_updated_at() from public;

/*
 * Products for sale. price_amount is in ISO 4217 minor units (IDR has two decimals, so
 * Rp 10.000 is 1000000); IDR prices are whole rupiah because the Indonesian gateways take no
 * decimals. access_days and download_limit are the terms copied onto each new purchase:
 * null access_days means access for life, null download_limit means unlimited downloads.
 */
create table public.products (
  id uuid primary key default gen_random_uuid(),
  slug text not null unique
    check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and char_length(slug) <= 80),
  status text not null default 'draft' check (status in ('draft', 'published')),
  title text not null check (char_length(btrim(title)) between 1 and 200),
  description text not null default '' check (char_length(description) <= 10000),
  price_amount bigint not null check (price_amount > 0),
  currency text not null check (currency ~ '^[A-Z]{3}$'),
  file_format text not null check (char_length(btrim(file_format)) between 1 and 100),
  system_requirements text check (char_length(system_requirements) <= 2000),
  link_lifetime_seconds int not null default 300 check (link_lifetime_seconds between 10 and 86400),
  access_days int check (access_days between 1 and 36500),
  download_limit int check (download_limit between 1 and 10000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint products_idr_whole_rupiah check (currency <> 'IDR' or price_amount % 100 = 0)
);

create index products_status_created_at_idx on public.products (status, created_at desc);

create trigger products_set_updated_at
  before update on public.products
  for each row execute function private.set_updated_at();

/*
 * The downloadable files of a product. storage_path is the object name in the private
 * `products` bucket; size_bytes and sha256 (lower-case hex) describe the stored bytes so
 * buyers can check what they received.
 */
create table public.product_files (
  id uuid primary key default gen_random_uuid(),
  product_id uuid not null references public.products (id) on delete cascade,
  name text not null check (char_length(name) between 1 and 255 and name !~ '[/\\]'),
  storage_path text not null unique
    check (char_length(storage_path) between 1 and 1024
      and storage_path !~ '^/'
      and storage_path !~ '(^|/)\.\.(/|$)'),
  format text not null check (char_length(btrim(format)) between 1 and 50),
  size_bytes bigint not null check (size_bytes >= 0),
  sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  position int not null default 0 check (position >= 0),
  created_at timestamptz not null default now()
);

create index product_files_product_id_position_idx on public.product_files (product_id, position);

/*
 * Entitlements: one row per product a user may download. granted_at is null while the payment
 * is still being confirmed. A purchase stops working when it expires (expires_at), is revoked
 * (refund, with revoke_reason), is suspended (an open dispute) or reaches its download_limit.
 * order_item_id links the row to the payments path that created it.
 */
create table public.purchases (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  product_id uuid not null references public.products (id) on delete restrict,
  order_item_id uuid unique,
  granted_at timestamptz default now(),
  expires_at timestamptz,
  revoked_at timestamptz,
  revoke_reason text check (char_length(revoke_reason) <= 500),
  suspended_at timestamptz,
  download_limit int check (download_limit between 1 and 10000),
  download_count int not null default 0 check (download_count >= 0),
  created_at timestamptz not null default now(),
  constraint purchases_expires_after_grant check (expires_at is null or expires_at > granted_at),
  constraint purchases_reason_needs_revocation check (revoke_reason is null or revoked_at is not null)
);

create index purchases_user_id_product_id_idx on public.purchases (user_id, product_id);
create index purchases_product_id_idx on public.purchases (product_id);

/*
 * Copies the product's terms onto a purchase: download_limit on insert when the insert leaves
 * it null (so null means "the product's limit"), and expires_at from access_days, counted from
 * granted_at, once the purchase is granted without an explicit expires_at.
 */
create function private.apply_product_terms()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_access_days int;
  v_download_limit int;
begin
  select p.access_days, p.download_limit
    into v_access_days, v_download_limit
    from public.products p
   where p.id = new.product_id;

  if tg_op = 'INSERT' and new.download_limit is null then
    new.download_limit := v_download_limit;
  end if;

  if new.granted_at is not null
     and new.expires_at is null
     and v_access_days is not null
     and (tg_op = 'INSERT' or old.granted_at is null) then
    new.expires_at := new.granted_at + make_interval(days => v_access_days);
  end if;
  return new;
end;
$$;

revoke execute on function private.apply_product_terms() from public;

create trigger purchases_apply_product_terms
  before insert or update of granted_at on public.purchases
  for each row execute function private.apply_product_terms();

/*
 * One row per signed download link minted, written by public.claim_download. Kept for
 * monitoring and for showing buyers their download history; file_id is cleared when a file is
 * replaced so the history survives.
 */
create table public.downloads (
  id uuid primary key default gen_random_uuid(),
  purchase_id uuid not null references public.purchases (id) on delete cascade,
  file_id uuid references public.product_files (id) on delete set null,
  user_id uuid not null references auth.users (id) on delete cascade,
  created_at timestamptz not null default now(),
  url_expires_at timestamptz not null,
  constraint downloads_url_expires_after_creation check (url_expires_at > created_at)
);

create index downloads_purchase_id_idx on public.downloads (purchase_id);
create index downloads_user_id_created_at_idx on public.downloads (user_id, created_at desc);
create index downloads_file_id_idx on public.downloads (file_id);

/*
 * Whether the caller holds a purchase of the product that lists its files: granted and not
 * revoked. Expired, suspended and used-up purchases still count, so the library can show what
 * was bought; public.claim_download decides whether a download is allowed. Security definer so
 * that policies on other tables can call it without recursing into the purchases policies.
 */
create function private.holds_product(p_product_id uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1
      from public.purchases pu
     where pu.product_id = p_product_id
       and pu.user_id = auth.uid()
       and pu.granted_at is not null
       and pu.revoked_at is null
  )
$$;

revoke execute on function private.holds_product(uuid) from public;
grant execute on function private.holds_product(uuid) to authenticated, service_role;

/*
 * Whether the caller has any purchase of the product, in any state, so the library can show
 * the product of a revoked or pending purchase even after it is unpublished.
 */
create function private.has_purchased(p_product_id uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1
      from public.purchases pu
     where pu.product_id = p_product_id
       and pu.user_id = auth.uid()
  )
$$;

revoke execute on function private.has_purchased(uuid) from public;
grant execute on function private.has_purchased(uuid) to authenticated, service_role;

/* Row-level security: every table is closed unless a policy below opens it. */
alter table public.products enable row level security;
alter table public.product_files enable row level security;
alter table public.purchases enable row level security;
alter table public.downloads enable row level security;

create policy "Anyone can view published products"
  on public.products for select
  to anon, authenticated
  using (status = 'published');

create policy "Buyers can view the products they have purchased"
  on public.products for select
  to authenticated
  using (private.has_purchased(id));

create policy "Admins can view all products"
  on public.products for select
  to authenticated
  using ((select private.is_admin()));

create policy "Admins can create products"
  on public.products for insert
  to authenticated
  with check ((select private.is_admin()));

create policy "Admins can update products"
  on public.products for update
  to authenticated
  using ((select private.is_admin()))
  with check ((select private.is_admin()));

create policy "Admins can delete products"
  on public.products for delete
  to authenticated
  using ((select private.is_admin()));

create policy "Buyers can view the files of products they hold"
  on public.product_files for select
  to authenticated
  using (private.holds_product(product_id));

create policy "Admins can view all product files"
  on public.product_files for select
  to authenticated
  using ((select private.is_admin()));

create policy "Admins can create product files"
  on public.product_files for insert
  to authenticated
  with check ((select private.is_admin()));

create policy "Admins can update product files"
  on public.product_files for update
  to authenticated
  using ((select private.is_admin()))
  with check ((select private.is_admin()));

create policy "Admins can delete product files"
  on public.product_files for delete
  to authenticated
  using ((select private.is_admin()));

create policy "Buyers can view their own purchases"
  on public.purchases for select
  to authenticated
  using (user_id = (select auth.uid()));

create policy "Admins can view all purchases"
  on public.purchases for select
  to authenticated
  using ((select private.is_admin()));

create policy "Buyers can view their own downloads"
  on public.downloads for select
  to authenticated
  using (user_id = (select auth.uid()));

create policy "Admins can view all downloads"
  on public.downloads for select
  to authenticated
  using ((select private.is_admin()));

/*
 * Table privileges as a second line of defence behind the policies. The platform grants every
 * API role everything on new tables in public; here anon keeps only reading products, and
 * authenticated keeps writes only where an admin policy needs them (admins use the
 * authenticated role). Writes to purchases and downloads belong to service_role.
 */
revoke all on public.products, public.product_files, public.purchases, public.downloads
  from anon, authenticated;

grant select on public.products to anon;
grant select, insert, update, delete on public.products, public.product_files to authenticated;
grant select on public.purchases, public.downloads to authenticated;
grant all on public.products, public.product_files, public.purchases, public.downloads
  to service_role;

/*
 * The signed-in buyer's library: one row per purchase with the product's details and the
 * state of the entitlement. security_invoker makes the caller's policies apply; the filter on
 * auth.uid() keeps an admin's library to their own purchases too.
 *   access_status: pending | revoked | suspended | expired | limit_reached | active
 */
create view public.library
with (security_invoker = true)
as
select
  pu.id as purchase_id,
  pu.product_id,
  pr.slug,
  pr.title,
  pr.file_format,
  pu.granted_at,
  pu.expires_at,
  pu.revoked_at,
  pu.suspended_at,
  pu.download_limit,
  pu.download_count,
  case
    when pu.download_limit is null then null
    else greatest(pu.download_limit - pu.download_count, 0)
  end as downloads_remaining,
  case
    when pu.granted_at is null then 'pending'
    when pu.revoked_at is not null then 'revoked'
    when pu.suspended_at is not null then 'suspended'
    when pu.expires_at is not null and pu.expires_at <= now() then 'expired'
    when pu.download_limit is not null and pu.download_count >= pu.download_limit then 'limit_reached'
    else 'active'
  end as access_status
from public.purchases pu
join public.products pr on pr.id = pu.product_id
where pu.user_id = (select auth.uid());

revoke all on public.library from anon, authenticated;
grant select on public.library to authenticated, service_role;

/*
 * Atomically claims one download of a file for a user, for the download Edge Function (which
 * runs as service_role after resolving the user from their JWT). On success it increments the
 * purchase's download_count, records a downloads row and returns outcome 'ok' with what the
 * function needs to sign a link. Otherwise it changes nothing and returns the refusal:
 *   file_not_found | not_purchased | access_revoked | access_suspended | payment_pending |
 *   access_expired | download_limit_reached
 * The limit check sits in the update's where clause, so concurrent claims on one purchase
 * serialise on its row lock and never exceed download_limit.
 */
create function public.claim_download(p_user_id uuid, p_file_id uuid)
returns table (
  outcome text,
  purchase_id uuid,
  download_id uuid,
  storage_path text,
  file_name text,
  link_lifetime_seconds int,
  url_expires_at timestamptz,
  expires_at timestamptz,
  download_limit int,
  download_count int
)
language plpgsql
volatile
security definer
set search_path = ''
as $$
#variable_conflict use_column
declare
  v_file record;
  v_candidate record;
  v_refusal record;
  v_claimed_id uuid;
  v_claimed_expires_at timestamptz;
  v_claimed_limit int;
  v_claimed_count int;
  v_lifetime int;
  v_download_id uuid;
  v_url_expires_at timestamptz;
begin
  select f.id, f.product_id, f.storage_path, f.name
    into v_file
    from public.product_files f
   where f.id = p_file_id;

  if not found then
    return query select 'file_not_found', null::uuid, null::uuid, null::text, null::text,
      null::int, null::timestamptz, null::timestamptz, null::int, null::int;
    return;
  end if;

  -- Try each usable purchase of the product, most generous first; the update re-checks every
  -- condition on the locked row, so a concurrent revocation or claim is respected.
  for v_candidate in
    select pu.id
      from public.purchases pu
     where pu.user_id = p_user_id
       and pu.product_id = v_file.product_id
       and pu.granted_at is not null
       and pu.revoked_at is null
       and pu.suspended_at is null
       and (pu.expires_at is null or pu.expires_at > now())
       and (pu.download_limit is null or pu.download_count < pu.download_limit)
     order by pu.expires_at desc nulls first, pu.download_limit desc nulls first
  loop
    update public.purchases pu
       set download_count = pu.download_count + 1
     where pu.id = v_candidate.id
       and pu.revoked_at is null
       and pu.suspended_at is null
       and (pu.expires_at is null or pu.expires_at > now())
       and (pu.download_limit is null or pu.download_count < pu.download_limit)
    returning pu.id, pu.expires_at, pu.download_limit, pu.download_count
      into v_claimed_id, v_claimed_expires_at, v_claimed_limit, v_claimed_count;

    exit when v_claimed_id is not null;
  end loop;

  if v_claimed_id is not null then
    select p.link_lifetime_seconds into v_lifetime
      from public.products p
     where p.id = v_file.product_id;

    v_url_expires_at := now() + make_interval(secs => v_lifetime);

    insert into public.downloads (purchase_id, file_id, user_id, url_expires_at)
    values (v_claimed_id, v_file.id, p_user_id, v_url_expires_at)
    returning id into v_download_id;

    return query select 'ok', v_claimed_id, v_download_id, v_file.storage_path, v_file.name,
      v_lifetime, v_url_expires_at, v_claimed_expires_at, v_claimed_limit, v_claimed_count;
    return;
  end if;

  -- No purchase could be used: report the reason of the purchase closest to being usable.
  select pu.id, pu.granted_at, pu.expires_at, pu.revoked_at, pu.suspended_at,
         pu.download_limit, pu.download_count
    into v_refusal
    from public.purchases pu
   where pu.user_id = p_user_id
     and pu.product_id = v_file.product_id
   order by (pu.revoked_at is not null),
            (pu.suspended_at is not null),
            (pu.granted_at is null),
            (pu.expires_at is not null and pu.expires_at <= now()),
            pu.expires_at desc nulls first
   limit 1;

  if not found then
    return query select 'not_purchased', null::uuid, null::uuid, null::text, null::text,
      null::int, null::timestamptz, null::timestamptz, null::int, null::int;
    return;
  end if;

  return query select
    case
      when v_refusal.revoked_at is not null then 'access_revoked'
      when v_refusal.suspended_at is not null then 'access_suspended'
      when v_refusal.granted_at is null then 'payment_pending'
      when v_refusal.expires_at is not null and v_refusal.expires_at <= now() then 'access_expired'
      else 'download_limit_reached'
    end,
    v_refusal.id, null::uuid, null::text, null::text, null::int, null::timestamptz,
    v_refusal.expires_at, v_refusal.download_limit, v_refusal.download_count;
end;
$$;

revoke execute on function public.claim_download(uuid, uuid) from public, anon, authenticated;
grant execute on function public.claim_download(uuid, uuid) to service_role;

/*
 * Private bucket for the files buyers pay for. Buyers never read it directly: the download
 * function signs short-lived links as service_role. Admins may upload, replace, read and
 * delete objects from the dashboard. file_size_limit is 50 MiB, the storage limit in
 * supabase/config.toml.
 */
insert into storage.buckets (id, name, public, file_size_limit)
values ('products', 'products', false, 52428800);

create policy "Admins can upload product objects"
  on storage.objects for insert
  to authenticated
  with check (bucket_id = 'products' and (select private.is_admin()));

create policy "Admins can view product objects"
  on storage.objects for select
  to authenticated
  using (bucket_id = 'products' and (select private.is_admin()));

create policy "Admins can replace product objects"
  on storage.objects for update
  to authenticated
  using (bucket_id = 'products' and (select private.is_admin()))
  with check (bucket_id = 'products' and (select private.is_admin()));

create policy "Admins can delete product objects"
  on storage.objects for delete
  to authenticated
  using (bucket_id = 'products' and (select private.is_admin()));

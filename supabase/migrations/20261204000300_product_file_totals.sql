/*
 * Shoppers see a product's size and number of files before they buy it, but the rows of
 * product_files (with their storage paths) stay visible only to owners and admins. The two
 * totals on products are kept by a trigger on product_files, so they can never disagree
 * with the files.
 */
alter table public.products
  add column file_count integer not null default 0 check (file_count >= 0),
  add column total_size_bytes bigint not null default 0 check (total_size_bytes >= 0);

/* Recomputes the totals of one product from its files. */
create function private.refresh_product_file_totals(p_product_id uuid)
returns void
language sql
security definer
set search_path = ''
as $$
  update public.products as p
  set file_count = totals.file_count,
      total_size_bytes = totals.total_size_bytes
  from (
    select count(*)::integer as file_count, coalesce(sum(f.size_bytes), 0)::bigint as total_size_bytes
    from public.product_files as f
    where f.product_id = p_product_id
  ) as totals
  where p.id = p_product_id
    and (p.file_count, p.total_size_bytes) is distinct from (totals.file_count, totals.total_size_bytes);
$$;

/* Trigger body: refreshes the product a file row left and the one it now belongs to. */
create function private.product_files_refresh_totals()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op in ('UPDATE', 'DELETE') then
    perform private.refresh_product_file_totals(old.product_id);
  end if;
  if tg_op in ('INSERT', 'UPDATE') and (tg_op = 'INSERT' or new.product_id <> old.product_id
      or new.size_bytes <> old.size_bytes) then
    perform private.refresh_product_file_totals(new.product_id);
  end if;
  return null;
end;
$$;

revoke execute on function private.refresh_product_file_totals(uuid) from public;
revoke execute on function private.product_files_refresh_totals() from public;

create trigger product_files_refresh_totals
  after insert or update or delete on public.product_files
  for each row execute function private.product_files_refresh_totals();

select private.refresh_product_file_totals(id) from public.products;

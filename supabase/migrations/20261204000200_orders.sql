/*
 * Orders and payments: what a buyer checked out (orders, order_items), every notification a
 * payment provider sent (payment_events), bank-transfer proofs and their review
 * (manual_payments), and the one place where a paid order becomes purchases.
 *
 * Amounts are ISO 4217 minor units, as in products.price_amount; each gateway's edge (the
 * checkout and payment-webhook functions) converts them to what the provider takes.
 *
 * Access model: buyers read their own orders, items and proofs, admins read everything, and no
 * API role writes any of these tables. Every write goes through the security definer functions
 * below, which only service_role may execute.
 *
 * Order states:
 *   pending            created; the buyer has not finished the provider's checkout yet
 *   awaiting_payment   waiting for money: a bank transfer, or a Stripe delayed payment method
 *   paid               money received and matched; purchases granted
 *   failed | expired   closed without payment (terminal)
 *   refunded           fully refunded, or a dispute was lost; every purchase revoked (terminal)
 *   partially_refunded part of the money returned; purchases of refunded items revoked
 *   disputed           a chargeback is open; purchases suspended until it closes
 *   needs_review       the amount or currency did not match, or the provider flagged fraud
 *                      (a later matching payment event still grants it)
 *
 * Terminal states never move to paid, so a payment notification that arrives after a refund,
 * a denial or an expiry grants nothing.
 *
 * NOTE: nothing in the app resolves needs_review yet; an admin settles such orders with the
 * provider, and a refund or a matching payment event then moves them on.
 */

/* Orders: one checkout by one buyer, in one currency, through one provider. */
create table public.orders (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  status text not null default 'pending'
    check (status in ('pending', 'awaiting_payment', 'paid', 'failed', 'expired', 'refunded',
                      'partially_refunded', 'disputed', 'needs_review')),
  provider text not null check (provider in ('stripe', 'midtrans', 'manual')),
  currency text not null check (currency ~ '^[A-Z]{3}$'),
  total_amount bigint not null check (total_amount > 0),
  refunded_amount bigint not null default 0 check (refunded_amount >= 0),
  reference text not null unique check (reference ~ '^BRK-[2-9A-HJ-NP-Z]{6}$'),
  provider_session_id text,
  provider_payment_id text,
  status_reason text check (char_length(status_reason) <= 500),
  created_at timestamptz not null default now(),
  paid_at timestamptz,
  updated_at timestamptz not null default now()
);

create index orders_user_id_created_at_idx on public.orders (user_id, created_at desc);
create index orders_status_idx on public.orders (status);
create unique index orders_provider_session_id_key on public.orders (provider, provider_session_id);
create unique index orders_provider_payment_id_key on public.orders (provider, provider_payment_id);

create trigger orders_set_updated_at
  before update on public.orders
  for each row execute function private.set_updated_at();

/*
 * The products of an order at the price the database held at checkout. title is a copy so
 * receipts keep reading right after a product is renamed.
 *   status: pending | paid | failed (order closed unpaid) | refunded | revoked (payment reversed)
 */
create table public.order_items (
  id uuid primary key default gen_random_uuid(),
  order_id uuid not null references public.orders (id) on delete cascade,
  product_id uuid not null references public.products (id) on delete restrict,
  title text not null,
  unit_amount bigint not null check (unit_amount > 0),
  currency text not null check (currency ~ '^[A-Z]{3}$'),
  status text not null default 'pending'
    check (status in ('pending', 'paid', 'failed', 'refunded', 'revoked')),
  position int not null check (position >= 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (order_id, product_id)
);

create index order_items_product_id_idx on public.order_items (product_id);

create trigger order_items_set_updated_at
  before update on public.order_items
  for each row execute function private.set_updated_at();

alter table public.purchases
  add constraint purchases_order_item_id_fkey
  foreign key (order_item_id) references public.order_items (id) on delete restrict;

/*
 * Every provider notification, stored once per (provider, event_id) with its raw payload, so a
 * repeated delivery is recognised and gets the first delivery's result. The columns
 * after event_type are the payload reduced by the webhook function to what the state machine
 * reads:
 *   action       payment_succeeded | payment_pending | payment_review | payment_failed |
 *                payment_expired | payment_denied | refund_full | refund_partial |
 *                item_refunded | dispute_opened | dispute_won | dispute_lost | none
 *   payment_ref  the provider's payment id (Stripe PaymentIntent, Midtrans transaction_id)
 *   object_ref   the provider object the event is about (session, charge, refund, dispute)
 *   amount       minor units: the paid total, the cumulative refunded amount, or a refund
 * result is the outcome of applying the event; 'order_not_found' events that name a payment
 * are applied again once an order learns that payment id.
 */
create table public.payment_events (
  id bigint generated always as identity primary key,
  provider text not null check (provider in ('stripe', 'midtrans', 'manual')),
  event_id text not null check (char_length(event_id) between 1 and 255),
  event_type text not null check (char_length(event_type) between 1 and 100),
  action text not null
    check (action in ('payment_succeeded', 'payment_pending', 'payment_review', 'payment_failed',
                      'payment_expired', 'payment_denied', 'refund_full', 'refund_partial',
                      'item_refunded', 'dispute_opened', 'dispute_won', 'dispute_lost', 'none')),
  order_id uuid references public.orders (id) on delete set null,
  payment_ref text,
  object_ref text,
  amount bigint check (amount >= 0),
  currency text check (currency ~ '^[A-Z]{3}$'),
  item_id uuid,
  payload jsonb not null,
  received_at timestamptz not null default now(),
  processed_at timestamptz,
  result text,
  unique (provider, event_id)
);

create index payment_events_order_id_idx on public.payment_events (order_id);
create index payment_events_payment_ref_idx on public.payment_events (provider, payment_ref);
create index payment_events_object_ref_idx on public.payment_events (provider, object_ref);

/*
 * Bank-transfer proofs: one per manual order. proof_path is the object name in the private
 * `payment-proofs` bucket, under `<user_id>/<order_id>/`. An admin's decision records who
 * reviewed it and when; a rejection carries its reason.
 */
create table public.manual_payments (
  order_id uuid primary key references public.orders (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  proof_path text not null check (char_length(proof_path) between 1 and 1024),
  submitted_at timestamptz not null default now(),
  reviewed_by uuid references auth.users (id) on delete set null,
  reviewed_at timestamptz,
  decision text check (decision in ('approved', 'rejected')),
  reject_reason text check (char_length(btrim(reject_reason)) between 1 and 500),
  constraint manual_payments_rejection_has_reason
    check (decision is distinct from 'rejected' or reject_reason is not null),
  constraint manual_payments_decision_has_reviewer
    check (decision is null or reviewed_at is not null)
);

create index manual_payments_user_id_idx on public.manual_payments (user_id);

/* Row-level security: buyers see their own rows, admins see all, nobody writes through the API. */
alter table public.orders enable row level security;
alter table public.order_items enable row level security;
alter table public.payment_events enable row level security;
alter table public.manual_payments enable row level security;

create policy "Buyers can view their own orders"
  on public.orders for select
  to authenticated
  using (user_id = (select auth.uid()));

create policy "Admins can view all orders"
  on public.orders for select
  to authenticated
  using ((select private.is_admin()));

/* Whether the caller placed the order; security definer so item policies skip orders' RLS. */
create function private.owns_order(p_order_id uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.orders o where o.id = p_order_id and o.user_id = auth.uid()
  )
$$;

revoke execute on function private.owns_order(uuid) from public;
grant execute on function private.owns_order(uuid) to authenticated, service_role;

create policy "Buyers can view the items of their own orders"
  on public.order_items for select
  to authenticated
  using (private.owns_order(order_id));

create policy "Admins can view all order items"
  on public.order_items for select
  to authenticated
  using ((select private.is_admin()));

create policy "Buyers can view their own payment proofs"
  on public.manual_payments for select
  to authenticated
  using (user_id = (select auth.uid()));

create policy "Admins can view all payment proofs"
  on public.manual_payments for select
  to authenticated
  using ((select private.is_admin()));

create policy "Admins can view payment events"
  on public.payment_events for select
  to authenticated
  using ((select private.is_admin()));

/*
 * Table privileges behind the policies: the platform grants every API role everything on new
 * tables in public, so take it back. service_role reads (for the functions and for support);
 * writes happen only inside the functions below.
 */
revoke all on public.orders, public.order_items, public.payment_events, public.manual_payments
  from anon, authenticated, service_role;
grant select on public.orders, public.order_items, public.payment_events, public.manual_payments
  to authenticated, service_role;

/* A human reference for bank transfers, such as 'BRK-7Q2M9X' (no 0, O, 1 or I to misread). */
create function private.new_order_reference()
returns text
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_alphabet constant text := '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
  v_bytes bytea;
  v_reference text;
begin
  loop
    v_bytes := extensions.gen_random_bytes(6);
    v_reference := 'BRK-';
    for i in 0..5 loop
      -- 256 is a multiple of the 32-letter alphabet, so every letter is equally likely.
      v_reference := v_reference || substr(v_alphabet, get_byte(v_bytes, i) % 32 + 1, 1);
    end loop;
    exit when not exists (select 1 from public.orders o where o.reference = v_reference);
  end loop;
  return v_reference;
end;
$$;

revoke execute on function private.new_order_reference() from public;

/* Raises a business error: the message is for people, the hint is the machine-readable code. */
create function private.raise_payment_error(p_code text, p_message text)
returns void
language plpgsql
set search_path = ''
as $$
begin
  raise exception using errcode = 'P0001', message = p_message, hint = p_code;
end;
$$;

revoke execute on function private.raise_payment_error(text, text) from public;

/*
 * Grants a purchase for every item of a paid order that was not refunded: access_days and
 * download_limit are copied from the product (null access_days is access for life), and the
 * purchase starts suspended while the order is disputed. Idempotent through the unique
 * purchases.order_item_id, and it rejects orders that were never paid or are closed.
 */
create function private.grant_order(p_order_id uuid)
returns int
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_order public.orders;
  v_granted int;
begin
  select * into v_order from public.orders o where o.id = p_order_id;
  if not found then
    raise exception 'Order % was not found, so nothing was granted.', p_order_id;
  end if;
  if v_order.paid_at is null or v_order.status in ('refunded', 'failed', 'expired') then
    raise exception 'Order % is % and unpaid or closed, so nothing was granted.',
      p_order_id, v_order.status;
  end if;

  insert into public.purchases (user_id, product_id, order_item_id, granted_at, expires_at,
                                download_limit, suspended_at)
  select v_order.user_id,
         i.product_id,
         i.id,
         now(),
         case when p.access_days is null then null
              else now() + make_interval(days => p.access_days) end,
         p.download_limit,
         case when v_order.status = 'disputed' then now() end
    from public.order_items i
    join public.products p on p.id = i.product_id
   where i.order_id = p_order_id
     and i.status in ('pending', 'paid')
  on conflict (order_item_id) do nothing;
  get diagnostics v_granted = row_count;

  update public.order_items i
     set status = 'paid'
   where i.order_id = p_order_id
     and i.status = 'pending';

  return v_granted;
end;
$$;

revoke execute on function private.grant_order(uuid) from public;

/*
 * Revokes the purchase of one order item (if it was granted) and closes the item, so a later
 * grant skips it. Refund reasons ('refunded', 'dispute_lost', 'chargeback') mark the item
 * refunded, any other reason marks it revoked.
 */
create function private.revoke_item(p_order_item_id uuid, p_reason text)
returns int
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_revoked int;
begin
  update public.purchases pu
     set revoked_at = now(),
         revoke_reason = p_reason
   where pu.order_item_id = p_order_item_id
     and pu.revoked_at is null;
  get diagnostics v_revoked = row_count;

  update public.order_items i
     set status = case when p_reason in ('refunded', 'dispute_lost', 'chargeback') then 'refunded'
                       else 'revoked' end
   where i.id = p_order_item_id
     and i.status in ('pending', 'paid');

  return v_revoked;
end;
$$;

revoke execute on function private.revoke_item(uuid, text) from public;

/* Revokes every purchase of an order through private.revoke_item. */
create function private.revoke_order(p_order_id uuid, p_reason text)
returns int
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_item record;
  v_revoked int := 0;
begin
  for v_item in
    select i.id from public.order_items i where i.order_id = p_order_id order by i.position
  loop
    v_revoked := v_revoked + private.revoke_item(v_item.id, p_reason);
  end loop;
  return v_revoked;
end;
$$;

revoke execute on function private.revoke_order(uuid, text) from public;

/* Suspends every live purchase of an order while a dispute is open. */
create function private.suspend_order(p_order_id uuid)
returns int
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_suspended int;
begin
  update public.purchases pu
     set suspended_at = now()
    from public.order_items i
   where i.order_id = p_order_id
     and pu.order_item_id = i.id
     and pu.revoked_at is null
     and pu.suspended_at is null;
  get diagnostics v_suspended = row_count;
  return v_suspended;
end;
$$;

revoke execute on function private.suspend_order(uuid) from public;

/* Lifts the suspension of an order's purchases when its dispute is won. */
create function private.resume_order(p_order_id uuid)
returns int
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_resumed int;
begin
  update public.purchases pu
     set suspended_at = null
    from public.order_items i
   where i.order_id = p_order_id
     and pu.order_item_id = i.id
     and pu.suspended_at is not null;
  get diagnostics v_resumed = row_count;
  return v_resumed;
end;
$$;

revoke execute on function private.resume_order(uuid) from public;

/* The status an order returns to when a dispute on it closes in the buyer's favour. */
create function private.settled_status(p_order public.orders)
returns text
language sql
stable
set search_path = ''
as $$
  select case
    when p_order.refunded_amount > 0
      or exists (select 1 from public.order_items i
                  where i.order_id = p_order.id and i.status = 'refunded')
      then 'partially_refunded'
    when p_order.paid_at is not null then 'paid'
    else 'pending'
  end
$$;

revoke execute on function private.settled_status(public.orders) from public;

/*
 * Applies one stored payment event to its order and returns the outcome, which is also stored
 * in payment_events.result. It locks the order row (record_payment_event may hold it
 * already), so events for one order apply one at a time. Outcomes:
 *   granted | awaiting_payment | needs_review | amount_mismatch | closed | reversed | refunded |
 *   partially_refunded | item_revoked | suspended | resumed | revoked | already_paid |
 *   ignored | ignored_closed | order_not_found | provider_mismatch | item_not_found
 */
create function private.apply_payment_event(p_event_id bigint)
returns text
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_event public.payment_events;
  v_order public.orders;
  v_order_id uuid;
  v_outcome text;
  v_linked boolean := false;
  v_unpaid_open constant text[] := array['pending', 'awaiting_payment', 'needs_review'];
  v_closed constant text[] := array['refunded', 'failed', 'expired'];
  v_item public.order_items;
  v_item_refunded bigint;
  v_replay record;
begin
  select * into v_event from public.payment_events e where e.id = p_event_id;

  -- Find the order: by the id the event names, else by the payment or session it is about.
  v_order_id := v_event.order_id;
  if v_order_id is null and v_event.payment_ref is not null then
    select o.id into v_order_id from public.orders o
     where o.provider = v_event.provider and o.provider_payment_id = v_event.payment_ref;
  end if;
  if v_order_id is null and v_event.object_ref is not null then
    select o.id into v_order_id from public.orders o
     where o.provider = v_event.provider and o.provider_session_id = v_event.object_ref;
  end if;

  select * into v_order from public.orders o where o.id = v_order_id for update;
  if not found then
    v_outcome := case when v_event.action = 'none' then 'ignored' else 'order_not_found' end;
    update public.payment_events e
       set result = v_outcome, processed_at = now()
     where e.id = p_event_id;
    return v_outcome;
  end if;

  if v_order.provider <> v_event.provider then
    update public.payment_events e
       set order_id = v_order.id, result = 'provider_mismatch', processed_at = now()
     where e.id = p_event_id;
    return 'provider_mismatch';
  end if;

  -- The first payment event teaches the order its payment id, which refunds and disputes name.
  if v_event.payment_ref is not null and v_order.provider_payment_id is null
     and v_event.action in ('payment_succeeded', 'payment_pending', 'payment_review')
     and not exists (select 1 from public.orders other
                      where other.provider = v_order.provider
                        and other.provider_payment_id = v_event.payment_ref) then
    update public.orders o set provider_payment_id = v_event.payment_ref where o.id = v_order.id;
    v_linked := true;
  end if;

  case v_event.action
  when 'payment_succeeded' then
    if v_order.status = any (v_closed) then
      v_outcome := 'ignored_closed';
    elsif v_order.paid_at is not null then
      v_outcome := 'already_paid';
    elsif v_event.amount is distinct from v_order.total_amount
       or v_event.currency is distinct from v_order.currency then
      v_outcome := 'amount_mismatch';
      update public.orders o
         set status = case when o.status = any (v_unpaid_open) then 'needs_review' else o.status end,
             status_reason = format('The provider reported %s %s, but the order is %s %s.',
               coalesce(v_event.amount::text, 'no amount'), coalesce(v_event.currency, '(no currency)'),
               v_order.total_amount, v_order.currency)
       where o.id = v_order.id;
    else
      update public.orders o
         set paid_at = now(),
             status = case when o.status = any (v_unpaid_open) then 'paid' else o.status end,
             status_reason = case when o.status = any (v_unpaid_open) then null else o.status_reason end
       where o.id = v_order.id;
      perform private.grant_order(v_order.id);
      v_outcome := 'granted';
    end if;

  when 'payment_pending' then
    if v_event.amount is distinct from v_order.total_amount
       or v_event.currency is distinct from v_order.currency then
      if v_order.status = any (v_unpaid_open) then
        update public.orders o
           set status = 'needs_review',
               status_reason = format('The provider reported %s %s, but the order is %s %s.',
                 coalesce(v_event.amount::text, 'no amount'), coalesce(v_event.currency, '(no currency)'),
                 v_order.total_amount, v_order.currency)
         where o.id = v_order.id;
      end if;
      v_outcome := 'amount_mismatch';
    elsif v_order.status = 'pending' then
      update public.orders o set status = 'awaiting_payment' where o.id = v_order.id;
      v_outcome := 'awaiting_payment';
    else
      v_outcome := 'ignored';
    end if;

  when 'payment_review' then
    if v_order.paid_at is null and v_order.status in ('pending', 'awaiting_payment') then
      update public.orders o
         set status = 'needs_review',
             status_reason = 'The provider held the payment for a fraud review.'
       where o.id = v_order.id;
      v_outcome := 'needs_review';
    else
      v_outcome := 'ignored';
    end if;

  when 'payment_failed', 'payment_expired' then
    if v_order.paid_at is null and v_order.status = any (v_unpaid_open) then
      update public.orders o
         set status = case when v_event.action = 'payment_failed' then 'failed' else 'expired' end
       where o.id = v_order.id;
      update public.order_items i set status = 'failed'
       where i.order_id = v_order.id and i.status = 'pending';
      v_outcome := 'closed';
    else
      v_outcome := 'ignored';
    end if;

  when 'payment_denied' then
    if v_order.status = any (v_closed) then
      v_outcome := 'ignored';
    elsif v_order.paid_at is null then
      update public.orders o set status = 'failed' where o.id = v_order.id;
      update public.order_items i set status = 'failed'
       where i.order_id = v_order.id and i.status = 'pending';
      v_outcome := 'closed';
    else
      -- The provider took back a payment it had confirmed: the order ends as if never paid.
      perform private.revoke_order(v_order.id, 'payment_denied');
      update public.orders o
         set status = 'failed',
             status_reason = 'The provider reversed the payment after confirming it.'
       where o.id = v_order.id;
      v_outcome := 'reversed';
    end if;

  when 'refund_full' then
    if v_order.status = 'refunded' then
      v_outcome := 'ignored';
    else
      perform private.revoke_order(v_order.id, 'refunded');
      update public.orders o
         set status = 'refunded',
             refunded_amount = greatest(o.total_amount, coalesce(v_event.amount, 0))
       where o.id = v_order.id;
      v_outcome := 'refunded';
    end if;

  when 'refund_partial' then
    if v_order.status = any (v_closed) then
      v_outcome := 'ignored';
    elsif coalesce(v_event.amount, 0) >= v_order.total_amount then
      perform private.revoke_order(v_order.id, 'refunded');
      update public.orders o
         set status = 'refunded', refunded_amount = v_event.amount
       where o.id = v_order.id;
      v_outcome := 'refunded';
    else
      update public.orders o
         set refunded_amount = greatest(o.refunded_amount, coalesce(v_event.amount, 0)),
             status = case when o.status in ('paid', 'pending', 'awaiting_payment')
                           then 'partially_refunded' else o.status end
       where o.id = v_order.id;
      v_outcome := 'partially_refunded';
    end if;

  when 'item_refunded' then
    select * into v_item from public.order_items i
     where i.id = v_event.item_id and i.order_id = v_order.id;
    if not found then
      v_outcome := 'item_not_found';
    elsif v_order.status = any (v_closed) then
      v_outcome := 'ignored';
    else
      -- An item is refunded once the refunds naming it cover its price; refund.created and
      -- refund.updated describe the same refund, so each refund object counts once.
      select coalesce(sum(per_refund.amount), 0) into v_item_refunded
        from (select max(e.amount) as amount
                from public.payment_events e
               where e.provider = v_event.provider
                 and e.action = 'item_refunded'
                 and e.item_id = v_item.id
               group by coalesce(e.object_ref, e.event_id)) per_refund;

      if v_item_refunded >= v_item.unit_amount then
        perform private.revoke_item(v_item.id, 'refunded');
        update public.orders o
           set status = case
                 when not exists (select 1 from public.order_items i
                                   where i.order_id = o.id and i.status <> 'refunded')
                   then 'refunded'
                 when o.status in ('paid', 'pending', 'awaiting_payment') then 'partially_refunded'
                 else o.status end
         where o.id = v_order.id;
        v_outcome := 'item_revoked';
      else
        update public.orders o
           set status = case when o.status in ('paid', 'pending', 'awaiting_payment')
                             then 'partially_refunded' else o.status end
         where o.id = v_order.id;
        v_outcome := 'partially_refunded';
      end if;
    end if;

  when 'dispute_opened' then
    if exists (select 1 from public.payment_events e
                where e.provider = v_event.provider
                  and e.object_ref = v_event.object_ref
                  and e.action in ('dispute_won', 'dispute_lost')
                  and e.result is not null) then
      -- The dispute's closing arrived first; opening it now would suspend access for good.
      v_outcome := 'ignored';
    elsif v_order.status = any (v_closed) or v_order.status = 'disputed' then
      v_outcome := 'ignored';
    else
      perform private.suspend_order(v_order.id);
      update public.orders o
         set status = 'disputed', status_reason = 'The buyer opened a dispute with the card issuer.'
       where o.id = v_order.id;
      v_outcome := 'suspended';
    end if;

  when 'dispute_won' then
    -- NOTE: one open dispute per order is assumed; a second open dispute on the same payment
    -- is resumed by the first one's win.
    if v_order.status = 'disputed' then
      perform private.resume_order(v_order.id);
      update public.orders o
         set status = private.settled_status(o), status_reason = null
       where o.id = v_order.id;
      v_outcome := 'resumed';
    else
      v_outcome := 'ignored';
    end if;

  when 'dispute_lost' then
    if v_order.status = 'refunded' then
      v_outcome := 'ignored';
    else
      perform private.revoke_order(v_order.id, 'dispute_lost');
      update public.orders o
         set status = 'refunded',
             refunded_amount = o.total_amount,
             status_reason = 'The buyer won a dispute with the card issuer.'
       where o.id = v_order.id;
      v_outcome := 'revoked';
    end if;

  else
    v_outcome := 'ignored';
  end case;

  update public.payment_events e
     set order_id = v_order.id, result = v_outcome, processed_at = now()
   where e.id = p_event_id;

  -- Refunds and disputes that arrived before the payment named only its payment id: apply
  -- them now, in the order they were received, so the end state matches in-order delivery.
  if v_linked then
    for v_replay in
      select e.id from public.payment_events e
       where e.provider = v_event.provider
         and e.payment_ref = v_event.payment_ref
         and e.result = 'order_not_found'
         and e.id <> p_event_id
       order by e.id
    loop
      perform private.apply_payment_event(v_replay.id);
    end loop;
  end if;

  return v_outcome;
end;
$$;

revoke execute on function private.apply_payment_event(bigint) from public;

/*
 * Stores a provider event and applies it in the same transaction, for the payment-webhook
 * function. A repeated (provider, event_id) changes nothing and returns the stored result with
 * duplicate = true; concurrent deliveries of one event wait on the unique index, so only one of
 * them applies it. Locks are taken in one order (the payment's advisory lock, then the order
 * row) so concurrent events cannot deadlock. Returns
 * {event_id, duplicate, outcome, order_id, order_status}.
 */
create function public.record_payment_event(
  p_provider text,
  p_event_id text,
  p_event_type text,
  p_action text,
  p_payload jsonb,
  p_order_id uuid default null,
  p_payment_ref text default null,
  p_object_ref text default null,
  p_amount bigint default null,
  p_currency text default null,
  p_item_id uuid default null
)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_id bigint;
  v_order_id uuid;
  v_outcome text;
  v_duplicate boolean := false;
begin
  -- Events about one payment apply one at a time, so a refund that finds no order yet is
  -- committed before the payment event that links the order looks for it to apply again.
  if p_payment_ref is not null then
    perform pg_advisory_xact_lock(hashtextextended(p_provider || ':' || p_payment_ref, 0));
  end if;

  -- Lock the order before the insert: the event's foreign key takes a share lock on the order
  -- row, and two deliveries that each held one while waiting to lock the row would deadlock.
  select o.id into v_order_id from public.orders o where o.id = p_order_id for update;

  insert into public.payment_events (provider, event_id, event_type, action, order_id,
                                     payment_ref, object_ref, amount, currency, item_id, payload)
  values (p_provider, p_event_id, p_event_type, p_action, v_order_id, p_payment_ref,
          p_object_ref, p_amount, upper(p_currency), p_item_id, p_payload)
  on conflict (provider, event_id) do nothing
  returning id into v_id;

  if v_id is null then
    v_duplicate := true;
    select e.id, e.result, e.order_id into v_id, v_outcome, v_order_id
      from public.payment_events e
     where e.provider = p_provider and e.event_id = p_event_id;
  else
    v_outcome := private.apply_payment_event(v_id);
    select e.order_id into v_order_id from public.payment_events e where e.id = v_id;
  end if;

  return jsonb_build_object(
    'event_id', p_event_id,
    'duplicate', v_duplicate,
    'outcome', v_outcome,
    'order_id', v_order_id,
    'order_status', (select o.status from public.orders o where o.id = v_order_id)
  );
end;
$$;

revoke execute on function public.record_payment_event(text, text, text, text, jsonb, uuid, text,
  text, bigint, text, uuid) from public, anon, authenticated;
grant execute on function public.record_payment_event(text, text, text, text, jsonb, uuid, text,
  text, bigint, text, uuid) to service_role;

/*
 * Creates an order for the checkout function from product ids alone: titles, prices and the
 * currency come from the products table. Rejects, with the code in the error's hint:
 *   invalid_provider | cart_empty | cart_duplicate_product | product_not_found |
 *   mixed_currency | already_owned (a live purchase for life of one of the products)
 * Manual orders start awaiting_payment, the others pending until the provider reports.
 * Returns {id, reference, status, provider, currency, total_amount, items: [...]}.
 */
create function public.create_order(p_user_id uuid, p_provider text, p_product_ids uuid[])
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_missing uuid;
  v_owned text;
  v_currencies text[];
  v_order public.orders;
begin
  if p_provider is null or p_provider not in ('stripe', 'midtrans', 'manual') then
    perform private.raise_payment_error('invalid_provider',
      format('Payment provider "%s" is not supported: use stripe, midtrans or manual.', p_provider));
  end if;
  if coalesce(cardinality(p_product_ids), 0) = 0 then
    perform private.raise_payment_error('cart_empty',
      'The cart is empty: add at least one product before checking out.');
  end if;
  if (select count(distinct requested.product_id)
        from unnest(p_product_ids) as requested (product_id)) <> cardinality(p_product_ids) then
    perform private.raise_payment_error('cart_duplicate_product',
      'The cart lists a product more than once: keep one of each.');
  end if;

  select requested.product_id into v_missing
    from unnest(p_product_ids) as requested (product_id)
   where not exists (select 1 from public.products p
                      where p.id = requested.product_id and p.status = 'published')
   limit 1;
  if v_missing is not null then
    perform private.raise_payment_error('product_not_found',
      format('Product %s was not found or is not for sale: remove it from the cart.', v_missing));
  end if;

  select array_agg(distinct p.currency order by p.currency) into v_currencies
    from public.products p where p.id = any (p_product_ids);
  if cardinality(v_currencies) > 1 then
    perform private.raise_payment_error('mixed_currency',
      format('The cart mixes currencies (%s): check out the products of each currency separately.',
        array_to_string(v_currencies, ', ')));
  end if;

  select p.title into v_owned
    from public.purchases pu
    join public.products p on p.id = pu.product_id
   where pu.user_id = p_user_id
     and pu.product_id = any (p_product_ids)
     and pu.granted_at is not null
     and pu.revoked_at is null
     and pu.expires_at is null
   limit 1;
  if v_owned is not null then
    perform private.raise_payment_error('already_owned',
      format('You already own "%s" for life: remove it from the cart.', v_owned));
  end if;

  insert into public.orders (user_id, status, provider, currency, total_amount, reference)
  select p_user_id,
         case when p_provider = 'manual' then 'awaiting_payment' else 'pending' end,
         p_provider,
         v_currencies[1],
         sum(p.price_amount),
         private.new_order_reference()
    from public.products p
   where p.id = any (p_product_ids)
  returning * into v_order;

  insert into public.order_items (order_id, product_id, title, unit_amount, currency, position)
  select v_order.id, p.id, p.title, p.price_amount, p.currency, requested.position - 1
    from unnest(p_product_ids) with ordinality as requested (product_id, position)
    join public.products p on p.id = requested.product_id;

  return private.order_summary(v_order.id);
end;
$$;

/* The order as the functions return it: its columns plus its items in cart order. */
create function private.order_summary(p_order_id uuid)
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select jsonb_build_object(
    'id', o.id,
    'user_id', o.user_id,
    'reference', o.reference,
    'status', o.status,
    'provider', o.provider,
    'currency', o.currency,
    'total_amount', o.total_amount,
    'provider_session_id', o.provider_session_id,
    'items', coalesce((
      select jsonb_agg(jsonb_build_object(
               'id', i.id, 'product_id', i.product_id, 'title', i.title,
               'unit_amount', i.unit_amount, 'currency', i.currency, 'status', i.status)
             order by i.position)
        from public.order_items i where i.order_id = o.id), '[]'::jsonb)
  )
  from public.orders o
  where o.id = p_order_id
$$;

revoke execute on function private.order_summary(uuid) from public;
revoke execute on function public.create_order(uuid, text, uuid[]) from public, anon, authenticated;
grant execute on function public.create_order(uuid, text, uuid[]) to service_role;

/*
 * Records the provider's checkout session (Stripe Checkout Session id, Midtrans Snap token) on
 * a pending order once the checkout function has created it.
 */
create function public.attach_checkout_session(p_order_id uuid, p_session_id text)
returns void
language plpgsql
volatile
security definer
set search_path = ''
as $$
begin
  update public.orders o
     set provider_session_id = p_session_id
   where o.id = p_order_id
     and o.provider_session_id is null;
  if not found then
    raise exception 'Order % was not found or already has a checkout session.', p_order_id;
  end if;
end;
$$;

revoke execute on function public.attach_checkout_session(uuid, text) from public, anon, authenticated;
grant execute on function public.attach_checkout_session(uuid, text) to service_role;

/*
 * Closes a pending order as failed when the checkout function could not open the provider's
 * checkout (the provider rejected the request, or the amount cannot be sent to it).
 */
create function public.fail_checkout(p_order_id uuid, p_reason text)
returns void
language plpgsql
volatile
security definer
set search_path = ''
as $$
begin
  update public.orders o
     set status = 'failed', status_reason = left(p_reason, 500)
   where o.id = p_order_id
     and o.status = 'pending';
  update public.order_items i
     set status = 'failed'
   where i.order_id = p_order_id
     and i.status = 'pending';
end;
$$;

revoke execute on function public.fail_checkout(uuid, text) from public, anon, authenticated;
grant execute on function public.fail_checkout(uuid, text) to service_role;

/*
 * Private bucket for bank-transfer proofs. Buyers upload and read only under their own folder
 * `<user_id>/<order_id>/`, for an order of theirs; admins read every proof. Images and PDFs
 * up to 10 MiB.
 */
insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
values ('payment-proofs', 'payment-proofs', false, 10485760,
        array['image/png', 'image/jpeg', 'image/webp', 'application/pdf']);

/* Whether an object name is `<caller's uid>/<an order of the caller>/<file>`. */
create function private.is_own_proof_path(p_name text)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select auth.uid() is not null
     and array_length(storage.foldername(p_name), 1) = 2
     and (storage.foldername(p_name))[1] = auth.uid()::text
     and exists (select 1 from public.orders o
                  where o.id::text = (storage.foldername(p_name))[2]
                    and o.user_id = auth.uid())
$$;

revoke execute on function private.is_own_proof_path(text) from public;
grant execute on function private.is_own_proof_path(text) to authenticated, service_role;

create policy "Buyers can upload payment proofs for their own orders"
  on storage.objects for insert
  to authenticated
  with check (bucket_id = 'payment-proofs' and private.is_own_proof_path(name));

create policy "Buyers can view their own payment proof objects"
  on storage.objects for select
  to authenticated
  using (bucket_id = 'payment-proofs' and private.is_own_proof_path(name));

create policy "Admins can view all payment proof objects"
  on storage.objects for select
  to authenticated
  using (bucket_id = 'payment-proofs' and (select private.is_admin()));

/*
 * Records the buyer's proof of a bank transfer. The order must be the buyer's own manual order
 * awaiting payment, and the object must exist in `payment-proofs` under
 * `<user_id>/<order_id>/`. A buyer may replace the proof until an admin reviews it. Rejects
 * with order_not_found | not_manual_order | order_not_awaiting_payment | invalid_proof_path |
 * proof_not_found | already_reviewed.
 */
create function public.submit_payment_proof(p_user_id uuid, p_order_id uuid, p_proof_path text)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_order public.orders;
  v_prefix text := p_user_id::text || '/' || p_order_id::text || '/';
  v_row public.manual_payments;
begin
  select * into v_order from public.orders o
   where o.id = p_order_id and o.user_id = p_user_id
   for update;
  if not found then
    perform private.raise_payment_error('order_not_found',
      format('Order %s was not found among your orders.', p_order_id));
  end if;
  if v_order.provider <> 'manual' then
    perform private.raise_payment_error('not_manual_order',
      format('Order %s is paid through %s, not by bank transfer.', p_order_id, v_order.provider));
  end if;
  if v_order.status <> 'awaiting_payment' then
    perform private.raise_payment_error('order_not_awaiting_payment',
      format('Order %s is %s, so it takes no payment proof.', p_order_id, v_order.status));
  end if;
  if left(p_proof_path, char_length(v_prefix)) <> v_prefix
     or char_length(p_proof_path) = char_length(v_prefix)
     or strpos(substr(p_proof_path, char_length(v_prefix) + 1), '/') > 0 then
    perform private.raise_payment_error('invalid_proof_path',
      format('Proof path "%s" must be a file directly under "%s".', p_proof_path, v_prefix));
  end if;
  if not exists (select 1 from storage.objects so
                  where so.bucket_id = 'payment-proofs' and so.name = p_proof_path) then
    perform private.raise_payment_error('proof_not_found',
      format('No file "%s" was found in the payment-proofs bucket: upload it first.', p_proof_path));
  end if;

  insert into public.manual_payments (order_id, user_id, proof_path)
  values (p_order_id, p_user_id, p_proof_path)
  on conflict (order_id) do update
    set proof_path = excluded.proof_path, submitted_at = now()
    where public.manual_payments.decision is null
  returning * into v_row;

  if v_row.order_id is null then
    perform private.raise_payment_error('already_reviewed',
      format('The proof of order %s was already reviewed.', p_order_id));
  end if;
  return to_jsonb(v_row);
end;
$$;

revoke execute on function public.submit_payment_proof(uuid, uuid, text) from public, anon, authenticated;
grant execute on function public.submit_payment_proof(uuid, uuid, text) to service_role;

/*
 * An admin's decision on a bank-transfer proof. Approval records a 'manual' payment event for
 * the order's own total, so it grants through the same state machine as the webhooks;
 * rejection closes the order as failed with the reason. p_admin_id must be a user whose
 * app_metadata.role is 'admin'. Rejects with not_admin | order_not_found | not_manual_order |
 * proof_missing | already_reviewed | order_not_awaiting_payment | reason_required.
 * Returns {order_id, decision, outcome, order_status}.
 */
create function public.review_manual_payment(
  p_admin_id uuid,
  p_order_id uuid,
  p_decision text,
  p_reason text default null
)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_order public.orders;
  v_proof public.manual_payments;
  v_reason text := nullif(btrim(p_reason), '');
  v_result jsonb;
begin
  if not exists (select 1 from auth.users u
                  where u.id = p_admin_id and u.raw_app_meta_data ->> 'role' = 'admin') then
    perform private.raise_payment_error('not_admin',
      'Only an admin can review bank-transfer payments.');
  end if;
  if p_decision is null or p_decision not in ('approved', 'rejected') then
    perform private.raise_payment_error('invalid_decision',
      format('Decision "%s" is not supported: use approved or rejected.', p_decision));
  end if;
  if p_decision = 'rejected' and v_reason is null then
    perform private.raise_payment_error('reason_required',
      'A rejection needs a reason the buyer can act on.');
  end if;

  select * into v_order from public.orders o where o.id = p_order_id for update;
  if not found then
    perform private.raise_payment_error('order_not_found',
      format('Order %s was not found.', p_order_id));
  end if;
  if v_order.provider <> 'manual' then
    perform private.raise_payment_error('not_manual_order',
      format('Order %s is paid through %s, not by bank transfer.', p_order_id, v_order.provider));
  end if;

  select * into v_proof from public.manual_payments mp where mp.order_id = p_order_id for update;
  if not found then
    perform private.raise_payment_error('proof_missing',
      format('Order %s has no payment proof to review yet.', p_order_id));
  end if;
  if v_proof.decision is not null then
    perform private.raise_payment_error('already_reviewed',
      format('The proof of order %s was already %s.', p_order_id, v_proof.decision));
  end if;
  if v_order.status <> 'awaiting_payment' then
    perform private.raise_payment_error('order_not_awaiting_payment',
      format('Order %s is %s, so its proof cannot be reviewed.', p_order_id, v_order.status));
  end if;

  update public.manual_payments mp
     set reviewed_by = p_admin_id,
         reviewed_at = now(),
         decision = p_decision,
         reject_reason = case when p_decision = 'rejected' then v_reason end
   where mp.order_id = p_order_id;

  v_result := public.record_payment_event(
    'manual',
    'review:' || p_order_id::text,
    'manual_payment.' || p_decision,
    case when p_decision = 'approved' then 'payment_succeeded' else 'payment_failed' end,
    jsonb_build_object('order_id', p_order_id, 'reviewed_by', p_admin_id,
                       'decision', p_decision, 'reason', v_reason),
    p_order_id,
    null,
    null,
    v_order.total_amount,
    v_order.currency,
    null
  );

  if p_decision = 'rejected' then
    update public.orders o set status_reason = left(v_reason, 500) where o.id = p_order_id;
  end if;

  return jsonb_build_object(
    'order_id', p_order_id,
    'decision', p_decision,
    'outcome', v_result ->> 'outcome',
    'order_status', (select o.status from public.orders o where o.id = p_order_id)
  );
end;
$$;

revoke execute on function public.review_manual_payment(uuid, uuid, text, text)
  from public, anon, authenticated;
grant execute on function public.review_manual_payment(uuid, uuid, text, text) to service_role;

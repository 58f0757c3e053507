/**
 * Runs after the bulk insert: keys and indexes of the big tables, identity
 * sequences moved past the explicit ids, views, the materialized view, a few
 * functions (callable as RPC) and ANALYZE so the planner and the row-count
 * estimates shown in the UI are right from the start.
 */
export const FINISH_SQL = /* sql */ `
alter table public.orders
  add primary key (id),
  add constraint orders_order_no_key unique (order_no),
  add constraint orders_customer_id_fkey foreign key (customer_id) references public.customers (id),
  add constraint orders_sales_rep_id_fkey foreign key (sales_rep_id) references public.employees (id) on delete set null,
  add constraint orders_region_code_fkey foreign key (region_code) references public.regions (code);

alter table public.order_lines
  add primary key (order_id, line_no),
  add constraint order_lines_order_id_fkey foreign key (order_id) references public.orders (id) on delete cascade,
  add constraint order_lines_product_id_fkey foreign key (product_id) references public.products (id);

create index orders_customer_id_idx on public.orders (customer_id);
create index orders_region_ordered_at_idx on public.orders (region_code, ordered_at desc);
create index orders_status_idx on public.orders (status);
create index order_lines_product_id_idx on public.order_lines (product_id);
create index customers_region_code_idx on public.customers (region_code);
create index customers_preferences_idx on public.customers using gin (preferences jsonb_path_ops);
create index products_search_idx on public.products using gin (search);
create index product_tags_tag_id_idx on public.product_tags (tag_id);
create index employees_manager_id_idx on public.employees (manager_id);

select setval(pg_get_serial_sequence('public.employees', 'id'), (select max(id) from public.employees));
select setval(pg_get_serial_sequence('public.customers', 'id'), (select max(id) from public.customers));
select setval(pg_get_serial_sequence('public.products', 'id'), (select max(id) from public.products));
select setval(pg_get_serial_sequence('public.tags', 'id'), (select max(id) from public.tags));
select setval(pg_get_serial_sequence('public.orders', 'id'), (select max(id) from public.orders));

create function public.touch_updated_at() returns trigger
  language plpgsql
  as $$ begin new.updated_at := now(); return new; end $$;
create trigger orders_touch_updated_at before update on public.orders
  for each row execute function public.touch_updated_at();

-- security_invoker: the view runs with the caller's privileges, so the RLS
-- policies of orders and customers still apply through it
create view public.order_summaries with (security_invoker = true) as
select o.id, o.order_no, o.status, o.ordered_at, o.region_code,
       c.id as customer_id, c.name as customer_name, c.tier as customer_tier,
       coalesce(t.line_count, 0) as line_count,
       coalesce(t.items, 0) as items,
       coalesce(t.total, 0)::numeric(12,2) as total
from public.orders o
join public.customers c on c.id = o.customer_id
left join lateral (
  select count(*)::int as line_count, sum(l.quantity)::int as items, sum(l.line_total) as total
  from public.order_lines l where l.order_id = o.id
) t on true;
comment on view public.order_summaries is 'One row per order with its customer and totals (read-only view)';
comment on column public.order_summaries.total is 'Sum of the order''s line totals';

-- a simple (auto-updatable) view: edits go through to products
create view public.active_products with (security_invoker = true) as
select id, sku, name, category, price, stock, attributes
from public.products
where not discontinued
with cascaded check option;
comment on view public.active_products is 'Products still on sale (editable view over products)';

create materialized view public.monthly_sales as
select date_trunc('month', o.ordered_at at time zone 'UTC')::date as month,
       o.region_code,
       count(distinct o.id)::int as orders,
       sum(l.quantity)::bigint as items,
       sum(l.line_total)::numeric(14,2) as revenue
from public.orders o
join public.order_lines l on l.order_id = o.id
where o.status not in ('cancelled', 'draft')
group by 1, 2
with data;
create unique index monthly_sales_month_region_idx on public.monthly_sales (month, region_code);
comment on materialized view public.monthly_sales is 'Revenue per month and region (all regions: managers only). Managers refresh it with the Refresh button or refresh_monthly_sales().';

create function public.refresh_monthly_sales() returns void
  language sql volatile security definer
  set search_path = pg_catalog, public
  as $$ refresh materialized view concurrently public.monthly_sales $$;
comment on function public.refresh_monthly_sales() is 'Recompute monthly_sales from the current orders';

create function public.search_products(query text) returns setof public.products
  language sql stable
  as $$
    select p.* from public.products p
    where p.search @@ websearch_to_tsquery('english', query)
    order by ts_rank(p.search, websearch_to_tsquery('english', query)) desc
  $$;
comment on function public.search_products(text) is 'Full-text search in the catalogue (web-search syntax: "desk lamp" -floor)';

create function public.customer_lifetime_value(customer_id integer) returns numeric
  language sql stable
  as $$
    select coalesce(sum(l.line_total), 0)
    from public.orders o join public.order_lines l on l.order_id = o.id
    where o.customer_id = customer_lifetime_value.customer_id and o.status not in ('cancelled', 'returned')
  $$;
comment on function public.customer_lifetime_value(integer) is 'Total revenue from one customer (orders you can see)';

analyze public.regions, public.employees, public.customers, public.products, public.tags,
        public.product_tags, public.orders, public.order_lines, public.monthly_sales;
`;

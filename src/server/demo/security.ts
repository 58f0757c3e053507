/**
 * Demo roles, privileges and row-level security.
 *
 * - pglive_demo_manager: reads and writes everything, sees every region.
 * - pglive_demo_eu / pglive_demo_us: sales teams. They read the catalogue,
 *   read and edit (no delete) the customers, orders and order lines of their
 *   own region only, and cannot read employees.salary or monthly_sales.
 *
 * Roles are cluster-wide and may exist already (another database, an earlier
 * run, a concurrent test): creation and membership tolerate that. The policies
 * key on current_user (pglive runs each request as the user's role) through
 * regions.sales_role, so re-assigning a region is an UPDATE, not a DDL change.
 */
import { DEMO_ROLES } from './users.js';

const { manager: MANAGER, eu: EU, us: US } = DEMO_ROLES;
const SALES = `${EU}, ${US}`;
const ALL = `${MANAGER}, ${EU}, ${US}`;

export const SECURITY_SQL = /* sql */ `
do $$
declare
  r text;
begin
  foreach r in array array['${MANAGER}', '${EU}', '${US}'] loop
    begin
      execute format('create role %I nologin', r);
    exception when duplicate_object or unique_violation then null;
    end;
    -- the server's login role must be able to SET ROLE to the demo roles
    if not exists (select 1 from pg_auth_members m
                   where m.roleid = r::regrole and m.member = current_user::regrole) then
      begin
        execute format('grant %I to %I', r, current_user);
      exception when unique_violation then null; -- granted concurrently
      end;
    end if;
  end loop;
end $$;

grant usage on schema public to ${ALL};

grant select, insert, update, delete on
  public.regions, public.employees, public.customers, public.products, public.tags,
  public.product_tags, public.orders, public.order_lines, public.active_products
  to ${MANAGER};
grant select on public.order_summaries, public.monthly_sales to ${MANAGER};
-- the manager owns monthly_sales, so it may REFRESH it (the grid's Refresh button, POST /meta/refresh)
alter materialized view public.monthly_sales owner to ${MANAGER};

grant select on
  public.regions, public.customers, public.products, public.tags, public.product_tags,
  public.orders, public.order_lines, public.order_summaries, public.active_products
  to ${SALES};
-- column-level: everything about a colleague except the salary
grant select (id, full_name, email, title, manager_id, region_code, hired_on, is_active, skills, quarterly_targets)
  on public.employees to ${SALES};
grant insert, update on public.customers, public.orders, public.order_lines to ${SALES};

revoke execute on function public.touch_updated_at() from public;
revoke execute on function public.refresh_monthly_sales() from public;
grant execute on function public.refresh_monthly_sales() to ${MANAGER};
grant execute on function public.search_products(text), public.customer_lifetime_value(integer) to ${ALL};

alter table public.customers enable row level security;
alter table public.orders enable row level security;
alter table public.order_lines enable row level security;

create policy manager_all on public.customers for all to ${MANAGER} using (true) with check (true);
create policy own_region on public.customers for all to ${SALES}
  using (region_code = (select r.code from public.regions r where r.sales_role = current_user));
comment on policy own_region on public.customers is 'Sales teams see and edit the customers of their own region';

create policy manager_all on public.orders for all to ${MANAGER} using (true) with check (true);
create policy own_region on public.orders for all to ${SALES}
  using (region_code = (select r.code from public.regions r where r.sales_role = current_user));
comment on policy own_region on public.orders is 'Sales teams see and edit the orders of their own region';

-- a line is visible exactly when its order is: the subquery is itself subject to the orders policies
create policy visible_order on public.order_lines for all to ${ALL}
  using (exists (select 1 from public.orders o where o.id = order_lines.order_id));
comment on policy visible_order on public.order_lines is 'Lines follow the visibility of their order';
`;

/**
 * Demo data, generated set-based (one INSERT … SELECT per table) so ~270,000
 * rows load in a few seconds. Every "random" value comes from demo_rand(salt, n),
 * a hash of its arguments: the same data every time, whatever order the
 * executor evaluates rows in (setseed/random() would depend on that order).
 * hashtextextended is the hash behind hash partitioning, so PostgreSQL keeps it
 * stable across versions; it is ~5x faster than md5 here.
 *
 * Ids are given explicitly so that references can be computed from them; the
 * identity sequences are moved past them in finish.ts.
 */

/** Helpers live in pg_temp: they vanish with the session and never show up in the API. */
export const HELPERS_SQL = /* sql */ `
create function pg_temp.demo_rand(salt text, n bigint) returns double precision
  language sql immutable parallel safe
  -- every piece immutable and typed float8, so the planner inlines it (text || bigint is only stable)
  as $$ select (hashtextextended(salt || ':' || n::text, 0) & 4294967295)::float8 / 4294967296::float8 $$;

create function pg_temp.demo_pick(items text[], salt text, n bigint) returns text
  language sql immutable parallel safe
  as $$ select items[1 + floor(pg_temp.demo_rand(salt, n) * cardinality(items))::int] $$;
`;

export const DROP_HELPERS_SQL = /* sql */ `
drop function pg_temp.demo_pick(text[], text, bigint);
drop function pg_temp.demo_rand(text, bigint);
`;

const FIRST = `array['Anna','Ben','Chloe','David','Elena','Felix','Grace','Hugo','Isabel','Jonas','Kira','Liam','Maya','Noah','Olivia','Pablo','Quinn','Rosa','Samuel','Tara','Umar','Vera','William','Xenia','Yusuf','Zoe','Ahmed','Bianca','Carlos']`;
const LAST = `array['Schmidt','Johnson','Dubois','Rossi','Nakamura','Kowalski','Garcia','Lindqvist','Murphy','Novak','Jensen','Silva','Chen','Okafor','Fischer','Brown','Moreau','Tanaka','Horvat','Larsen','Patel','Costa','Weber','Kim','Andersen','Russo','Walker','Singh','Meyer','Nguyen','Clarke']`;

/** employees: 1 CEO, 3 regional directors (2–4), 36 sales reps (5–40, region by id), 6 head-office staff (41–46) */
const EMPLOYEES_SQL = /* sql */ `
insert into public.regions (code, name, currency, timezone, sales_role) values
  ('EU', 'Europe', 'EUR', 'Europe/Berlin', 'pglive_demo_eu'),
  ('US', 'United States', 'USD', 'America/New_York', 'pglive_demo_us'),
  ('APAC', 'Asia-Pacific', 'USD', 'Asia/Singapore', null);

insert into public.employees
  (id, full_name, email, title, manager_id, region_code, hired_on, salary, is_active, skills, quarterly_targets)
overriding system value
select i,
       f || ' ' || l,
       lower(f || '.' || l) || '@acme.test',
       case when i = 1 then 'Chief Executive Officer'
            when i <= 4 then 'Regional Sales Director'
            when i <= 40 then pg_temp.demo_pick(array['Account Executive','Senior Account Executive','Sales Representative','Key Account Manager'], 'emp.title', i)
            else pg_temp.demo_pick(array['Accountant','Warehouse Lead','Buyer','Customer Support Lead','Logistics Planner','HR Partner'], 'emp.title', i) end,
       case when i = 1 then null when i <= 4 or i > 40 then 1 else 2 + (i - 5) % 3 end,
       case when i between 2 and 4 then (array['EU','US','APAC'])[i - 1]
            when i between 5 and 40 then (array['EU','US','APAC'])[1 + (i - 5) % 3] end,
       date '2012-03-01' + floor(pg_temp.demo_rand('emp.hired', i) * 4500)::int,
       round((case when i = 1 then 240000 when i <= 4 then 150000 else 48000 end
              + pg_temp.demo_rand('emp.salary', i) * 40000)::numeric, -2),
       pg_temp.demo_rand('emp.active', i) > 0.06,
       array_remove(array[
         case when pg_temp.demo_rand('emp.s1', i) < 0.5 then 'negotiation' end,
         case when pg_temp.demo_rand('emp.s2', i) < 0.4 then 'crm' end,
         case when pg_temp.demo_rand('emp.s3', i) < 0.3 then pg_temp.demo_pick(array['german','french','spanish','japanese','mandarin'], 'emp.lang', i) end,
         case when pg_temp.demo_rand('emp.s4', i) < 0.25 then 'forecasting' end], null),
       case when i between 2 and 40 then
         array(select (100 + floor(pg_temp.demo_rand('emp.q', i * 10 + q) * 400))::int from generate_series(1, 4) q)
       else '{}' end
from generate_series(1, 46) g(i)
cross join lateral (select (${FIRST})[1 + i % 29] as f, (${LAST})[1 + (i * 7) % 31] as l) n;
`;

const CUSTOMERS_SQL = /* sql */ `
insert into public.customers
  (id, public_id, name, email, tier, region_code, city, country, account_manager_id,
   preferences, favorite_product_ids, signed_up_at, notes)
overriding system value
select i,
       -- version-4 layout, deterministic content
       overlay(overlay(md5('cust.uuid:' || i) placing '4' from 13) placing '8' from 17)::uuid,
       company,
       'purchasing@' || trim(both '-' from lower(regexp_replace(company, '[^A-Za-z]+', '-', 'g'))) || '.example',
       (case when rt < 0.5 then 'bronze' when rt < 0.8 then 'silver' when rt < 0.95 then 'gold' else 'platinum' end)::public.customer_tier,
       (array['EU','US','APAC'])[k + 1],
       split_part(place, '|', 1),
       split_part(place, '|', 2),
       5 + k + 3 * floor(pg_temp.demo_rand('cust.am', i) * 12)::int,
       jsonb_build_object(
         'newsletter', pg_temp.demo_rand('cust.nl', i) < 0.6,
         'contact', pg_temp.demo_pick(array['email','phone','portal'], 'cust.contact', i),
         'language', case k when 0 then pg_temp.demo_pick(array['en','de','fr','it','es'], 'cust.lang', i) when 1 then 'en' else pg_temp.demo_pick(array['en','ja','zh'], 'cust.lang', i) end,
         'delivery', jsonb_build_object(
           'window', pg_temp.demo_pick(array['morning','afternoon','any'], 'cust.win', i),
           'dock', 1 + floor(pg_temp.demo_rand('cust.dock', i) * 8)::int)),
       array(select (1 + floor(pg_temp.demo_rand('cust.fav', i * 10 + j) * 300))::int
             from generate_series(1, floor(pg_temp.demo_rand('cust.nfav', i) * 4)::int) j),
       timestamptz '2020-01-01 09:00:00+00' + pg_temp.demo_rand('cust.signup', i) * interval '1460 days',
       case when pg_temp.demo_rand('cust.notes', i) < 0.08 then
         pg_temp.demo_pick(array['Invoices by post only','Call before delivery','Pays early, ask about volume discount','Closed on Fridays','New buyer since last year'], 'cust.note', i) end
from generate_series(1, 2000) g(i)
cross join lateral (
  select pg_temp.demo_rand('cust.tier', i) as rt,
         case when pg_temp.demo_rand('cust.region', i) < 0.45 then 0 when pg_temp.demo_rand('cust.region', i) < 0.85 then 1 else 2 end as k
) r
cross join lateral (
  select pg_temp.demo_pick(array['Northwind','Bluebird','Summit','Redwood','Silverline','Oak & Iron','Brightside','Harbor','Granite','Evergreen','Lakeside','Polaris','Copperfield','Westwind','Maple','Atlas','Pioneer','Sunrise','Riverside','Keystone'], 'cust.n1', i)
         || ' ' || pg_temp.demo_pick(array['Traders','Logistics','Supplies','Interiors','Hospitality','Offices','Workshop','Retail','Engineering','Studios','Foods','Outfitters'], 'cust.n2', i)
         || ' ' || case k when 0 then pg_temp.demo_pick(array['GmbH','Ltd','SARL','BV','S.p.A.','AB'], 'cust.n3', i)
                          when 1 then pg_temp.demo_pick(array['Inc.','LLC','Corp.','Co.'], 'cust.n3', i)
                          else pg_temp.demo_pick(array['Pte Ltd','Pty Ltd','K.K.','Ltd'], 'cust.n3', i) end as company,
         case k when 0 then pg_temp.demo_pick(array['Berlin|Germany','Munich|Germany','Paris|France','Lyon|France','Milan|Italy','Madrid|Spain','Amsterdam|Netherlands','Stockholm|Sweden','Vienna|Austria','Dublin|Ireland','Warsaw|Poland','Lisbon|Portugal'], 'cust.city', i)
                when 1 then pg_temp.demo_pick(array['New York|USA','Chicago|USA','Austin|USA','Seattle|USA','Denver|USA','Boston|USA','Atlanta|USA','San Diego|USA','Portland|USA','Miami|USA'], 'cust.city', i)
                else pg_temp.demo_pick(array['Singapore|Singapore','Sydney|Australia','Melbourne|Australia','Tokyo|Japan','Osaka|Japan','Seoul|South Korea','Auckland|New Zealand'], 'cust.city', i) end as place
) n;
`;

/** 300 products: name = adjective × category noun; the mapping makes every (noun, adjective) pair distinct */
const PRODUCTS_SQL = /* sql */ `
insert into public.products
  (id, sku, name, description, category, price, cost, stock, attributes, warranty, discontinued, launched_on, last_restocked_at)
overriding system value
select i, upper(left(replace(category, ' ', ''), 3)) || '-' || lpad(i::text, 4, '0'),
       adjective || ' ' || noun,
       case when adjective ~ '^[AEIOU]' then 'An ' else 'A ' end || lower(adjective) || ' ' || lower(noun) || ' for '
         || pg_temp.demo_pick(array['busy offices','home workers','restaurants','workshops','schools','hotels','retail stores'], 'prod.use', i)
         || '. ' || pg_temp.demo_pick(array['Ships flat-packed.','Backed by our service team.','Customer favourite.','Made from recycled materials.','Available in several colours.'], 'prod.feat', i),
       category, price, round(price * (0.4 + pg_temp.demo_rand('prod.cost', i) * 0.3)::numeric, 2),
       case when pg_temp.demo_rand('prod.oos', i) < 0.07 then 0 else floor(pg_temp.demo_rand('prod.stock', i) * 800)::int end,
       jsonb_strip_nulls(jsonb_build_object(
         'color', pg_temp.demo_pick(array['black','white','oak','graphite','red','blue','sage green'], 'prod.color', i),
         'weight_kg', round((0.2 + pg_temp.demo_rand('prod.kg', i) * 25)::numeric, 1),
         'dimensions_cm', jsonb_build_array(10 + floor(pg_temp.demo_rand('prod.w', i) * 150)::int, 10 + floor(pg_temp.demo_rand('prod.h', i) * 120)::int, 5 + floor(pg_temp.demo_rand('prod.d', i) * 80)::int),
         'eco_label', case when pg_temp.demo_rand('prod.eco', i) < 0.3 then true end)),
       case when pg_temp.demo_rand('prod.warranty', i) < 0.2 then null
            else (pg_temp.demo_pick(array['6 months','1 year','2 years','3 years','5 years'], 'prod.wlen', i))::interval end,
       pg_temp.demo_rand('prod.disc', i) < 0.05,
       date '2019-01-01' + floor(pg_temp.demo_rand('prod.launch', i) * 2000)::int,
       timestamp '2026-06-01 06:00:00' + pg_temp.demo_rand('prod.restock', i) * interval '120 days'
from generate_series(1, 300) g(i)
cross join lateral (select (i - 1) % 40 as noun_ix, (i - 1) / 40 as k) m
cross join lateral (
  select (array['Office Furniture','Lighting','Kitchen','Tools','Electronics','Stationery','Outdoor','Storage'])[1 + noun_ix / 5] as category,
         (array['Desk Chair','Standing Desk','Filing Cabinet','Bookshelf','Meeting Table',
                'Desk Lamp','Floor Lamp','LED Panel','Pendant Light','Work Light',
                'Coffee Maker','Kettle','Water Filter','Knife Set','Cutlery Tray',
                'Cordless Drill','Tool Chest','Screwdriver Set','Workbench','Spirit Level',
                'Monitor Arm','USB-C Dock','Wireless Keyboard','Headset','Webcam',
                'Notebook','Fountain Pen','Label Printer','Whiteboard','Paper Shredder',
                'Patio Umbrella','Bench','Planter','Bike Rack','Picnic Table',
                'Storage Box','Shelving Unit','Locker','Archive Crate','Wall Rack'])[1 + noun_ix] as noun,
         (array['Ergonomic','Compact','Heavy-Duty','Classic','Modern','Premium','Eco','Smart','Foldable','Deluxe','Essential','Pro'])[1 + (k * 5 + noun_ix) % 12] as adjective,
         (floor(5 + pg_temp.demo_rand('prod.price', i) ^ 2 * 900) + 0.99)::numeric(12,2) as price
) n;

insert into public.tags (id, name, color) overriding system value values
  (1, 'bestseller', '#e4572e'), (2, 'eco-friendly', '#4caf50'), (3, 'new', '#2196f3'),
  (4, 'clearance', '#ff9800'), (5, 'premium', '#6a1b9a'), (6, 'bulk-discount', '#009688'),
  (7, 'fragile', '#f44336'), (8, 'made-in-eu', '#3f51b5'), (9, 'seasonal', '#ffc107'),
  (10, 'gift-idea', '#e91e63'), (11, 'b2b-only', '#607d8b'), (12, 'refurbished', '#795548');

insert into public.product_tags (product_id, tag_id)
select p, t from generate_series(1, 300) p cross join generate_series(1, 12) t
where pg_temp.demo_rand('prod.tag', p * 100 + t) < 0.22;
`;

/**
 * 60,000 orders from 2024-01-01 to 2026-10-31, denser over time (the business
 * grows: sqrt spreads later orders closer together); 1–6 lines each, ~210,000 lines.
 */
const ORDERS_SQL = /* sql */ `
insert into public.orders
  (id, customer_id, sales_rep_id, region_code, status, ordered_at, shipped_at, promised_within, labels, notes, updated_at)
select i, c.id,
       case when pg_temp.demo_rand('ord.rep', i) < 0.85 then c.account_manager_id end,
       c.region_code, s.status, t.ordered_at,
       case when s.status in ('shipped','delivered','returned')
            then t.ordered_at + (1 + floor(pg_temp.demo_rand('ord.ship', i) * 6)) * interval '1 day' + pg_temp.demo_rand('ord.shiph', i) * interval '8 hours' end,
       (pg_temp.demo_pick(array['2 days','3 days','5 days','5 days','1 week','2 weeks'], 'ord.promise', i))::interval,
       array_remove(array[
         case when pg_temp.demo_rand('ord.l1', i) < 0.08 then 'rush' end,
         case when pg_temp.demo_rand('ord.l2', i) < 0.05 then 'gift' end,
         case when pg_temp.demo_rand('ord.l3', i) < 0.25 then 'b2b' end,
         case when pg_temp.demo_rand('ord.l4', i) < 0.03 then 'vip' end], null),
       case when pg_temp.demo_rand('ord.notes', i) < 0.03 then
         pg_temp.demo_pick(array['Deliver to the back entrance','Split shipment OK','Customer asked for a callback','Invoice to head office','Leave with reception'], 'ord.note', i) end,
       t.ordered_at
from generate_series(1, 60000) g(i)
cross join lateral (
  select timestamptz '2024-01-01 08:00:00+00'
           + sqrt(i / 60000.0) * interval '1034 days'
           + pg_temp.demo_rand('ord.time', i) * interval '10 hours' as ordered_at,
         pg_temp.demo_rand('ord.status', i) as rs
) t
cross join lateral (
  select (case when i > 59700 then pg_temp.demo_pick(array['draft','placed','paid','paid','shipped'], 'ord.recent', i)
               when rs < 0.86 then 'delivered' when rs < 0.89 then 'shipped'
               when rs < 0.95 then 'cancelled' else 'returned' end)::public.order_status as status
) s
join public.customers c on c.id = 1 + floor(2000 * pg_temp.demo_rand('ord.cust', i) ^ 1.6)::int;

insert into public.order_lines (order_id, line_no, product_id, quantity, unit_price, discount_pct)
select o.id, l, p.id,
       1 + floor(pg_temp.demo_rand('line.qty', o.id * 10 + l) ^ 3 * 24)::int,
       p.price,
       case c.tier when 'bronze' then 0 when 'silver' then 2.5 when 'gold' then 5 else 10 end
         + case when pg_temp.demo_rand('line.promo', o.id * 10 + l) < 0.1 then 5 else 0 end
from public.orders o
join public.customers c on c.id = o.customer_id
cross join lateral generate_series(1, 1 + floor(pg_temp.demo_rand('ord.lines', o.id) * 6)::int) l
join public.products p on p.id = 1 + floor(pg_temp.demo_rand('line.product', o.id * 10 + l) * 300)::int;
`;

export const DATA_SQL = EMPLOYEES_SQL + CUSTOMERS_SQL + PRODUCTS_SQL + ORDERS_SQL;

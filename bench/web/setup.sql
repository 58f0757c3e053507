-- bench/web: one table big enough that only a window of it can ever be on the client
create table public.bench_big (
  id integer primary key,
  name text not null,
  status text not null,
  qty integer not null,
  price numeric(10, 2) not null,
  created_at timestamptz not null
);
insert into public.bench_big
select g, 'Item ' || g, (array['open', 'paid', 'shipped', 'closed'])[1 + g % 4], g % 97, (g % 10000) / 100.0,
       timestamptz '2024-01-01' + g * interval '37 seconds'
from generate_series(1, 1000000) g;
analyze public.bench_big;
do $$ begin create role pglive_bench_web nologin; exception when duplicate_object or unique_violation then null; end $$;
grant select, update on public.bench_big to pglive_bench_web;
grant pglive_bench_web to current_user;

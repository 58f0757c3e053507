/**
 * pglive's own objects live in schema `pglive`, created by these versioned
 * migrations (append only: never edit a released migration, add a new one).
 * The schema is private to the server's login role: user roles get nothing.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'users, sessions, api tokens, settings',
    sql: `
      create table pglive.users (
        id uuid primary key default gen_random_uuid(),
        email text not null,
        password_hash text not null,
        display_name text not null default '',
        db_role text not null,
        is_admin boolean not null default false,
        disabled boolean not null default false,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        password_changed_at timestamptz not null default now()
      );
      create unique index users_email_key on pglive.users (lower(email));

      create table pglive.sessions (
        token_hash bytea primary key,
        user_id uuid not null references pglive.users(id) on delete cascade,
        created_at timestamptz not null default now(),
        last_seen_at timestamptz not null default now(),
        expires_at timestamptz not null,
        revoked_at timestamptz,
        user_agent text,
        ip text
      );
      create index sessions_user_idx on pglive.sessions (user_id);

      create table pglive.api_tokens (
        id uuid primary key default gen_random_uuid(),
        token_hash bytea not null unique,
        user_id uuid not null references pglive.users(id) on delete cascade,
        name text not null,
        created_at timestamptz not null default now(),
        last_used_at timestamptz,
        expires_at timestamptz,
        revoked_at timestamptz
      );
      create index api_tokens_user_idx on pglive.api_tokens (user_id);

      create table pglive.settings (
        key text primary key,
        value jsonb not null,
        updated_at timestamptz not null default now()
      );
    `,
  },
  {
    version: 2,
    name: 'column preferences (global / role / user layers) and saved views',
    sql: `
      -- how relations are shown (metadata only): owner is '' for the global
      -- layer, the database role for the role layer, the user id for the user layer
      create table pglive.column_prefs (
        layer text not null check (layer in ('global', 'role', 'user')),
        owner text not null default '',
        schema_name text not null,
        relation text not null,
        settings jsonb not null,
        updated_at timestamptz not null default now(),
        updated_by uuid references pglive.users(id) on delete set null,
        primary key (layer, owner, schema_name, relation),
        check ((layer = 'global') = (owner = ''))
      );

      create table pglive.saved_views (
        id uuid primary key default gen_random_uuid(),
        owner uuid not null references pglive.users(id) on delete cascade,
        name text not null check (length(name) between 1 and 200),
        schema_name text not null,
        relation text not null,
        query text not null default '',
        columns jsonb,
        shared boolean not null default false,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      );
      create index saved_views_relation_idx on pglive.saved_views (schema_name, relation);
      create index saved_views_owner_idx on pglive.saved_views (owner);
    `,
  },
];

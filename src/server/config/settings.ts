/**
 * The table of settings: one row per setting with its flag, env var, default,
 * help text and zod schema. load.ts builds the CLI, the env/file readers and
 * the help text from this table, and docs/configuration.md is checked against
 * it, so a new setting is added in one place.
 *
 * Schemas accept both what a flag or env var gives (a string) and what a JSON
 * config file gives (numbers, booleans, arrays, null).
 */
import { z } from 'zod';
import { formatBytes, formatDuration, parseBytes, parseDuration } from './units.js';

export interface Setting<T> {
  /** commander flag spec, e.g. '--port <n>'; null = not on the command line (secrets) */
  readonly flag: string | null;
  readonly env: string | null;
  readonly default: T;
  /** the default as shown in --help and the docs */
  readonly defaultText: string;
  readonly description: string;
  readonly schema: z.ZodType<T>;
  /** never echo the value in error messages */
  readonly secret?: boolean;
}

function setting<T>(s: Setting<T>): Setting<T> {
  return s;
}

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
const NULL_WORDS = new Set(['', 'none', 'null', 'off', 'unlimited']);
const TRUE_WORDS = new Set(['1', 'true', 'yes', 'on']);
const FALSE_WORDS = new Set(['0', 'false', 'no', 'off']);

function nonEmpty(what: string): z.ZodType<string> {
  return z.string({ error: `expected ${what}` }).trim().min(1, { error: `expected ${what}` });
}

function optional<T>(schema: z.ZodType<T>): z.ZodType<T | null> {
  return z.preprocess((v) => (v === null || (typeof v === 'string' && NULL_WORDS.has(v.trim().toLowerCase())) ? null : v), schema.nullable());
}

function integer(min: number, max: number, what: string): z.ZodType<number> {
  const error = `expected ${what}`;
  return z.preprocess(
    (v) => (typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v),
    z.number({ error }).int({ error }).min(min, { error }).max(max, { error }),
  );
}

function withUnit(parse: (s: string) => number | null, min: number, max: number, what: string): z.ZodType<number> {
  const error = `expected ${what}`;
  return z.union([z.number(), z.string()], { error }).transform((v, ctx) => {
    const n = typeof v === 'number' ? v : parse(v);
    if (n === null || !Number.isInteger(n) || n < min || n > max) {
      ctx.addIssue(error);
      return z.NEVER;
    }
    return n;
  });
}

/** a comma-separated string (flag, env) or an array (config file) */
function list(check: (item: string) => boolean, what: string, allowEmpty: boolean): z.ZodType<string[]> {
  const error = `expected ${what}`;
  return z.union([z.string(), z.array(z.string())], { error }).transform((v, ctx) => {
    const items = (typeof v === 'string' ? v.split(',') : v).map((s) => s.trim()).filter((s) => s !== '');
    const bad = items.find((s) => !check(s));
    if (bad !== undefined) {
      ctx.addIssue(`${error} ("${bad}" is not valid)`);
      return z.NEVER;
    }
    if (!allowEmpty && items.length === 0) {
      ctx.addIssue(error);
      return z.NEVER;
    }
    return [...new Set(items)];
  });
}

function boolean(): z.ZodType<boolean> {
  const error = 'expected a boolean: 1/0, true/false, yes/no, on/off';
  return z.union([z.boolean(), z.string()], { error }).transform((v, ctx) => {
    if (typeof v === 'boolean') return v;
    const w = v.trim().toLowerCase();
    if (TRUE_WORDS.has(w)) return true;
    if (FALSE_WORDS.has(w)) return false;
    ctx.addIssue(error);
    return z.NEVER;
  });
}

function isPostgresUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return u.protocol === 'postgres:' || u.protocol === 'postgresql:';
  } catch {
    return false;
  }
}

/** an Origin header value: scheme://host[:port], nothing else */
function isOrigin(v: string): boolean {
  try {
    const u = new URL(v);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.origin === v.replace(/\/$/, '');
  } catch {
    return false;
  }
}

const MINUTE = 60_000;
const DAY = 86_400_000;

export const SETTINGS = {
  databaseUrl: setting<string | null>({
    flag: '--db <url>',
    env: 'DATABASE_URL',
    default: null,
    defaultText: 'none: start the embedded PostgreSQL',
    description: 'PostgreSQL connection URL of the database to serve',
    schema: optional(
      nonEmpty('a URL').refine(isPostgresUrl, {
        error: 'expected a postgres:// or postgresql:// URL, e.g. postgres://user:password@localhost:5432/mydb',
      }),
    ),
    secret: true,
  }),
  dataDir: setting<string>({
    flag: '--data-dir <path>',
    env: 'PGLIVE_DATA_DIR',
    default: './.pglive',
    defaultText: './.pglive',
    description: 'folder of the embedded PostgreSQL (used only without --db)',
    schema: nonEmpty('a folder path'),
  }),
  port: setting<number>({
    flag: '--port <n>',
    env: 'PORT',
    default: 3000,
    defaultText: '3000',
    description: 'HTTP port (0 picks a free port)',
    schema: integer(0, 65535, 'a port number from 0 to 65535'),
  }),
  host: setting<string>({
    flag: '--host <addr>',
    env: 'HOST',
    default: '127.0.0.1',
    defaultText: '127.0.0.1',
    description: 'address to listen on (0.0.0.0 for all interfaces)',
    schema: nonEmpty('a host name or IP address'),
  }),
  schemas: setting<string[]>({
    flag: '--schemas <list>',
    env: 'PGLIVE_SCHEMAS',
    default: ['public'],
    defaultText: 'public',
    description: 'comma-separated schemas to expose; the first is the default',
    schema: list((s) => s.length <= 63, 'a comma-separated list of schema names, e.g. public,api', false),
  }),
  anonRole: setting<string | null>({
    flag: '--anon-role <role>',
    env: 'PGLIVE_ANON_ROLE',
    default: null,
    defaultText: 'none: anonymous requests get 401',
    description: 'database role for requests without credentials',
    schema: optional(nonEmpty('a role name')),
  }),
  jwtSecret: setting<string | null>({
    flag: null,
    env: 'PGLIVE_JWT_SECRET',
    default: null,
    defaultText: 'none: Bearer JWTs are refused',
    description: 'HS256 secret for Bearer JWTs, at least 32 characters',
    schema: optional(
      z.string({ error: 'expected a string' }).min(32, {
        error: 'must be at least 32 characters long; generate one with: openssl rand -base64 32',
      }),
    ),
    secret: true,
  }),
  adminEmail: setting<string | null>({
    flag: null,
    env: 'PGLIVE_ADMIN_EMAIL',
    default: null,
    defaultText: 'admin@localhost',
    description: 'e-mail of the admin account created at first start',
    schema: optional(nonEmpty('an e-mail address').refine((s) => /^[^\s@]+@[^\s@]+$/.test(s), { error: 'expected an e-mail address' })),
  }),
  adminPassword: setting<string | null>({
    flag: null,
    env: 'PGLIVE_ADMIN_PASSWORD',
    default: null,
    defaultText: 'generated and printed once',
    description: 'password of the admin account created at first start',
    schema: optional(z.string({ error: 'expected a string' }).min(1, { error: 'must not be empty' })),
    secret: true,
  }),
  allowedOrigins: setting<string[]>({
    flag: '--allowed-origins <list>',
    env: 'PGLIVE_ALLOWED_ORIGINS',
    default: [],
    defaultText: "none: only the server's own origin",
    description: 'comma-separated origins allowed for cookie-authenticated writes and websockets',
    schema: list(isOrigin, 'a comma-separated list of origins like https://app.example.com (scheme://host[:port], no path)', true).transform(
      (xs) => xs.map((s) => s.replace(/\/$/, '')),
    ),
  }),
  bodyLimit: setting<number>({
    flag: '--body-limit <size>',
    env: 'PGLIVE_BODY_LIMIT',
    default: 1024 ** 2,
    defaultText: formatBytes(1024 ** 2),
    description: 'maximum request body size in bytes, or with a unit: 512kb, 1mb',
    schema: withUnit(parseBytes, 1, 1024 ** 3, 'a size in bytes or with a unit (512kb, 1mb), at most 1gb'),
  }),
  statementTimeout: setting<number>({
    flag: '--statement-timeout <ms>',
    env: 'PGLIVE_STATEMENT_TIMEOUT',
    default: 10_000,
    defaultText: '10000 (10s)',
    description: 'statement_timeout of every request in ms, or with a unit: 500ms, 10s, 1m; 0 disables it',
    schema: withUnit(parseDuration, 0, DAY, 'a duration in milliseconds or with a unit (500ms, 10s, 1m), at most 1d'),
  }),
  maxRows: setting<number | null>({
    flag: '--max-rows <n>',
    env: 'PGLIVE_MAX_ROWS',
    default: null,
    defaultText: 'none: unlimited',
    description: 'most rows a read returns when the request sets no limit',
    schema: optional(integer(1, 1_000_000_000, 'a positive integer, or none')),
  }),
  poolSize: setting<number>({
    flag: '--pool-size <n>',
    env: 'PGLIVE_POOL_SIZE',
    default: 10,
    defaultText: '10',
    description: 'connections in the request pool',
    schema: integer(1, 1000, 'an integer from 1 to 1000'),
  }),
  demo: setting<boolean>({
    flag: '--no-demo',
    env: 'PGLIVE_DEMO',
    default: true,
    defaultText: 'on',
    description: 'do not load the demo schema into a new embedded database (env: PGLIVE_DEMO=0)',
    schema: boolean(),
  }),
  triggers: setting<boolean>({
    flag: '--no-triggers',
    env: 'PGLIVE_TRIGGERS',
    default: true,
    defaultText: 'on',
    description: 'do not install or sync the change-capture triggers (someone else maintains them; env: PGLIVE_TRIGGERS=0)',
    schema: boolean(),
  }),
  logLevel: setting<string>({
    flag: '--log-level <level>',
    env: 'PGLIVE_LOG_LEVEL',
    default: 'info',
    defaultText: 'info',
    description: `request log level: ${LOG_LEVELS.join(', ')}`,
    schema: z.enum(LOG_LEVELS, { error: `expected one of ${LOG_LEVELS.join(', ')}` }),
  }),
  sessionIdle: setting<number>({
    flag: '--session-idle <duration>',
    env: 'PGLIVE_SESSION_IDLE',
    default: DAY,
    defaultText: '24h',
    description: 'a login session expires after this long without use (30m, 24h, 7d)',
    schema: withUnit(parseDuration, MINUTE, 365 * DAY, 'a duration like 30m, 24h or 7d, from 1m to 365d'),
  }),
  sessionAbsolute: setting<number>({
    flag: '--session-absolute <duration>',
    env: 'PGLIVE_SESSION_ABSOLUTE',
    default: 30 * DAY,
    defaultText: formatDuration(30 * DAY),
    description: 'a login session expires this long after login, used or not',
    schema: withUnit(parseDuration, MINUTE, 3650 * DAY, 'a duration like 12h, 30d or 90d, from 1m to 3650d'),
  }),
} as const;

export type SettingKey = keyof typeof SETTINGS;
export type Settings = { -readonly [K in SettingKey]: (typeof SETTINGS)[K] extends Setting<infer T> ? T : never };
export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[];

/** The config-file path setting is read before the others, so it is not in the table. */
export const CONFIG_FLAG = '--config <file>';
export const CONFIG_ENV = 'PGLIVE_CONFIG';

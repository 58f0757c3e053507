/**
 * argv + env (+ an optional JSON config file) → one validated Config.
 * Precedence: flags > env > config file > defaults. Pure apart from reading the
 * config file: main.ts passes process.argv/env, tests pass their own.
 * Every bad setting yields one line in a single ConfigError, so a user fixes
 * everything in one go.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import type { Config } from './types.js';
import { CONFIG_ENV, CONFIG_FLAG, SETTINGS, SETTING_KEYS, type Setting, type SettingKey, type Settings } from './settings.js';
import { maskUrl } from '../db/startup-errors.js';
import { formatDuration } from './units.js';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export type CliCommand = 'serve' | 'uninstall' | 'help' | 'version';

export interface LoadedConfig {
  readonly command: CliCommand;
  readonly config: Config;
  /** the full --help text (also for commands other than 'help') */
  readonly helpText: string;
  /** `uninstall --yes`: skip the confirmation prompt */
  readonly yes: boolean;
}

export const VERSION: string = (createRequire(import.meta.url)('../../../package.json') as { version: string }).version;

type Origin = { kind: 'flag'; flag: string } | { kind: 'env'; name: string } | { kind: 'file'; path: string };

/** @param argv the user's arguments, without node and the script (process.argv.slice(2)) */
export function loadConfig(argv: readonly string[], env: NodeJS.ProcessEnv): LoadedConfig {
  const out = { text: '' };
  const { program, uninstall } = buildProgram(out);
  program.outputHelp();
  const helpText = out.text;
  out.text = '';
  let command = 'serve' as CliCommand; // set by the action callbacks
  program.action(() => {
    command = 'serve';
  });
  uninstall.action(() => {
    command = 'uninstall';
  });
  try {
    program.parse([...argv], { from: 'user' });
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.help') {
      return { command: 'help', config: toConfig(defaults()), helpText: out.text || helpText, yes: false };
    }
    if (e.code === 'commander.version') {
      return { command: 'version', config: toConfig(defaults()), helpText, yes: false };
    }
    throw new ConfigError(`${e.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ')} (see pglive --help)`);
  }

  const cmd = command === 'uninstall' ? uninstall : program;
  if (command === 'uninstall' && cmd.getOptionValueSource('db') !== 'cli') {
    throw new ConfigError('uninstall needs --db <url>: the database to remove pglive from (see pglive uninstall --help)');
  }
  const flags = flagValues(cmd);
  const configPath = flags.config ?? nonEmptyEnv(env, CONFIG_ENV);
  const file = configPath === undefined ? { path: undefined, values: {} } : readConfigFile(configPath);

  const settings = defaults();
  const errors: string[] = [];
  for (const key of SETTING_KEYS) {
    const spec = SETTINGS[key] as Setting<unknown>;
    const picked = pick(key, spec, flags.values, env, file.values, file.path);
    if (picked === undefined) continue;
    const parsed = spec.schema.safeParse(picked.raw);
    if (parsed.success) {
      (settings as Record<SettingKey, unknown>)[key] = parsed.data;
    } else {
      errors.push(`${describeOrigin(picked.origin, picked.raw, key, spec)}: ${parsed.error.issues[0]?.message ?? 'invalid value'}`);
    }
  }
  if (errors.length === 0 && settings.sessionIdle > settings.sessionAbsolute) {
    errors.push(
      `The session idle expiry (${formatDuration(settings.sessionIdle)}) is longer than the absolute expiry ` +
        `(${formatDuration(settings.sessionAbsolute)}): lower --session-idle / PGLIVE_SESSION_IDLE ` +
        'or raise --session-absolute / PGLIVE_SESSION_ABSOLUTE',
    );
  }
  if (errors.length > 0) throw new ConfigError(errors.join('\n'));
  return { command, config: toConfig(settings), helpText, yes: command === 'uninstall' && cmd.opts().yes === true };
}

function defaults(): Settings {
  const s = {} as Record<SettingKey, unknown>;
  for (const key of SETTING_KEYS) s[key] = SETTINGS[key].default;
  return s as Settings;
}

export function toConfig(s: Settings): Config {
  return {
    databaseUrl: s.databaseUrl,
    dataDir: resolve(s.dataDir),
    port: s.port,
    host: s.host,
    schemas: s.schemas,
    anonRole: s.anonRole,
    jwtSecret: s.jwtSecret,
    adminEmail: s.adminEmail,
    adminPassword: s.adminPassword,
    allowedOrigins: s.allowedOrigins,
    bodyLimit: s.bodyLimit,
    statementTimeoutMs: s.statementTimeout,
    sessionIdleMs: s.sessionIdle,
    sessionAbsoluteMs: s.sessionAbsolute,
    maxRows: s.maxRows,
    poolSize: s.poolSize,
    demo: s.demo,
    liveTriggers: s.triggers,
    logLevel: s.logLevel,
  };
}

// ---------------------------------------------------------------------------

function buildProgram(out: { text: string }): { program: Command; uninstall: Command } {
  const program = new Command('pglive')
    .description('A realtime admin and PostgREST-compatible API for PostgreSQL')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => void (out.text += s),
      writeErr: (s) => void (out.text += s),
      outputError: () => {},
    })
    .enablePositionalOptions()
    .version(VERSION, '-V, --version', 'print the version and exit')
    .helpOption('-h, --help', 'print this help and exit');
  for (const key of SETTING_KEYS) {
    const spec = SETTINGS[key] as Setting<unknown>;
    if (spec.flag === null) continue;
    const env = spec.env === null || key === 'demo' || key === 'triggers' ? '' : ` [env: ${spec.env}]`;
    program.addOption(new Option(spec.flag, `${spec.description}${env} (default: ${spec.defaultText})`));
  }
  program.addOption(new Option(CONFIG_FLAG, `JSON file with settings in camelCase (e.g. {"port": 8080}) [env: ${CONFIG_ENV}]`));
  program.addHelpText('after', envOnlyHelp());

  const uninstall = program
    .command('uninstall')
    .description('remove everything pglive created in a database (schema pglive, its triggers and event triggers)')
    .addOption(new Option('--db <url>', 'PostgreSQL connection URL of the database to clean (required)'))
    .addOption(new Option('-y, --yes', 'do not ask for confirmation'));
  return { program, uninstall };
}

function envOnlyHelp(): string {
  const lines = ['', 'Environment only (secrets never go on the command line; a config file may also set them):'];
  for (const key of SETTING_KEYS) {
    const spec = SETTINGS[key] as Setting<unknown>;
    if (spec.flag !== null || spec.env === null) continue;
    lines.push(`  ${spec.env.padEnd(24)}${spec.description} (default: ${spec.defaultText})`);
  }
  lines.push('', 'Precedence: flags > environment > config file > defaults.', 'Sizes accept 512kb, 1mb; durations accept 500ms, 10s, 30m, 24h, 30d.');
  return lines.join('\n');
}

interface FlagValues {
  readonly config: string | undefined;
  readonly values: Partial<Record<SettingKey, { raw: unknown; flag: string }>>;
}

/** commander attribute name (e.g. `db`, `dataDir`) → setting */
const KEY_OF_ATTRIBUTE = new Map<string, SettingKey>(
  SETTING_KEYS.flatMap((key) => {
    const flag = SETTINGS[key].flag;
    return flag === null ? [] : [[new Option(flag).attributeName(), key] as const];
  }),
);

/** only the values the user actually typed: commander's own defaults (e.g. --no-demo → true) are ignored */
function flagValues(cmd: Command): FlagValues {
  const opts = cmd.opts();
  const values: FlagValues['values'] = {};
  for (const option of cmd.options) {
    const attr = option.attributeName();
    if (cmd.getOptionValueSource(attr) !== 'cli') continue;
    const key = KEY_OF_ATTRIBUTE.get(attr);
    if (key !== undefined) values[key] = { raw: opts[attr], flag: option.long ?? option.flags };
  }
  const config = cmd.getOptionValueSource('config') === 'cli' ? (opts.config as string) : undefined;
  return { config, values };
}

function nonEmptyEnv(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v === '' ? undefined : v;
}

function pick(
  key: SettingKey,
  spec: Setting<unknown>,
  flags: FlagValues['values'],
  env: NodeJS.ProcessEnv,
  file: Record<string, unknown>,
  filePath: string | undefined,
): { raw: unknown; origin: Origin } | undefined {
  const flag = flags[key];
  if (flag !== undefined) return { raw: flag.raw, origin: { kind: 'flag', flag: flag.flag } };
  const fromEnv = spec.env === null ? undefined : nonEmptyEnv(env, spec.env);
  if (fromEnv !== undefined) return { raw: fromEnv, origin: { kind: 'env', name: spec.env! } };
  if (key in file && filePath !== undefined) return { raw: file[key], origin: { kind: 'file', path: filePath } };
  return undefined;
}

function readConfigFile(path: string): { path: string; values: Record<string, unknown> } {
  const abs = resolve(path);
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (e) {
    throw new ConfigError(`Cannot read the config file ${abs}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`The config file ${abs} is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`The config file ${abs} must contain a JSON object, e.g. {"port": 8080}`);
  }
  const unknown = Object.keys(parsed).filter((k) => !(k in SETTINGS));
  if (unknown.length > 0) {
    throw new ConfigError(`The config file ${abs} has unknown settings: ${unknown.join(', ')} (known: ${SETTING_KEYS.join(', ')})`);
  }
  return { path: abs, values: parsed as Record<string, unknown> };
}

function describeOrigin(origin: Origin, raw: unknown, key: SettingKey, spec: Setting<unknown>): string {
  const shown = spec.secret ? secretText(key, raw) : JSON.stringify(raw);
  switch (origin.kind) {
    case 'flag':
      return `${origin.flag} ${shown}`;
    case 'env':
      return `${origin.name}=${shown}`;
    case 'file':
      return `"${key}": ${shown} in ${origin.path}`;
  }
}

function secretText(key: SettingKey, raw: unknown): string {
  if (key === 'databaseUrl' && typeof raw === 'string') return JSON.stringify(maskUrl(raw));
  return typeof raw === 'string' ? `*** (${raw.length} characters)` : '***';
}

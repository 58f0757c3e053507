import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './load.js';
import { SETTINGS, SETTING_KEYS } from './settings.js';
import { formatBytes, formatDuration, parseBytes, parseDuration } from './units.js';

const SECRET = 'x'.repeat(32);

function configFile(content: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'pglive-config-'));
  const path = join(dir, 'pglive.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

/** the ConfigError message for argv/env, or fail */
function errorOf(argv: string[], env: NodeJS.ProcessEnv = {}): string {
  try {
    loadConfig(argv, env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).message;
  }
  throw new Error(`expected a ConfigError for ${argv.join(' ')} ${JSON.stringify(env)}`);
}

describe('loadConfig: defaults and values', () => {
  it('gives the documented defaults with no flags, env or file', () => {
    const { command, config } = loadConfig([], {});
    expect(command).toBe('serve');
    expect(config).toEqual({
      databaseUrl: null,
      dataDir: resolve('.pglive'),
      port: 3000,
      host: '127.0.0.1',
      schemas: ['public'],
      anonRole: null,
      jwtSecret: null,
      adminEmail: null,
      adminPassword: null,
      allowedOrigins: [],
      bodyLimit: 1024 * 1024,
      statementTimeoutMs: 10_000,
      sessionIdleMs: 24 * 3_600_000,
      sessionAbsoluteMs: 30 * 86_400_000,
      maxRows: null,
      poolSize: 10,
      demo: true,
      liveTriggers: true,
      logLevel: 'info',
    });
  });

  it('reads every flag', () => {
    const { config } = loadConfig(
      [
        '--db', 'postgres://u:p@db.example:6543/app',
        '--data-dir', '/tmp/pgl',
        '--port', '8080',
        '--host', '0.0.0.0',
        '--schemas', 'api, public,api',
        '--anon-role', 'web_anon',
        '--allowed-origins', 'https://a.example,http://localhost:5173/',
        '--body-limit', '512kb',
        '--statement-timeout', '2s',
        '--max-rows', '1000',
        '--pool-size', '4',
        '--no-demo',
        '--log-level', 'warn',
        '--session-idle', '30m',
        '--session-absolute', '7d',
      ],
      {},
    );
    expect(config).toMatchObject({
      databaseUrl: 'postgres://u:p@db.example:6543/app',
      dataDir: '/tmp/pgl',
      port: 8080,
      host: '0.0.0.0',
      schemas: ['api', 'public'],
      anonRole: 'web_anon',
      allowedOrigins: ['https://a.example', 'http://localhost:5173'],
      bodyLimit: 512 * 1024,
      statementTimeoutMs: 2000,
      maxRows: 1000,
      poolSize: 4,
      demo: false,
      logLevel: 'warn',
      sessionIdleMs: 30 * 60_000,
      sessionAbsoluteMs: 7 * 86_400_000,
    });
  });

  it('reads every environment variable, including the env-only secrets', () => {
    const { config } = loadConfig([], {
      DATABASE_URL: 'postgresql://localhost/x',
      PGLIVE_DATA_DIR: '/tmp/d',
      PORT: '81',
      HOST: '::1',
      PGLIVE_SCHEMAS: 'a,b',
      PGLIVE_ANON_ROLE: 'anon',
      PGLIVE_JWT_SECRET: SECRET,
      PGLIVE_ADMIN_EMAIL: 'boss@example.com',
      PGLIVE_ADMIN_PASSWORD: 'correct horse battery staple',
      PGLIVE_ALLOWED_ORIGINS: 'https://x.example',
      PGLIVE_BODY_LIMIT: '2mb',
      PGLIVE_STATEMENT_TIMEOUT: '0',
      PGLIVE_MAX_ROWS: '50',
      PGLIVE_POOL_SIZE: '20',
      PGLIVE_DEMO: '0',
      PGLIVE_LOG_LEVEL: 'silent',
      PGLIVE_SESSION_IDLE: '12h',
      PGLIVE_SESSION_ABSOLUTE: '90d',
    });
    expect(config).toMatchObject({
      databaseUrl: 'postgresql://localhost/x',
      dataDir: '/tmp/d',
      port: 81,
      host: '::1',
      schemas: ['a', 'b'],
      anonRole: 'anon',
      jwtSecret: SECRET,
      adminEmail: 'boss@example.com',
      adminPassword: 'correct horse battery staple',
      allowedOrigins: ['https://x.example'],
      bodyLimit: 2 * 1024 * 1024,
      statementTimeoutMs: 0,
      maxRows: 50,
      poolSize: 20,
      demo: false,
      logLevel: 'silent',
      sessionIdleMs: 12 * 3_600_000,
      sessionAbsoluteMs: 90 * 86_400_000,
    });
  });

  it('treats an empty environment variable as unset', () => {
    expect(loadConfig([], { PORT: '', DATABASE_URL: '' }).config).toMatchObject({ port: 3000, databaseUrl: null });
  });

  it('accepts PGLIVE_DEMO in its boolean spellings', () => {
    for (const [v, want] of [['1', true], ['true', true], ['yes', true], ['off', false], ['false', false], ['0', false]] as const) {
      expect(loadConfig([], { PGLIVE_DEMO: v }).config.demo).toBe(want);
    }
  });
});

describe('loadConfig: precedence flags > env > file > defaults', () => {
  const file = configFile({ port: 4000, host: '10.0.0.1', schemas: ['f1', 'f2'], demo: false, poolSize: 3, bodyLimit: '64kb' });

  it('takes the file over the defaults', () => {
    const { config } = loadConfig(['--config', file], {});
    expect(config).toMatchObject({ port: 4000, host: '10.0.0.1', schemas: ['f1', 'f2'], demo: false, poolSize: 3, bodyLimit: 65536 });
  });

  it('takes env over the file, and flags over env', () => {
    const { config } = loadConfig(['--config', file, '--port', '6000'], { PORT: '5000', HOST: '10.0.0.2', PGLIVE_CONFIG: '/nope' });
    expect(config.port).toBe(6000);
    expect(config.host).toBe('10.0.0.2');
    expect(config.poolSize).toBe(3);
  });

  it('finds the file through PGLIVE_CONFIG', () => {
    expect(loadConfig([], { PGLIVE_CONFIG: file }).config.port).toBe(4000);
  });

  it('lets --no-demo win over PGLIVE_DEMO=1, and PGLIVE_DEMO=1 over the file', () => {
    expect(loadConfig(['--no-demo'], { PGLIVE_DEMO: '1' }).config.demo).toBe(false);
    expect(loadConfig(['--config', file], { PGLIVE_DEMO: '1' }).config.demo).toBe(true);
  });

  it('lets a config file hold secrets', () => {
    const f = configFile({ jwtSecret: SECRET, adminPassword: 'pw-from-file' });
    expect(loadConfig(['--config', f], {}).config).toMatchObject({ jwtSecret: SECRET, adminPassword: 'pw-from-file' });
  });
});

describe('loadConfig: one clear message per bad setting', () => {
  const cases: [string, string[], NodeJS.ProcessEnv, string][] = [
    ['port', ['--port', 'http'], {}, '--port "http": expected a port number from 0 to 65535'],
    ['port range', [], { PORT: '70000' }, 'PORT="70000": expected a port number from 0 to 65535'],
    ['db', ['--db', 'mysql://root:hunter2@h/db'], {}, '--db "mysql://root:***@h/db": expected a postgres:// or postgresql:// URL'],
    ['host', ['--host', ' '], {}, '--host " ": expected a host name or IP address'],
    ['schemas', [], { PGLIVE_SCHEMAS: ' , ' }, 'PGLIVE_SCHEMAS=" , ": expected a comma-separated list of schema names'],
    ['jwt', [], { PGLIVE_JWT_SECRET: 'short' }, 'PGLIVE_JWT_SECRET=*** (5 characters): must be at least 32 characters long'],
    ['admin email', [], { PGLIVE_ADMIN_EMAIL: 'nobody' }, 'PGLIVE_ADMIN_EMAIL="nobody": expected an e-mail address'],
    ['origins', ['--allowed-origins', 'https://a.example/app'], {}, 'expected a comma-separated list of origins like https://app.example.com'],
    ['origins item', ['--allowed-origins', 'https://ok.example,ftp://x'], {}, '("ftp://x" is not valid)'],
    ['body limit', ['--body-limit', '1tb'], {}, '--body-limit "1tb": expected a size in bytes or with a unit (512kb, 1mb)'],
    ['statement timeout', [], { PGLIVE_STATEMENT_TIMEOUT: 'soon' }, 'PGLIVE_STATEMENT_TIMEOUT="soon": expected a duration in milliseconds'],
    ['max rows', ['--max-rows', '-5'], {}, '--max-rows "-5": expected a positive integer, or none'],
    ['pool size', ['--pool-size', '0'], {}, '--pool-size "0": expected an integer from 1 to 1000'],
    ['demo', [], { PGLIVE_DEMO: 'maybe' }, 'PGLIVE_DEMO="maybe": expected a boolean'],
    ['log level', ['--log-level', 'loud'], {}, '--log-level "loud": expected one of trace, debug, info, warn, error, fatal, silent'],
    ['session idle', [], { PGLIVE_SESSION_IDLE: '5s' }, 'PGLIVE_SESSION_IDLE="5s": expected a duration like 30m, 24h or 7d'],
    ['session absolute', ['--session-absolute', 'forever'], {}, '--session-absolute "forever": expected a duration like 12h'],
    ['idle > absolute', ['--session-idle', '10d', '--session-absolute', '2d'], {}, 'The session idle expiry (10d) is longer than the absolute expiry (2d)'],
    ['unknown flag', ['--prot', '80'], {}, "unknown option '--prot'"],
    ['secret flag', ['--jwt-secret', SECRET], {}, "unknown option '--jwt-secret'"],
    ['missing value', ['--port'], {}, "option '--port <n>' argument missing"],
    ['uninstall without --db', ['uninstall', '--yes'], { DATABASE_URL: 'postgres://h/db' }, 'uninstall needs --db <url>'],
  ];
  it.each(cases)('%s', (_name, argv, env, message) => {
    const err = errorOf(argv, env);
    expect(err).toContain(message);
    expect(err.split('\n')).toHaveLength(1);
  });

  it('reports every bad setting at once, one line each', () => {
    const err = errorOf(['--port', 'x', '--pool-size', 'y'], { PGLIVE_LOG_LEVEL: 'z' });
    expect(err.split('\n')).toHaveLength(3);
  });

  it('never echoes a password or secret', () => {
    const err = errorOf(['--db', 'http://me:hunter2@host/db'], { PGLIVE_JWT_SECRET: 'tiny-secret', PGLIVE_ADMIN_PASSWORD: '' });
    expect(err).not.toContain('hunter2');
    expect(err).not.toContain('tiny-secret');
  });

  it('explains config file problems', () => {
    expect(errorOf(['--config', '/does/not/exist.json'])).toMatch(/Cannot read the config file \/does\/not\/exist.json: ENOENT/);
    expect(errorOf(['--config', configFile('{port: 1')])).toMatch(/is not valid JSON/);
    expect(errorOf(['--config', configFile([1, 2])])).toMatch(/must contain a JSON object/);
    expect(errorOf(['--config', configFile({ prot: 1 })])).toMatch(/unknown settings: prot \(known: databaseUrl, /);
    expect(errorOf(['--config', configFile({ port: 'x' })])).toMatch(/^"port": "x" in .*pglive\.json: expected a port number/);
  });
});

describe('loadConfig: commands and help', () => {
  it('parses uninstall with --db and --yes', () => {
    const r = loadConfig(['uninstall', '--db', 'postgres://u@h/db', '--yes'], {});
    expect(r).toMatchObject({ command: 'uninstall', yes: true });
    expect(r.config.databaseUrl).toBe('postgres://u@h/db');
    expect(loadConfig(['uninstall', '--db', 'postgres://u@h/db'], {}).yes).toBe(false);
  });

  it('returns help and version without validating the environment', () => {
    expect(loadConfig(['--help'], { PORT: 'bad' }).command).toBe('help');
    expect(loadConfig(['-V'], { PORT: 'bad' }).command).toBe('version');
    const sub = loadConfig(['uninstall', '--help'], {});
    expect(sub.command).toBe('help');
    expect(sub.helpText).toContain('--yes');
  });

  it('documents every option with its env var and default in --help', () => {
    const { helpText } = loadConfig(['--help'], {});
    for (const key of SETTING_KEYS) {
      const s = SETTINGS[key];
      if (s.flag) expect(helpText).toContain(s.flag.split(' ')[0]);
      if (s.env) expect(helpText).toContain(s.env);
      expect(helpText.replace(/\s+/g, ' ')).toContain(s.defaultText);
    }
    expect(helpText).toContain('PGLIVE_CONFIG');
    expect(helpText).toContain('uninstall');
  });

  it('every setting is described in docs/configuration.md', () => {
    const docs = readFileSync(fileURLToPath(new URL('../../../docs/configuration.md', import.meta.url)), 'utf8');
    for (const key of SETTING_KEYS) {
      const s = SETTINGS[key];
      if (s.flag) expect(docs, s.flag).toContain(`\`${s.flag.split(' ')[0]}`);
      if (s.env) expect(docs, s.env).toContain(`\`${s.env}`);
      expect(docs, key).toContain(`\`${key}\``);
    }
  });
});

describe('units', () => {
  it('parses sizes and durations', () => {
    expect(parseBytes('1mb')).toBe(1048576);
    expect(parseBytes('512KB')).toBe(524288);
    expect(parseBytes('100')).toBe(100);
    expect(parseBytes('1.5k')).toBe(1536);
    expect(parseBytes('mb')).toBeNull();
    expect(parseBytes('1xb')).toBeNull();
    expect(parseDuration('24h')).toBe(86_400_000);
    expect(parseDuration('30d')).toBe(30 * 86_400_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('1500')).toBe(1500);
    expect(parseDuration('-1s')).toBeNull();
    expect(formatDuration(86_400_000)).toBe('1d');
    expect(formatDuration(1500)).toBe('1500ms');
    expect(formatBytes(1048576)).toBe('1mb');
  });
});

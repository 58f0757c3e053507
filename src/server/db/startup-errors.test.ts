import { describe, expect, it } from 'vitest';
import { describeStartupError, maskUrl, StartupError } from './startup-errors.js';

const URL_ = 'postgres://app:s3cr3t-pw@db.internal:6543/shop';

function pgError(code: string, message: string): Error {
  return Object.assign(new Error(message), { name: 'PostgresError', code });
}

function netError(code: string, extra: object = {}): Error {
  return Object.assign(new Error(`connect ${code} 10.0.0.1:6543`), { code, ...extra });
}

describe('maskUrl', () => {
  it('masks the password and password query parameters', () => {
    expect(maskUrl(URL_)).toBe('postgres://app:***@db.internal:6543/shop');
    expect(maskUrl('postgres://u@h/db?password=x&sslmode=require')).toBe('postgres://u@h/db?password=***&sslmode=require');
    expect(maskUrl('postgres://u@h/db')).toBe('postgres://u@h/db');
  });
  it('masks even what URL cannot parse', () => {
    expect(maskUrl('postgres://u:p w@[bad/db')).toBe('postgres://u:***@[bad/db');
  });
});

describe('describeStartupError', () => {
  const ctx = { databaseUrl: URL_ };
  it.each([
    ['ECONNREFUSED', netError('ECONNREFUSED'), 'Cannot reach PostgreSQL at db.internal:6543 (ECONNREFUSED) — is it running? Check --db / DATABASE_URL.'],
    ['ENOTFOUND', netError('ENOTFOUND'), 'Cannot reach PostgreSQL at db.internal:6543 (ENOTFOUND) — is it running? Check --db / DATABASE_URL.'],
    ['timeout', netError('CONNECT_TIMEOUT'), 'Cannot reach PostgreSQL at db.internal:6543 (CONNECT_TIMEOUT) — is it running? Check --db / DATABASE_URL.'],
    ['28P01', pgError('28P01', 'password authentication failed for user "app"'), 'PostgreSQL refused the credentials for user app — check the password in --db / DATABASE_URL'],
    ['3D000', pgError('3D000', 'database "shop" does not exist'), 'Database shop does not exist — create it with createdb shop'],
  ])('%s', (_name, err, want) => {
    expect(describeStartupError(err, ctx)).toBe(want);
  });

  it('reads the code of an AggregateError (several addresses tried)', () => {
    const agg = Object.assign(new AggregateError([netError('ECONNREFUSED'), netError('ECONNREFUSED')], ''), {});
    expect(describeStartupError(agg, ctx)).toMatch(/^Cannot reach PostgreSQL at db.internal:6543/);
  });

  it('28000 names the user and keeps the server reason', () => {
    expect(describeStartupError(pgError('28000', 'role "app" does not exist'), ctx)).toBe(
      'PostgreSQL refused the credentials for user app (role "app" does not exist) — check the user and password in --db / DATABASE_URL',
    );
  });

  it('42501 while migrating gives the GRANT to run', () => {
    expect(describeStartupError(pgError('42501', 'permission denied for database shop'), { ...ctx, stage: 'migrate' })).toBe(
      'The login role app lacks CREATE on database shop: GRANT CREATE ON DATABASE shop TO app (or run `pglive` once as the owner)',
    );
  });

  it('EADDRINUSE names the port and host', () => {
    const err = Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE', address: '127.0.0.1', port: 3000 });
    expect(describeStartupError(err, { host: '127.0.0.1', port: 3000 })).toBe(
      'Port 3000 on 127.0.0.1 is in use — choose another with --port or PORT',
    );
    expect(describeStartupError(err)).toBe('Port 3000 on 127.0.0.1 is in use — choose another with --port or PORT');
  });

  it('unwraps a StartupError and uses its stage', () => {
    const wrapped = new StartupError(pgError('42501', 'permission denied'), { databaseUrl: URL_, stage: 'migrate' });
    expect(describeStartupError(wrapped)).toMatch(/^The login role app lacks CREATE on database shop/);
  });

  it('defaults the database name to the user name, like libpq', () => {
    expect(describeStartupError(pgError('3D000', 'x'), { databaseUrl: 'postgres://carol@h' })).toBe(
      'Database carol does not exist — create it with createdb carol',
    );
  });

  it('falls back to one line without the password for anything else', () => {
    const err = new Error(`boom\nwhile connecting to ${URL_} with s3cr3t-pw`);
    const line = describeStartupError(err, ctx);
    expect(line).not.toContain('s3cr3t-pw');
    expect(line).not.toContain('\n');
    expect(line).toContain('postgres://app:***@db.internal:6543/shop');
    expect(describeStartupError(pgError('XX000', 'internal'), ctx)).toBe('PostgreSQL error XX000: internal');
  });
});

/**
 * The process: the only file that reads argv/env, prints to the terminal,
 * handles signals and exits. Exit codes: 0 ok (also after SIGINT/SIGTERM),
 * 1 startup/runtime failure or a second signal, 2 bad configuration.
 */
import { createInterface } from 'node:readline/promises';
import { ConfigError, loadConfig, VERSION, type LoadedConfig } from './config/load.js';
import type { Config } from './config/types.js';
import { createPool, isDriverClosedSocketWrite, isDriverTypeFetchFailure } from './db/pool.js';
import { describeStartupError, maskUrl } from './db/startup-errors.js';
import { startServer, type ServerHandle } from './server.js';
import { uninstall } from './uninstall.js';

const SHUTDOWN_TIMEOUT_MS = 20_000;

function fail(message: string, code: number): never {
  process.stderr.write(`pglive: ${message}\n`);
  process.exit(code);
}

async function main(): Promise<void> {
  let loaded: LoadedConfig;
  try {
    loaded = loadConfig(process.argv.slice(2), process.env);
  } catch (e) {
    if (e instanceof ConfigError) fail(e.message.split('\n').join('\npglive: '), 2);
    throw e;
  }
  switch (loaded.command) {
    case 'help':
      process.stdout.write(loaded.helpText);
      return;
    case 'version':
      process.stdout.write(`${VERSION}\n`);
      return;
    case 'uninstall':
      return runUninstall(loaded.config.databaseUrl!, loaded.yes);
    case 'serve':
      return serve(loaded.config);
  }
}

async function serve(config: Config): Promise<void> {
  let handle: ServerHandle | null = null;
  let stopping = false;
  const shutdown = async (h: ServerHandle) => {
    setTimeout(() => fail('shutdown took too long; exiting', 1), SHUTDOWN_TIMEOUT_MS).unref();
    await h.close();
    process.exit(0);
  };
  const onSignal = () => {
    if (stopping) process.exit(1); // a second Ctrl-C: the user does not want to wait
    stopping = true;
    process.stdout.write('Stopping…\n');
    if (handle) void shutdown(handle);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('unhandledRejection', (reason) => {
    // the driver's own unawaited type query on a connection that dropped: it reconnects by itself
    if (isDriverTypeFetchFailure(reason)) return;
    throw reason; // anything else is a bug: crash as Node would
  });
  process.on('uncaughtException', (error) => {
    if (isDriverClosedSocketWrite(error)) {
      process.stderr.write('pglive: the database driver wrote to a closed connection (ignored; it reconnects)\n');
      return;
    }
    process.stderr.write(`${error.stack ?? String(error)}\n`);
    process.exit(1);
  });

  try {
    handle = await startServer(config, { onLog: (line) => process.stdout.write(`${line}\n`) });
  } catch (e) {
    fail(describeStartupError(e, { databaseUrl: config.databaseUrl, host: config.host, port: config.port }), 1);
  }
  if (stopping) return shutdown(handle);
  printBanner(handle, config);
}

function printBanner(h: ServerHandle, config: Config): void {
  const lines = [`pglive ${VERSION} listening on ${h.url}`];
  const admin = h.adminCredentials;
  if (admin?.password) {
    lines.push(`  Admin login: ${admin.email} / ${admin.password}`, '  (generated now and shown only once: save it, or set PGLIVE_ADMIN_PASSWORD)');
  } else if (admin) {
    lines.push(`  Admin login: ${admin.email} (password set at first start)`);
  }
  if (h.demoUsers.length > 0) {
    lines.push('  Demo users (e-mail / password):');
    for (const u of h.demoUsers) lines.push(`    ${u.email} / ${u.password}  ${u.description}`);
  }
  lines.push(
    h.embedded
      ? `  Data: embedded PostgreSQL in ${h.embedded.dataDir}${h.embedded.fresh ? ' (created now)' : ''}\n` +
          `  psql: ${maskUrl(h.embedded.url)} (password in ${h.embedded.dataDir}/credentials.json)`
      : `  Data: ${maskUrl(config.databaseUrl ?? '')}`,
    '  Press Ctrl-C to stop.',
  );
  process.stdout.write(lines.join('\n') + '\n');
}

async function runUninstall(url: string, yes: boolean): Promise<void> {
  if (!yes) {
    if (!process.stdin.isTTY) fail('uninstall deletes pglive users, sessions and tokens: pass --yes to confirm', 2);
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    const answer = await rl.question(
      `Remove pglive from ${maskUrl(url)}? This drops schema pglive (users, sessions, tokens) and pglive_* triggers. [y/N] `,
    );
    rl.close();
    if (!/^y(es)?$/i.test(answer.trim())) fail('uninstall cancelled', 1);
  }
  const sql = createPool(url, { max: 1 });
  try {
    const { removed } = await uninstall(sql);
    if (removed.length === 0) {
      process.stdout.write(`Nothing to remove: pglive is not installed in ${maskUrl(url)}\n`);
    } else {
      process.stdout.write(`Removed from ${maskUrl(url)}:\n${removed.map((r) => `  - ${r}\n`).join('')}`);
    }
  } catch (e) {
    await sql.end({ timeout: 1 }).catch(() => {});
    fail(describeStartupError(e, { databaseUrl: url, stage: 'uninstall' }), 1);
  }
  await sql.end({ timeout: 5 });
}

main().catch((e: unknown) => fail(describeStartupError(e), 1));

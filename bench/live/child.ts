/**
 * A bench child process (server.ts or naive.ts) with an IPC channel: it says
 * `{ type: 'listening', port }` when ready and answers `{ id, … }` requests
 * with `{ type: 'reply', id, data }`.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { basename, join } from 'node:path';
import { build } from 'esbuild';

export interface ChildHandle {
  readonly child: ChildProcess;
  readonly port: number;
  request<T>(msg: Record<string, unknown>, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
}

export interface ChildOptions {
  readonly env: Readonly<Record<string, string>>;
  /** run with --cpu-prof, profiles written here */
  readonly profileDir?: string | undefined;
  readonly cwd: string;
}

/**
 * The child runs as compiled JavaScript, as `npm start` runs pglive, not under
 * tsx: tsx compiles with esbuild's keepNames, which gives every function a
 * name property (a few hundred bytes per closure) and would inflate the memory
 * per view. The bundle lives three folders below the project root, like
 * src/server/config/, so files found relative to a module (package.json,
 * dist/web) resolve as in production; packages stay external.
 */
async function compiled(script: string, root: string): Promise<string> {
  const outfile = join(root, 'node_modules', '.cache', 'pglive-bench', basename(script).replace(/\.ts$/, '.mjs'));
  await build({ entryPoints: [script], outfile, bundle: true, packages: 'external', platform: 'node', format: 'esm', target: 'node20', logLevel: 'warning' });
  return outfile;
}

export async function startChild(script: string, opts: ChildOptions): Promise<ChildHandle> {
  const execArgv = ['--expose-gc', ...(opts.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.profileDir}`] : [])];
  const child = fork(await compiled(script, opts.cwd), [], { cwd: opts.cwd, env: { ...process.env, ...opts.env }, execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiting = new Map<number, (data: unknown) => void>();
  let seq = 0;
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start within 60 s`)), 60_000);
    child.once('exit', (code) => reject(new Error(`${script} exited with code ${code}`)));
    child.on('message', (raw) => {
      const m = raw as { type: string; port?: number; id?: number; data?: unknown };
      if (m.type === 'listening') {
        clearTimeout(timer);
        resolve(m.port ?? 0);
      } else if (m.type === 'reply' && m.id !== undefined) {
        waiting.get(m.id)?.(m.data);
        waiting.delete(m.id);
      }
    });
  });
  return {
    child,
    port,
    request<T>(msg: Record<string, unknown>, timeoutMs = 30_000) {
      const id = ++seq;
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(id);
          reject(new Error(`no answer to ${String(msg.type)} within ${timeoutMs} ms`));
        }, timeoutMs);
        waiting.set(id, (data) => {
          clearTimeout(timer);
          resolve(data as T);
        });
        child.send({ ...msg, id });
      });
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

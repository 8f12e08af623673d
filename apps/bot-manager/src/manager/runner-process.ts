// One forked runner: spawn (memory-capped, scrubbed environment, nothing secret in argv), validated IPC both ways,
// heartbeat tracking, acknowledgements, graceful and forceful stop.
import { fork, type ChildProcess } from 'node:child_process';
import type { BotErrorCode } from '@polybot/schemas';
import type { Logger } from 'pino';
import { runnerEnv } from '../env.ts';
import { runnerForkIdentity } from './runner-identity.ts';
import { FromRunnerSchema, ToRunnerSchema, type FromRunner, type RunnerStats, type ToRunner } from '../shared/ipc.ts';

export type IpcTap = (event: { userId: string; pid: number; direction: 'to' | 'from'; message: unknown }) => void;

export interface RunnerProcessOptions {
  /** The compiled runner entry (runner-bundle.ts): plain JavaScript, forked without any loader. */
  entry: string;
  userId: string;
  memoryMb: number;
  logLevel: string;
  log: Logger;
  onMessage: (msg: FromRunner) => void;
  onExit: (code: number | null, signal: NodeJS.Signals | null) => void;
  tap?: IpcTap;
}

/**
 * Memory caps for the child. The old generation is capped at the runner budget (a runaway runner dies with an OOM
 * and is restarted, instead of starving its neighbours). The young generation's semi-spaces default to 16 MB each
 * and are mostly empty for a runner's small allocation rate; a smaller cap trades a few more scavenges for memory.
 */
export function runnerExecArgv(memoryMb: number): string[] {
  const semiMb = Math.max(1, Math.min(16, Math.floor(memoryMb / 64)));
  return [`--max-old-space-size=${memoryMb}`, `--max-semi-space-size=${semiMb}`];
}

export class RunnerProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly startedAt = new Date();
  lastHeartbeat = Date.now();
  ready = false;
  stats: RunnerStats | null = null;
  configVersion: number | null = null;
  exited = false;
  stopRequested = false;
  /** Why the manager killed it (silent, over its memory budget); null when it died on its own or was asked to stop. */
  killReason: string | null = null;
  /** The code beside killReason (set together by kill). */
  killCode: BotErrorCode | null = null;
  private readonly exitWaiters: Array<() => void> = [];

  constructor(private readonly opts: RunnerProcessOptions) {
    this.child = fork(opts.entry, [opts.logLevel], {
      execArgv: runnerExecArgv(opts.memoryMb),
      env: runnerEnv(),
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'json',
      // Its own unprivileged uid/gid when the manager is root (runner-identity.ts, docs/SECURITY.md §8).
      ...runnerForkIdentity(),
    });
    if (this.child.pid === undefined) throw new Error('fork returned no pid');
    this.pid = this.child.pid;
    this.child.on('message', (raw: unknown) => {
      const parsed = FromRunnerSchema.safeParse(raw);
      if (!parsed.success) {
        opts.log.warn({ pid: this.pid }, 'invalid IPC message from runner ignored');
        return;
      }
      opts.tap?.({ userId: opts.userId, pid: this.pid, direction: 'from', message: parsed.data });
      this.lastHeartbeat = Date.now();
      if (parsed.data.type === 'ready') this.ready = true;
      if (parsed.data.type === 'heartbeat') {
        this.stats = parsed.data.stats;
        this.configVersion = parsed.data.configVersion;
      }
      opts.onMessage(parsed.data);
    });
    this.child.on('error', (e) => opts.log.warn({ pid: this.pid, err: e.message }, 'runner process error'));
    this.child.on('exit', (code, signal) => {
      this.exited = true;
      for (const w of this.exitWaiters.splice(0)) w();
      opts.onExit(code, signal);
    });
  }

  send(msg: ToRunner): boolean {
    if (this.exited || !this.child.connected) return false;
    const valid = ToRunnerSchema.parse(msg);
    this.opts.tap?.({ userId: this.opts.userId, pid: this.pid, direction: 'to', message: valid });
    try {
      // With a callback, a write that fails after the check above (the runner exited with messages in flight: a
      // book, a settlement notice, its stop) reports here instead of as the child's 'error' event. Nothing is lost
      // that matters: the runner is gone, and its exit handler says why and restarts it if it should run.
      return this.child.send(valid, (err) => {
        if (err)
          this.opts.log.debug(
            { pid: this.pid, type: valid.type, err: err.message },
            'message to an exiting runner not delivered',
          );
      });
    } catch {
      return false;
    }
  }

  waitExit(timeoutMs: number): Promise<boolean> {
    if (this.exited) return Promise.resolve(true);
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(false), timeoutMs);
      this.exitWaiters.push(() => {
        clearTimeout(t);
        resolve(true);
      });
    });
  }

  /** Ask to stop (the runner finishes and books its decision in flight), then force after `graceMs`. */
  async stop(graceMs: number): Promise<void> {
    this.stopRequested = true;
    if (this.exited) return;
    if (!this.send({ type: 'stop' })) this.kill();
    if (!(await this.waitExit(graceMs))) {
      this.kill();
      await this.waitExit(5000);
    }
  }

  kill(reason?: string, code?: BotErrorCode): void {
    if (this.exited) return;
    if (reason && this.killReason === null) {
      this.killReason = reason;
      this.killCode = code ?? 'runner_killed';
    }
    this.child.kill('SIGKILL');
  }
}

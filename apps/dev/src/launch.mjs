// `npm start`'s entry: runs the launcher (start.ts) in a process group of its own. A terminal's Ctrl-C sends SIGINT to
// its whole foreground group: without this, Postgres, the runners, `next start` and Deno each got it at the same
// moment as the launcher and stopped on their own, so the bot-manager's final status writes met a database already
// shutting down and runners reported crashes. Here only this wrapper (and npm) get the terminal's signal; it hands
// one signal to the launcher, which stops its parts in order (newest first, Postgres last).
//
// It also keeps the terminal readable: the services' structured (JSON) log lines go to the log file the launcher
// names over IPC (<state dir>/polybot.log); the terminal shows the launcher's own lines, and warnings and errors from
// the logs in one short line each.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { constants } from 'node:os';
import process from 'node:process';
import { createInterface } from 'node:readline';
import { setTimeout } from 'node:timers';
import { fileURLToPath, URL } from 'node:url';

const launcher = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./start.ts', import.meta.url))], {
  // The IPC channel names the log file, and tells the launcher if this wrapper dies without a signal.
  stdio: ['inherit', 'pipe', 'pipe', 'ipc'],
  detached: true,
});

/** pino's numeric levels, as the terminal names them. */
const LEVELS = { 40: 'warning', 50: 'error', 60: 'fatal' };
let logFile = null;
const pending = [];

launcher.on('message', (message) => {
  if (message?.type !== 'log-file' || typeof message.path !== 'string' || logFile) return;
  logFile = createWriteStream(message.path, { flags: 'a' });
  for (const line of pending.splice(0)) logFile.write(`${line}\n`);
});

function route(line, terminal) {
  let entry = null;
  if (line.startsWith('{')) {
    try {
      entry = JSON.parse(line);
    } catch {
      entry = null;
    }
  }
  if (entry === null || typeof entry !== 'object') {
    terminal.write(`${line}\n`);
    return;
  }
  if (logFile) logFile.write(`${line}\n`);
  else pending.push(line);
  const level = LEVELS[entry.level];
  if (level) {
    const who = [entry.name, entry.userId ? `user ${String(entry.userId).slice(0, 8)}` : null].filter(Boolean);
    process.stderr.write(
      `polybot: ${level} from ${who.join(', ')}: ${entry.msg ?? ''}${entry.err ? ` (${entry.err})` : ''}\n`,
    );
  }
}
createInterface({ input: launcher.stdout }).on('line', (line) => route(line, process.stdout));
createInterface({ input: launcher.stderr }).on('line', (line) => route(line, process.stderr));

let forwarded = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    // npm relays the terminal's signal too: the launcher is told once.
    if (forwarded) return;
    forwarded = true;
    launcher.kill(signal);
  });
}

// 'close' waits for the last lines in the pipes; a process the launcher left holding them open must not keep this
// wrapper (and the terminal) waiting, so 'exit' sets a short deadline too.
function finish(code, signal) {
  logFile?.end();
  process.exit(code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 1));
}
launcher.on('close', finish);
launcher.on('exit', (code, signal) => setTimeout(() => finish(code, signal), 2000).unref());

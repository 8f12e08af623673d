// `npm start`'s entry: runs the launcher (start.ts) in a process group of its own. A terminal's Ctrl-C sends SIGINT to
// its whole foreground group: without this, Postgres, the runners, `next start` and Deno each got it at the same
// moment as the launcher and stopped on their own, so the bot-manager's final status writes met a database already
// shutting down and runners reported crashes. Here only this wrapper (and npm) get the terminal's signal; it hands
// one signal to the launcher, which stops its parts in order (newest first, Postgres last) and exits with its code.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';

const launcher = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./start.ts', import.meta.url))], {
  // The IPC channel tells the launcher if this wrapper dies without a signal (it then stops everything itself).
  stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
  detached: true,
});

let forwarded = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    // npm relays the terminal's signal too: the launcher is told once.
    if (forwarded) return;
    forwarded = true;
    launcher.kill(signal);
  });
}

launcher.on('exit', (code, signal) => {
  process.exit(code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 1));
});

// The OS user runners run as (docs/SECURITY.md §8). A runner holds one user's decrypted keys and runs strategy code on
// hostile input (books, news, wallets); the manager holds the database URL and platform keys in its environment. When
// the manager runs as root, each runner is forked under a dedicated unprivileged uid/gid (RUNNER_USER, default
// `nobody`), so a compromised runner cannot read the manager's /proc/<pid>/environ or memory, signal it, or touch its
// files. Never root. A manager that is not root cannot switch uids: runners then share its uid (said at startup).
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import type { Logger } from 'pino';

export interface RunnerIdentity {
  uid: number;
  gid: number;
  /** For messages: the configured name (or number). */
  user: string;
}

export interface RunnerUserSetting {
  /** RUNNER_USER: a user name or numeric uid; unset = `nobody`. */
  user?: string | undefined;
  /** RUNNER_GROUP: a group name or numeric gid; unset = the user's primary group. */
  group?: string | undefined;
}

export class RunnerIdentityError extends Error {
  override readonly name = 'RunnerIdentityError';
}

const DEFAULT_RUNNER_USER = 'nobody';

/** `name:x:uid:gid:…` lines of /etc/passwd or /etc/group → name → [id, primary gid]. */
function parseIds(text: string): Map<string, [number, number]> {
  const out = new Map<string, [number, number]>();
  for (const line of text.split('\n')) {
    const [name, , id, gid] = line.split(':');
    if (name && id !== undefined && /^\d+$/.test(id)) out.set(name, [Number(id), Number(gid ?? id)]);
  }
  return out;
}

function readOr(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/**
 * Which uid/gid runners get, or null when the manager is not root (it cannot switch; runners share its uid). Throws
 * RunnerIdentityError — the manager must not start — for a user or group that does not exist, for root, and for an
 * explicit RUNNER_USER the manager cannot switch to.
 */
export function resolveRunnerIdentity(
  setting: RunnerUserSetting,
  managerUid: number,
  files: { passwd: string; group: string } = { passwd: readOr('/etc/passwd'), group: readOr('/etc/group') },
): RunnerIdentity | null {
  const user = setting.user?.trim() || DEFAULT_RUNNER_USER;
  const users = parseIds(files.passwd);
  const numericUid = /^\d+$/.test(user) ? Number(user) : undefined;
  const entry = numericUid === undefined ? users.get(user) : [...users.values()].find(([uid]) => uid === numericUid);
  if (managerUid !== 0) {
    // Switching needs root. An explicit RUNNER_USER that cannot be honoured is a configuration error, not a shrug.
    const explicit = setting.user?.trim() || setting.group?.trim();
    const same = numericUid === managerUid || entry?.[0] === managerUid;
    if (explicit && !same) {
      throw new RunnerIdentityError(
        `RUNNER_USER/RUNNER_GROUP (${user}) need the manager to run as root to fork runners under that user; ` +
          `it runs as uid ${managerUid}. Unset them, or run the manager as root (docs/SECURITY.md §8).`,
      );
    }
    return null;
  }
  const uid = numericUid ?? entry?.[0];
  if (uid === undefined) {
    throw new RunnerIdentityError(
      `RUNNER_USER ${user} does not exist on this machine (not in /etc/passwd): create it ` +
        `(e.g. useradd --system --no-create-home --shell /usr/sbin/nologin ${user}) or set RUNNER_USER to an existing ` +
        `unprivileged user or numeric uid (docs/SECURITY.md §8).`,
    );
  }
  const groupSetting = setting.group?.trim();
  let gid: number | undefined = entry?.[1] ?? numericUid;
  if (groupSetting) {
    gid = /^\d+$/.test(groupSetting) ? Number(groupSetting) : parseIds(files.group).get(groupSetting)?.[0];
    if (gid === undefined) {
      throw new RunnerIdentityError(`RUNNER_GROUP ${groupSetting} does not exist on this machine (not in /etc/group).`);
    }
  }
  if (uid === 0 || gid === 0 || gid === undefined) {
    throw new RunnerIdentityError(
      `runners never run as root: RUNNER_USER/RUNNER_GROUP resolve to uid ${uid}, gid ${gid ?? '?'}; ` +
        `choose an unprivileged user such as nobody.`,
    );
  }
  return { uid, gid, user };
}

let current: RunnerIdentity | null = null;

/** Set once at startup (startBotManager): what every runner fork of this process uses. */
export function setRunnerIdentity(identity: RunnerIdentity | null): void {
  current = identity;
}

/** The fork options' share: `{ uid, gid }`, or nothing when runners run as the manager's own (non-root) user. */
export function runnerForkIdentity(): { uid: number; gid: number } | Record<string, never> {
  return current ? { uid: current.uid, gid: current.gid } : {};
}

const run = promisify(execFile);

/**
 * Proves, as the runner's uid, that a runner can start: it reads the compiled entry and the node_modules it resolves
 * its packages from. A checkout in a directory other users cannot enter (a clone under /root, mode 0700) fails here
 * at startup, with the fix in words, instead of every runner dying on its first line.
 */
export async function checkRunnerCanRead(identity: RunnerIdentity, entry: string): Promise<void> {
  const probe = `
    const fs = require('node:fs'), path = require('node:path');
    const entry = process.argv[1];
    fs.accessSync(entry, fs.constants.R_OK);
    for (let d = path.dirname(entry); ; d = path.dirname(d)) {
      const nm = path.join(d, 'node_modules');
      if (fs.existsSync(nm)) { fs.accessSync(nm, fs.constants.R_OK | fs.constants.X_OK); break; }
      if (path.dirname(d) === d) break;
    }`;
  try {
    await run(process.execPath, ['-e', probe, entry], {
      uid: identity.uid,
      gid: identity.gid,
      env: { PATH: '/usr/local/bin:/usr/bin:/bin' },
      cwd: '/',
      timeout: 30_000,
    });
  } catch (e) {
    const detail = ((e as { stderr?: string }).stderr ?? String(e))
      .split('\n')
      .find((l) => /EACCES|ENOENT|Error/.test(l))
      ?.trim();
    throw new RunnerIdentityError(
      `runners run as ${identity.user} (uid ${identity.uid}, gid ${identity.gid}) and cannot read the runner at ` +
        `${entry} or its node_modules${detail ? ` (${detail})` : ''}. The checkout or a directory above it is not ` +
        `readable by that user (e.g. a clone under /root, mode 0700): move it somewhere world-readable such as ` +
        `/opt/polybot, or chmod o+rx the directories on the path (docs/SECURITY.md §8).`,
    );
  }
}

/**
 * At startup: resolves the runners' identity (throws on a bad setting), proves they can read their entry, and says in
 * the log which user they run as — or that they share the manager's uid, which isolates nothing.
 */
export async function setUpRunnerIdentity(
  setting: RunnerUserSetting,
  log: Logger,
  entry: () => Promise<string>,
): Promise<RunnerIdentity | null> {
  const managerUid = process.getuid?.() ?? -1;
  const identity = resolveRunnerIdentity(setting, managerUid);
  if (identity) {
    // No entry (esbuild missing from a source checkout): the first fork reports that, as it always has.
    const path = await entry().catch(() => null);
    if (path) await checkRunnerCanRead(identity, path);
    log.info({ runnerUser: identity.user, uid: identity.uid, gid: identity.gid }, 'runners run as their own OS user');
  } else {
    log.warn(
      { uid: managerUid },
      'the manager is not root, so runners run as its own uid and could read its environment; ' +
        'run it as root (only SETUID, SETGID and KILL capabilities) to isolate them (docs/SECURITY.md §8)',
    );
  }
  setRunnerIdentity(identity);
  return identity;
}

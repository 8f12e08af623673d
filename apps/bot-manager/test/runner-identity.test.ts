// Runner isolation (docs/SECURITY.md §8): a manager running as root forks each runner under an unprivileged uid/gid
// (RUNNER_USER, default nobody) with no supplementary groups, so the runner cannot read the manager's
// /proc/<pid>/environ (the database URL); a runner user that does not exist, or root, or a checkout that user cannot
// read, stops the manager at startup with words that say how to fix it.
import { execFile } from 'node:child_process';
import { chmod, copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { startBotManager } from '../src/index.ts';
import { runnerEntry } from '../src/manager/runner-entry.ts';
import { checkRunnerCanRead, resolveRunnerIdentity } from '../src/manager/runner-identity.ts';
import { childrenOf, createUser, statusOf, until, venueUrlsOf } from './harness.ts';
import { spawnManagerProcess, type ManagerProcess } from './manager-process.ts';
import { managerOptions, useManagerStack } from './stack.ts';

const run = promisify(execFile);
const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const asRoot = process.getuid?.() === 0;

const FILES = {
  passwd:
    'root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\nbot:x:990:980::/:/usr/sbin/nologin\n',
  group: 'root:x:0:\nnogroup:x:65534:\nbots:x:980:\n',
};

describe('which uid/gid runners get', () => {
  it('as root: nobody by default, or the configured user (name or uid) and group', () => {
    expect(resolveRunnerIdentity({}, 0, FILES)).toEqual({ uid: 65534, gid: 65534, user: 'nobody' });
    expect(resolveRunnerIdentity({ user: 'bot' }, 0, FILES)).toEqual({ uid: 990, gid: 980, user: 'bot' });
    expect(resolveRunnerIdentity({ user: '990', group: 'nogroup' }, 0, FILES)).toEqual({
      uid: 990,
      gid: 65534,
      user: '990',
    });
    expect(resolveRunnerIdentity({ user: '12345' }, 0, FILES)).toEqual({ uid: 12345, gid: 12345, user: '12345' });
  });

  it('refuses a user or group that does not exist, and root, in words', () => {
    expect(() => resolveRunnerIdentity({ user: 'polybot-runner' }, 0, FILES)).toThrow(
      /RUNNER_USER polybot-runner does not exist on this machine .*useradd --system/,
    );
    expect(() => resolveRunnerIdentity({ user: 'bot', group: 'nope' }, 0, FILES)).toThrow(
      'RUNNER_GROUP nope does not exist on this machine',
    );
    expect(() => resolveRunnerIdentity({ user: 'root' }, 0, FILES)).toThrow(/runners never run as root/);
    expect(() => resolveRunnerIdentity({ user: '0' }, 0, FILES)).toThrow(/runners never run as root/);
    expect(() => resolveRunnerIdentity({ user: 'bot', group: 'root' }, 0, FILES)).toThrow(/never run as root/);
  });

  it('not root: runners share the manager’s uid (null); an explicit other user is an error', () => {
    expect(resolveRunnerIdentity({}, 1000, FILES)).toBeNull();
    expect(resolveRunnerIdentity({ user: '1000' }, 1000, FILES)).toBeNull();
    expect(() => resolveRunnerIdentity({ user: 'bot' }, 1000, FILES)).toThrow(/need the manager to run as root/);
  });
});

describe.runIf(asRoot)('as root, for real', () => {
  const stack = useManagerStack();
  const spawned: ManagerProcess[] = [];
  const scratch: string[] = [];
  // Registered after the stack's: runs first, so the managers are gone before the database.
  afterAll(async () => {
    for (const m of spawned) if (m.proc.exitCode === null && m.proc.signalCode === null) m.proc.kill('SIGKILL');
    await Promise.all(spawned.map((m) => m.exited));
    await Promise.all(scratch.map((d) => rm(d, { recursive: true, force: true })));
  });

  it('a real runner runs as nobody with no groups, and cannot read the manager’s environment', async () => {
    const u = await createUser(stack.db);
    const m = spawnManagerProcess(['--import', 'tsx', MAIN], {
      databaseUrl: stack.managerUrl,
      venueUrls: venueUrlsOf(stack.sim),
      env: { LOG_LEVEL: 'warn' },
    });
    spawned.push(m);
    const managerPid = m.proc.pid ?? 0;
    await until(async () => (await statusOf(stack.db.sql, u.id)).state === 'running', 'runner running', 90_000);
    const runnerPid = Number((await statusOf(stack.db.sql, u.id)).pid);
    expect(childrenOf(managerPid)).toContain(runnerPid);

    const status = readFileSync(`/proc/${runnerPid}/status`, 'utf8');
    const field = (name: string) => new RegExp(`^${name}:[ \\t]*(.*)$`, 'm').exec(status)?.[1]?.trim().split(/\s+/);
    expect(field('Uid')).toEqual(['65534', '65534', '65534', '65534']); // real, effective, saved, filesystem
    expect(field('Gid')).toEqual(['65534', '65534', '65534', '65534']);
    expect(field('Groups')).toEqual(['']);

    // The manager's environment holds its database URL (root can see it: the control) ...
    const environ = `/proc/${managerPid}/environ`;
    expect(readFileSync(environ, 'utf8')).toContain(`DATABASE_URL=${stack.managerUrl}`);
    // ... and the runner's uid/gid, taken from the real runner, cannot read it.
    const uid = Number(field('Uid')?.[0]);
    const gid = Number(field('Gid')?.[0]);
    const attempt = run(process.execPath, ['-e', `require('node:fs').readFileSync(process.argv[1])`, environ], {
      uid,
      gid,
      env: {},
    });
    await expect(attempt).rejects.toMatchObject({ stderr: expect.stringContaining('EACCES') });

    m.proc.kill('SIGTERM');
    expect(await m.exited).toBe(0);
  });

  it('a configured runner user that does not exist stops the manager at startup', async () => {
    await expect(
      startBotManager({
        ...managerOptions(stack.managerUrl, stack.urls, 'm-no-user'),
        runnerUser: 'polybot-no-such-user',
      }),
    ).rejects.toThrow(/RUNNER_USER polybot-no-such-user does not exist on this machine/);
  });

  it('a runner the runner user cannot read (a checkout in a 0700 directory) is refused at startup, in words', async () => {
    const entry = await runnerEntry();
    const identity = { uid: 65534, gid: 65534, user: 'nobody' };
    await expect(checkRunnerCanRead(identity, entry)).resolves.toBeUndefined();

    const home = await mkdtemp(join(tmpdir(), 'polybot-private-')); // mkdtemp: mode 0700, like /root
    scratch.push(home);
    await mkdir(join(home, 'checkout', 'node_modules'), { recursive: true });
    const copy = join(home, 'checkout', 'main.mjs');
    await copyFile(entry, copy);
    await expect(checkRunnerCanRead(identity, copy)).rejects.toThrow(
      /runners run as nobody \(uid 65534, gid 65534\) and cannot read the runner at .*EACCES.*e\.g\. a clone under \/root, mode 0700/,
    );
    await chmod(home, 0o755);
    await expect(checkRunnerCanRead(identity, copy)).resolves.toBeUndefined();
  });
});

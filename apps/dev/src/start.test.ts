// `npm start` itself, as a developer runs it: the launcher in its own process on a fresh state directory (so a fresh
// embedded Postgres gets the bootstrap, every migration and the demo seed), every service on a free port. It must come
// up, the demo users' bots must paper-trade the simulator, every service must answer, and Ctrl-C must stop all of it.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { DEFAULT_TELEGRAM_TOKEN } from '@polybot/local-stack/telegram';
import { createTestClient } from '@polybot/local-stack/testing';
import { findFreePort } from '@polybot/local-stack/postgres';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const PORT_NAMES = ['DB', 'AUTH', 'STRIPE', 'EDGE', 'MANAGER', 'WEB', 'VENUE_SIM', 'MAIL', 'SMTP', 'TELEGRAM'] as const;
type PortName = (typeof PORT_NAMES)[number];

let child: ChildProcess | null = null;
let stateDir = '';
let output = '';
const ports = {} as Record<PortName, number>;

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const value = await fn();
      if (value) return value;
    } catch (e) {
      last = e instanceof Error ? e.message : String(e);
    }
    if (child?.exitCode !== null)
      throw new Error(
        `npm start exited (${String(child?.exitCode)}) while waiting for ${what}:\n${output.slice(-3000)}`,
      );
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`condition never held: ${what}${last ? ` (last error: ${last})` : ''}\n${output.slice(-3000)}`);
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

beforeAll(async () => {
  stateDir = await mkdtemp(path.join(tmpdir(), 'polybot-start-'));
  // As root, embedded Postgres runs as a `postgres` OS user, which must be able to enter the directory (mkdtemp: 0700).
  await chmod(stateDir, 0o755);
  // Distinct ports, one per service (a port just released can be handed out again).
  const taken = new Set<number>();
  for (const name of PORT_NAMES) {
    let port = await findFreePort();
    while (taken.has(port)) port = await findFreePort();
    taken.add(port);
    ports[name] = port;
  }
  const env: NodeJS.ProcessEnv = { ...process.env, POLYBOT_STATE_DIR: stateDir, DATABASE_URL: '' };
  for (const name of PORT_NAMES) env[`POLYBOT_${name}_PORT`] = String(ports[name]);
  // The launcher as `npm start` runs it (root script → this workspace's start script → node src/launch.mjs), leading a
  // process group of its own as a shell's foreground job does, so Ctrl-C below reaches the whole group.
  child = spawn('npm', ['start'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  // A first start may run `next build` (about a minute on an idle machine; much more while other suites run).
  await until('"PolyBot is up"', async () => output.includes('PolyBot is up'), 900_000);
});

afterAll(async () => {
  if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) {
    process.kill(-child.pid, 'SIGKILL');
  }
  await rm(stateDir, { recursive: true, force: true });
});

test('npm start brings the whole product up on a fresh state directory: demo bots paper-trade, every service answers', async () => {
  expect(output).toContain('fresh database: loaded demo data');

  // The three demo users' bots run, and they paper-trade the live scenario.
  const health = await until(
    '3 demo runners',
    async () => {
      const h = (await (await fetch(`http://127.0.0.1:${ports.MANAGER}/healthz`)).json()) as {
        ok: boolean;
        runners: number;
      };
      return h.ok && h.runners === 3 ? h : null;
    },
    120_000,
  );
  expect(health.runners).toBe(3);
  const sql = postgres(`postgres://postgres:postgres@127.0.0.1:${ports.DB}/postgres`, {
    max: 1,
    onnotice: () => undefined,
  });
  try {
    const trades = await until(
      'a demo paper trade',
      async () => {
        const rows = await sql<{ n: number; live: number }[]>`
        select count(*)::int as n, count(*) filter (where mode <> 'paper')::int as live from public.polybot_trades`;
        return rows[0] && rows[0].n > 0 ? rows[0] : null;
      },
      120_000,
    );
    expect(trades.live).toBe(0);
    // The web app was started with its least-privilege login (docs/SECURITY.md §1.1), created for it on start.
    const [webLogin] = await sql<{ member: boolean }[]>`
      select pg_has_role('polybot_web_local', 'polybot_web', 'member') as member`;
    expect(webLogin?.member).toBe(true);
  } finally {
    await sql.end();
  }

  // A demo user signs in through the local Supabase Auth with the real client.
  const anonKey = /anon key\s+(\S+)/.exec(output)?.[1];
  expect(anonKey).toBeTruthy();
  const supabase = createTestClient(`http://127.0.0.1:${ports.AUTH}`, anonKey ?? '');
  const { data, error } = await supabase.auth.signInWithPassword({
    email: 'alice@demo.polybot.local',
    password: 'polybot-demo',
  });
  expect(error).toBeNull();
  expect(data.user?.email).toBe('alice@demo.polybot.local');

  // The mail inbox is printed, and sign-up needs the confirmation it mails there (a link to the web app).
  expect(output).toContain(`Mail inbox         http://127.0.0.1:${ports.MAIL}`);
  const newcomer = `newcomer-${Date.now()}@example.test`;
  const signUp = await supabase.auth.signUp({ email: newcomer, password: 'newcomer-password' });
  expect(signUp.error).toBeNull();
  expect(signUp.data.session).toBeNull();
  const confirmation = await until(
    'the confirmation email in the inbox',
    async () => {
      const res = await fetch(`http://127.0.0.1:${ports.MAIL}/api/messages?to=${encodeURIComponent(newcomer)}`);
      return ((await res.json()) as { messages: { text: string }[] }).messages[0];
    },
    30_000,
  );
  const link = /http:\/\/127\.0\.0\.1:\d+\/auth\/confirm\?\S+/.exec(confirmation.text)?.[0];
  expect(link).toContain(`http://127.0.0.1:${ports.WEB}/auth/confirm?token_hash=`);
  // Following it signs the newcomer in (session cookies) and sends them on to onboarding.
  const followed = await fetch(link ?? '', { redirect: 'manual' });
  expect(new URL(followed.headers.get('location') ?? '', link).pathname).toBe('/onboarding');
  expect(followed.headers.getSetCookie().join('\n')).toMatch(/sb-[^=]*-auth-token/);
  await followed.body?.cancel();
  // Confirmations on, as supabase/config.toml tells a hosted project (`supabase config push`): the two agree.
  const configToml = await readFile(path.join(ROOT, 'supabase/config.toml'), 'utf8');
  expect(/\[auth\.email\][^[]*enable_confirmations = (\w+)/.exec(configToml)?.[1]).toBe('true');

  // The Telegram stand-in answers the Bot API, its webhook points at the web app with the secret npm start made up
  // (kept, 0600, in the state directory), and its chat page is printed.
  expect(output).toContain(`Telegram chat      http://127.0.0.1:${ports.TELEGRAM}/chat`);
  const botApi = `http://127.0.0.1:${ports.TELEGRAM}/bot${DEFAULT_TELEGRAM_TOKEN}`;
  const me = (await (await fetch(`${botApi}/getMe`)).json()) as { ok: boolean; result: { username: string } };
  expect(me).toMatchObject({ ok: true, result: { username: expect.any(String) } });
  const hook = (await (await fetch(`${botApi}/getWebhookInfo`)).json()) as { result: { url: string } };
  expect(hook.result.url).toBe(`http://127.0.0.1:${ports.WEB}/api/telegram/webhook`);
  const chatPage = await fetch(`http://127.0.0.1:${ports.TELEGRAM}/chat`);
  expect(chatPage.status).toBe(200);
  await chatPage.body?.cancel();
  const secrets = path.join(stateDir, 'local-secrets.json');
  expect((await stat(secrets)).mode & 0o777).toBe(0o600);
  expect(Object.keys(JSON.parse(await readFile(secrets, 'utf8')) as object).sort()).toEqual([
    'notifyUnsubscribeSecret',
    'telegramWebhookSecret',
    'version',
  ]);

  // The web app serves its sign-in page; the webhook function refuses an unsigned event.
  const signIn = await fetch(`http://127.0.0.1:${ports.WEB}/sign-in`);
  expect(signIn.status).toBe(200);
  expect(await signIn.text()).toMatch(/Sign in/i);
  const unsigned = await fetch(`http://127.0.0.1:${ports.EDGE}`, { method: 'POST', body: '{}' });
  expect(unsigned.status).toBe(400);
  await unsigned.body?.cancel();
});

test('Ctrl-C as a terminal sends it (SIGINT to the whole process group) stops every part in order, with nothing crashing or failing', async () => {
  const proc = child;
  if (proc?.pid === undefined) throw new Error('npm start is not running');
  const exited = new Promise<string>((resolve) =>
    proc.once('exit', (code, signal) => resolve(`${String(code)}/${String(signal)}`)),
  );
  const before = output.length;
  process.kill(-proc.pid, 'SIGINT');
  const how = await exited;
  const shutdownLog = output.slice(before);
  if (!shutdownLog.includes('polybot: stopped\n')) console.error(output.slice(-4000));
  // npm waits for its script, then ends by the signal it was sent, as a shell expects of Ctrl-C (exit status 130);
  // the launcher's own verdict is its last line: 'stopped' (every part stopped cleanly), not 'stopped, with errors'.
  expect(how).toBe('null/SIGINT');
  expect(shutdownLog).toContain('SIGINT: stopping');
  expect(shutdownLog).toContain('polybot: stopped\n');
  // The services' own log lines went to the log file, not the terminal; nothing there speaks of a crash either.
  const logs = await readFile(path.join(stateDir, 'polybot.log'), 'utf8');
  expect(logs).toContain('"msg":"bot manager stopped"');
  // The manager ran its notification worker with email and Telegram configured (else it warns that they go dead).
  expect(logs).toContain('"msg":"notification worker started"');
  expect(logs).not.toMatch(/deliveries will go dead/);
  expect(logs).not.toMatch(/crash|"level":(50|60)/);
  expect(output).not.toMatch(/^\{"level"/m);
  // Every part left shutdown to the launcher: no runner "crashed", no failed stop or status write, no forced exit.
  expect(shutdownLog).not.toMatch(/crash|fail|error|took too long/i);
  // No service is left listening (Postgres included: it is a child of the launcher's embedded instance).
  const open = await Promise.all(PORT_NAMES.map(async (name) => ((await portOpen(ports[name])) ? name : null)));
  expect(open.filter(Boolean)).toEqual([]);
});

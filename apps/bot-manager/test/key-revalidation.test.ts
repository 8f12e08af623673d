// Keys stay true (ARCHITECTURE.md 8a.6), with real processes, Postgres and the venue simulator: a live key revoked at
// the venue (`/_sim/polymarket/revoke-key`) becomes 'invalid' within the re-validation interval, live trading on that
// venue stops (the restarted runner trades paper there) and the status says why (halt live_key_invalid, in words).
// And an authentication failure a runner meets while trading makes the manager re-validate at once, long before the
// next periodic round. Kalshi's revoke control answers 401 to the same check.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { privateKeyToAccount } from 'viem/accounts';
import { expect, test } from 'vitest';
import { checkKey } from '../src/manager/key-validation.ts';
import type { IpcTap } from '../src/manager/runner-process.ts';
import { refuseEoaMakers, registerPolymarketWallet } from '@polybot/local-stack/testing';
import { kalshiFactory } from '@polybot/local-stack/venue-sim';
import {
  createUser,
  heartbeats,
  registerKalshiKey,
  saveKeys,
  saveWalletKey,
  startVenueSim,
  statusOf,
  until,
  venueUrlsOf,
  walletKeys,
} from './harness.ts';
import { useManagerStack } from './stack.ts';

const stack = useManagerStack();
const LIVE = { config: { dry_run: false }, profile: { live_trading_allowed: true, subscription_tier: 'pro' } };

const keyRow = async (userId: string) => {
  const [r] = await stack.db.sql<{ validation_status: string; validation_error: string | null }[]>`
    select validation_status, validation_error from public.polybot_user_secrets
     where user_id = ${userId} and platform = 'polymarket' and is_paper = false`;
  return r;
};

const revoke = async (venue: 'polymarket' | 'kalshi', body: Record<string, string>): Promise<void> => {
  const res = await fetch(`${stack.sim.origin}/_sim/${venue}/revoke-key`, {
    method: 'POST',
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
};

/** The status once the runner trades paper because the venue rejected its live key. */
const haltedForKey = (userId: string) =>
  until(
    async () => {
      const s = await statusOf(stack.db.sql, userId);
      return s.state === 'running' && s.halt_code === 'live_key_invalid' ? s : null;
    },
    `halt live_key_invalid for ${userId}`,
    60_000,
  );

const runningLive = (userId: string) =>
  until(
    async () => {
      const s = await statusOf(stack.db.sql, userId);
      return s.state === 'running' && s.mode === 'live' ? s : null;
    },
    `${userId} running live`,
    60_000,
  );

test('a live key revoked at the venue → invalid within the re-validation interval, runner back to paper, status says why', async () => {
  const keys = await walletKeys(stack.sim);
  const u = await createUser(stack.db, LIVE);
  await saveKeys(stack.db.sql, u.id, keys, false);
  // A dry-run user holding a live key: their runner never uses it, so only the periodic round can notice the revocation.
  const idleKeys = await walletKeys(stack.sim);
  const idle = await createUser(stack.db);
  await saveKeys(stack.db.sql, idle.id, idleKeys, false);
  const fromIdle: unknown[] = [];
  const tap: IpcTap = (e) => {
    if (e.userId === idle.id && e.direction === 'from') fromIdle.push(e.message);
  };
  const m = await stack.manager('rv-periodic', { keyRevalidateMs: 1000, ipcTap: tap });
  await runningLive(u.id);
  await until(async () => (await keyRow(idle.id))?.validation_status === 'valid', 'idle user key valid', 60_000);
  const pidBefore = m.manager.runners().find((r) => r.userId === u.id)?.pid;

  await revoke('polymarket', { address: privateKeyToAccount(`0x${idleKeys.privateKey}`).address });
  await revoke('polymarket', { address: privateKeyToAccount(`0x${keys.privateKey}`).address });
  for (const id of [idle.id, u.id]) {
    const row = await until(
      async () => {
        const r = await keyRow(id);
        return r?.validation_status === 'invalid' ? r : null;
      },
      'revoked key invalid',
      60_000,
    );
    expect(row.validation_error).toMatch(/Polymarket rejected the live API credentials \(HTTP 401\)/);
  }
  expect(fromIdle.filter((msg) => (msg as { type?: string }).type === 'keyRejected')).toEqual([]);

  const s = await haltedForKey(u.id);
  expect(s.mode).toBe('paper');
  expect(String(s.halt_reason)).toMatch(
    /^Polymarket rejected your live key on \d{4}-\d\d-\d\d \d\d:\d\d UTC \(.*HTTP 401.*\): live trading on Polymarket stopped and the bot trades paper there\. Save a new live Polymarket key in Settings → API keys/,
  );
  // A new runner (the keys fingerprint changed) that places no live order: a few heartbeats on, nothing live booked.
  expect(m.manager.runners().find((r) => r.userId === u.id)?.pid).not.toBe(pidBefore);
  const since = new Date();
  await heartbeats(stack.db.sql, u.id, 5);
  const live = await stack.db.sql`
    select 1 from public.polybot_trades where user_id = ${u.id} and mode = 'live' and created_at >= ${since}`;
  expect(live).toHaveLength(0);
  await stack.db
    .sql`update public.polybot_user_config set bot_enabled = false where user_id in ${stack.db.sql([u.id, idle.id])}`;
  await m.stop();
}, 180_000);

test('an authentication failure while trading → re-validated at once (not at the next hourly round) → invalid, paper', async () => {
  const keys = await walletKeys(stack.sim);
  const u = await createUser(stack.db, LIVE);
  await saveKeys(stack.db.sql, u.id, keys, false);
  // Validated just now (as a check an hour ago would have left it), then revoked before the runner ever connects: the
  // periodic round is an hour away, so only the runner's report can bring the change.
  await stack.db.sql`select public.set_user_secret_validation(${u.id}, 'polymarket', false, 'valid', null)`;
  await revoke('polymarket', { address: privateKeyToAccount(`0x${keys.privateKey}`).address });
  const fromRunner: unknown[] = [];
  const tap: IpcTap = (e) => {
    if (e.userId === u.id && e.direction === 'from') fromRunner.push(e.message);
  };
  const m = await stack.manager('rv-rejected', { keyRevalidateMs: 3_600_000, ipcTap: tap });
  const row = await until(
    async () => {
      const r = await keyRow(u.id);
      return r?.validation_status === 'invalid' ? r : null;
    },
    'key invalid after the runner reported the 401',
    60_000,
  );
  expect(row.validation_error).toMatch(/HTTP 401/);
  expect(fromRunner).toContainEqual({
    type: 'keyRejected',
    venue: 'polymarket',
    reason: expect.stringMatching(/Unauthorized\/Invalid api key/) as unknown,
  });
  expect((await haltedForKey(u.id)).mode).toBe('paper');
  await stack.db.sql`update public.polybot_user_config set bot_enabled = false where user_id = ${u.id}`;
  await m.stop();
}, 180_000);

test('a venue that cannot be reached says nothing about the key: it stays valid through failed re-checks', async () => {
  // A gate in front of the simulator: while down, every private (authenticated) call gets a 503, and is counted.
  let down = false;
  let refused = 0;
  const target = venueUrlsOf(stack.sim).polymarketClob;
  const gate = createServer((req, res) => {
    const url = req.url ?? '/';
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (down && /^\/(auth|balance-allowance|order|data)/.test(url)) {
        refused++;
        return void res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"down"}');
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers))
        if (typeof v === 'string' && k !== 'host' && k !== 'content-length') headers[k] = v;
      fetch(`${target}${url}`, {
        method: req.method ?? 'GET',
        headers,
        ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
      }).then(
        async (r) =>
          res.writeHead(r.status, { 'content-type': 'application/json' }).end(Buffer.from(await r.arrayBuffer())),
        () => res.writeHead(502).end(),
      );
    });
  });
  await new Promise<void>((r) => gate.listen(0, '127.0.0.1', () => r()));
  const address = gate.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  try {
    const u = await createUser(stack.db); // dry run: the runner never uses the live key, only the re-checks do
    await saveKeys(stack.db.sql, u.id, await walletKeys(stack.sim), false);
    const m = await stack.manager('rv-unreachable', {
      keyRevalidateMs: 1000,
      venueUrls: { ...venueUrlsOf(stack.sim), polymarketClob: `http://127.0.0.1:${port}` },
    });
    await until(async () => (await keyRow(u.id))?.validation_status === 'valid', 'key valid', 60_000);
    down = true;
    // Several re-checks, each refused by the "venue" (each check tries twice).
    await until(() => refused >= 6, 'three re-checks refused with 503', 60_000);
    expect(await keyRow(u.id)).toMatchObject({ validation_status: 'valid', validation_error: null });
    await stack.db.sql`update public.polybot_user_config set bot_enabled = false where user_id = ${u.id}`;
    await m.stop();
  } finally {
    gate.closeAllConnections();
    await new Promise<void>((r) => gate.close(() => r()));
  }
});

test('Kalshi: a key revoked in the simulator answers 401 with Kalshi’s body, and the check says invalid', async () => {
  const ks = await startVenueSim({ scenario: 'arb-rich', port: 0, venues: [kalshiFactory] });
  try {
    const key = await registerKalshiKey(ks.origin);
    const urls = { polymarketClob: '', kalshiApi: ks.urls.kalshi };
    const material = {
      platform: 'kalshi' as const,
      isPaper: false,
      apiKey: key.keyId,
      apiSecret: null,
      privateKey: key.privatePem,
    };
    expect(await checkKey(material, urls)).toEqual({ outcome: 'valid' });
    const res = await fetch(`${ks.origin}/_sim/kalshi/revoke-key`, {
      method: 'POST',
      body: JSON.stringify({ keyId: key.keyId }),
    });
    expect(res.status).toBe(200);
    expect(await checkKey(material, urls)).toMatchObject({
      outcome: 'invalid',
      reason: expect.stringMatching(/HTTP 401/) as unknown,
    });
    const unknown = await fetch(`${ks.origin}/_sim/kalshi/revoke-key`, {
      method: 'POST',
      body: JSON.stringify({ keyId: randomUUID() }),
    });
    expect(unknown.status).toBe(404);
  } finally {
    await ks.close();
  }
});

test('a proxy-wallet key is re-checked as the proxy wallet it trades for (not as its EOA, which production refuses)', async () => {
  const key = randomBytes(32).toString('hex');
  const funder = privateKeyToAccount(`0x${randomBytes(32).toString('hex')}`).address;
  await registerPolymarketWallet(stack.sim.origin, {
    owner: privateKeyToAccount(`0x${key}`).address,
    address: funder,
    type: 'POLY_PROXY',
  });
  const u = await createUser(stack.db, LIVE);
  await saveWalletKey(stack.db.sql, u.id, key, false, { signatureType: 1, funderAddress: funder });
  await refuseEoaMakers(stack.sim.origin, true);
  try {
    const m = await stack.manager('rv-wallet', { keyRevalidateMs: 500 });
    const checkedAt = async (): Promise<number | null> => {
      const [r] = await stack.db.sql<{ status: string; at: Date | null }[]>`
        select validation_status as status, last_validated_at as at from public.polybot_user_secrets
         where user_id = ${u.id} and platform = 'polymarket' and is_paper = false`;
      return r?.status === 'valid' && r.at ? r.at.getTime() : null;
    };
    const first = await until(checkedAt, 'proxy-wallet key valid', 60_000);
    // Two periodic re-checks later it is still valid: each checked the proxy wallet with the key's wallet type.
    const again = await until(
      async () => {
        const at = await checkedAt();
        return at !== null && at > first ? at : null;
      },
      'a re-check',
      60_000,
    );
    await until(
      async () => {
        const at = await checkedAt();
        return at !== null && at > again ? at : null;
      },
      'another re-check',
      60_000,
    );
    expect((await keyRow(u.id))?.validation_status).toBe('valid');
    await stack.db.sql`update public.polybot_user_config set bot_enabled = false where user_id = ${u.id}`;
    await m.stop();
  } finally {
    await refuseEoaMakers(stack.sim.origin, false);
  }
}, 180_000);

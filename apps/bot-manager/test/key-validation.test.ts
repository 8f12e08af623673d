// Key validation by the manager, with real processes, Postgres and the venue simulator: new keys are checked before
// the runner is forked (L1 for a bare private key, an L2 GET for stored API credentials), a bad key becomes invalid
// with a reason the user can read, a rotated key is checked again, and a venue outage leaves keys pending (not
// invalid) until a retry succeeds. Kalshi keys are checked with a signed GET /portfolio/balance.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { VenueUrls } from '../src/shared/ipc.ts';
import { expect, test } from 'vitest';
import { checkKey } from '../src/manager/key-validation.ts';
import type { RunningBotManager } from '../src/index.ts';
import {
  createUser,
  makeKeys,
  savePrivateKeyOnly,
  saveKeys,
  saveWalletKey,
  startVenueSim,
  statusOf,
  until,
  venueUrlsOf,
  walletKeys,
} from './harness.ts';
import { useManagerStack } from './stack.ts';
import { kalshiFactory } from '@polybot/local-stack/venue-sim';
import { registerPolymarketWallet } from '@polybot/local-stack/testing';
import { privateKeyToAccount } from 'viem/accounts';

const stack = useManagerStack();

interface KeyRow {
  validation_status: string;
  validation_error: string | null;
  last_validated_at: Date | null;
}
async function keyRow(userId: string, isPaper: boolean): Promise<KeyRow> {
  const [r] = await stack.db.sql<KeyRow[]>`
    select validation_status, validation_error, last_validated_at from public.polybot_user_secrets
     where user_id = ${userId} and platform = 'polymarket' and is_paper = ${isPaper}`;
  if (!r) throw new Error('no key row');
  return r;
}
const settled = (userId: string, isPaper: boolean): Promise<KeyRow> =>
  until(
    async () => {
      const r = await keyRow(userId, isPaper);
      return r.validation_status !== 'pending' ? r : null;
    },
    `keys of ${userId} validated`,
    60_000,
  );

const modeReason = (userId: string, match: RegExp): Promise<string> =>
  until(
    async () => {
      const s = await statusOf(stack.db.sql, userId);
      const reason = String((s.stats as { mode_reason?: string } | null)?.mode_reason ?? '');
      return s.state === 'running' && match.test(reason) ? reason : null;
    },
    `mode reason of ${userId} matching ${String(match)}`,
    60_000,
  );

/**
 * One manager at a time, each test its own: with shards (issue 15) a test's user could otherwise land on an earlier
 * test's manager, still running with that test's venue URLs (kv2's gate), and never be validated by this one.
 */
const manager = async (id: string, urls: VenueUrls = stack.urls): Promise<RunningBotManager> => {
  await Promise.all(stack.managers.splice(0).map((m) => m.stop()));
  return stack.manager(id, { venueUrls: urls });
};

test('valid paper and live keys become valid; a wrong or malformed key becomes invalid with a reason; a rotated key is checked again', async () => {
  const paper = await createUser(stack.db);
  await savePrivateKeyOnly(stack.db.sql, paper.id, randomBytes(32).toString('hex'), true);
  const live = await createUser(stack.db, { config: { dry_run: false }, profile: { live_trading_allowed: true } });
  await saveKeys(stack.db.sql, live.id, await walletKeys(stack.sim), false);
  const wrong = await createUser(stack.db, { config: { dry_run: false }, profile: { live_trading_allowed: true } });
  await saveKeys(stack.db.sql, wrong.id, makeKeys(), false); // a real wallet key, but API credentials the venue never issued
  const malformed = await createUser(stack.db);
  // save_user_secret refuses a malformed key (20261207000310): only a row saved before it checked formats holds one.
  await savePrivateKeyOnly(stack.db.sql, malformed.id, randomBytes(32).toString('hex'), true);
  await stack.db.superuser`
    select vault.update_secret(private_key_secret_id, 'not-a-key') from public.polybot_user_secrets where user_id = ${malformed.id}`;

  const m = await manager('kv1');
  expect(await settled(paper.id, true)).toMatchObject({ validation_status: 'valid', validation_error: null });
  const liveRow = await settled(live.id, false);
  expect(liveRow).toMatchObject({ validation_status: 'valid', validation_error: null });
  expect(liveRow.last_validated_at).toBeInstanceOf(Date);
  const wrongRow = await settled(wrong.id, false);
  expect(wrongRow.validation_status).toBe('invalid');
  expect(wrongRow.validation_error).toMatch(/Polymarket rejected the live API credentials \(HTTP 401\)/);
  const malformedRow = await settled(malformed.id, true);
  expect(malformedRow).toMatchObject({ validation_status: 'invalid' });
  expect(malformedRow.validation_error).toMatch(/not a 64-digit hex key/);
  // The reason names no key material.
  for (const marker of [...wrong.keys.markers]) expect(wrongRow.validation_error).not.toContain(marker);

  // Each runner got the outcome: the validated live user trades live, the rejected one stays in paper mode and says why.
  await modeReason(live.id, /validated live keys/);
  expect((await statusOf(stack.db.sql, live.id)).mode).toBe('live');
  await modeReason(wrong.id, /venue rejected them/);
  expect((await statusOf(stack.db.sql, wrong.id)).mode).toBe('paper');

  // Rotation: the live user's keys are replaced by bad ones → pending again → checked → invalid, runner restarted in paper.
  const pidBefore = m.manager.runners().find((r) => r.userId === live.id)?.pid;
  await saveKeys(stack.db.sql, live.id, makeKeys(), false);
  const rotated = await until(
    async () => {
      const r = await keyRow(live.id, false);
      return r.validation_status === 'invalid' ? r : null;
    },
    'rotated key invalid',
    60_000,
  );
  expect(rotated.validation_error).toMatch(/HTTP 401/);
  expect(rotated.last_validated_at?.getTime()).toBeGreaterThanOrEqual(liveRow.last_validated_at?.getTime() ?? Infinity);
  await modeReason(live.id, /venue rejected them/);
  expect(m.manager.runners().find((r) => r.userId === live.id)?.pid).not.toBe(pidBefore);
  // And back: rotated to good keys → valid → live again.
  await saveKeys(stack.db.sql, live.id, await walletKeys(stack.sim), false);
  await until(
    async () => (await keyRow(live.id, false)).validation_status === 'valid',
    'rotated good key valid',
    60_000,
  );
  await modeReason(live.id, /validated live keys/);
  for (const u of [paper, live, wrong, malformed])
    await stack.db.sql`update public.polybot_user_config set bot_enabled = false where user_id = ${u.id}`;
  await m.stop();
});

test('venue unreachable → keys stay pending (not invalid), the runner starts in paper mode, and a later retry validates them', async () => {
  // A gate in front of the simulator: while down, every private (authenticated) call gets a 503.
  let down = true;
  const target = venueUrlsOf(stack.sim).polymarketClob;
  const gate = createServer((req, res) => {
    const url = req.url ?? '/';
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (down && /^\/(auth|balance-allowance|order|data)/.test(url))
        return void res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"down"}');
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
    const u = await createUser(stack.db, { config: { dry_run: false }, profile: { live_trading_allowed: true } });
    await saveKeys(stack.db.sql, u.id, await walletKeys(stack.sim), false);
    await manager('kv2', { ...venueUrlsOf(stack.sim), polymarketClob: `http://127.0.0.1:${port}` });
    await modeReason(u.id, /not checked with the venue yet/);
    expect(await keyRow(u.id, false)).toMatchObject({ validation_status: 'pending', last_validated_at: null });
    down = false;
    expect(await settled(u.id, false)).toMatchObject({ validation_status: 'valid' });
    await modeReason(u.id, /validated live keys/);
    await stack.db.sql`update public.polybot_user_config set bot_enabled = false where user_id = ${u.id}`;
  } finally {
    gate.closeAllConnections();
    await new Promise<void>((r) => gate.close(() => r()));
  }
});

test('Kalshi keys: a signed balance GET against the simulator — valid, unknown key id, wrong private key', async () => {
  const ks = await startVenueSim({ scenario: 'arb-rich', port: 0, venues: [kalshiFactory] });
  try {
    const kalshiApi = ks.urls.kalshi;
    if (!kalshiApi) throw new Error('no Kalshi sim');
    const pair = () =>
      generateKeyPairSync('rsa', {
        modulusLength: 2048,
        publicKeyEncoding: { type: 'spki', format: 'pem' },
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      });
    const mine = pair();
    const keyId = `kv-${randomBytes(6).toString('hex')}`;
    const reg = await fetch(`${ks.origin}/_sim/kalshi/accounts`, {
      method: 'POST',
      body: JSON.stringify({ key_id: keyId, public_key_pem: mine.publicKey, balance_cents: 100_000 }),
    });
    expect(reg.status).toBeLessThan(300);
    const urls = { polymarketClob: '', kalshiApi };
    const key = {
      platform: 'kalshi' as const,
      isPaper: false,
      apiKey: keyId,
      apiSecret: null,
      privateKey: mine.privateKey,
    };
    expect(await checkKey(key, urls)).toEqual({ outcome: 'valid' });
    const unknown = await checkKey({ ...key, apiKey: 'nobody' }, urls);
    expect(unknown).toMatchObject({
      outcome: 'invalid',
      reason: expect.stringMatching(/does not know this live API key id/) as unknown,
    });
    const wrongPem = await checkKey({ ...key, privateKey: pair().privateKey }, urls);
    expect(wrongPem).toMatchObject({
      outcome: 'invalid',
      reason: expect.stringMatching(/private key does not belong/) as unknown,
    });
    expect(await checkKey({ ...key, privateKey: 'garbage' }, urls)).toMatchObject({
      outcome: 'invalid',
      reason: expect.stringMatching(/not a valid RSA private key/) as unknown,
    });
    // No Kalshi URL configured: nothing is learned about the key.
    expect((await checkKey(key, { polymarketClob: '' })).outcome).toBe('unreachable');
  } finally {
    await ks.close();
  }
});

test('Polymarket wallet types: a proxy-wallet key saved with its funder is valid and goes live; a funder the key does not control is invalid in the venue’s words', async () => {
  const addressOf = (hex: string): string => privateKeyToAccount(`0x${hex}`).address;
  const proxyKey = randomBytes(32).toString('hex');
  const proxy = addressOf(randomBytes(32).toString('hex'));
  await registerPolymarketWallet(stack.sim.origin, { owner: addressOf(proxyKey), address: proxy, type: 'POLY_PROXY' });
  const owner = await createUser(stack.db, { config: { dry_run: false }, profile: { live_trading_allowed: true } });
  await saveWalletKey(stack.db.sql, owner.id, proxyKey, false, { signatureType: 1, funderAddress: proxy });
  // Someone else's Safe given as the funder.
  const safe = addressOf(randomBytes(32).toString('hex'));
  await registerPolymarketWallet(stack.sim.origin, {
    owner: addressOf(randomBytes(32).toString('hex')),
    address: safe,
    type: 'POLY_GNOSIS_SAFE',
  });
  const stranger = await createUser(stack.db, { config: { dry_run: false }, profile: { live_trading_allowed: true } });
  await saveWalletKey(stack.db.sql, stranger.id, randomBytes(32).toString('hex'), false, {
    signatureType: 2,
    funderAddress: safe,
  });

  await manager('kv-wallets');
  expect(await settled(owner.id, false)).toMatchObject({ validation_status: 'valid', validation_error: null });
  const refused = await settled(stranger.id, false);
  expect(refused.validation_status).toBe('invalid');
  expect(refused.validation_error).toMatch(/\(POLY_GNOSIS_SAFE\): "invalid signature"/);
  await modeReason(owner.id, /validated live keys/);
  expect((await statusOf(stack.db.sql, owner.id)).mode).toBe('live');
  await modeReason(stranger.id, /venue rejected them/);
});

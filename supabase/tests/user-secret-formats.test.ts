// save_user_secret checks what it stores itself (20261207000310), as a user calling the Data API with their own token
// meets it: the same formats as the web app's zod schemas (packages/schemas/src/secrets.ts), byte limits
// (SECRET_FIELD_MAX_BYTES) that refuse a 2 MB value before anything reads it, and a key hint that shows no character
// of a private key.
import { randomBytes, randomUUID } from 'node:crypto';
import {
  SECRET_FIELD_MAX_BYTES,
  SecretInputSchema,
  toSaveUserSecretArgs,
  type SaveUserSecretArgs,
} from '@polybot/schemas';
import type { TransactionSql } from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attempt, createAuthUser, createTestDatabase, testKeys, type TestDatabase } from './helpers.ts';

let db: TestDatabase;
let userId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  userId = await createAuthUser(db, 'formats@example.test');
});
afterAll(async () => db?.stop());

const MB2 = 'A'.repeat(2 * 1024 * 1024);
const pem = (body: string) => `-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----`;
const address = `0x${'c0'.repeat(20)}`;

const call = (tx: TransactionSql, a: SaveUserSecretArgs) =>
  tx`select public.save_user_secret(${a.p_platform}, ${a.p_is_paper}, ${a.p_api_key}, ${a.p_api_secret},
                                    ${a.p_private_key}, ${tx.json(a.p_additional_config as never)}) as r`;

/** save_user_secret as the user, rolled back; the outcome and what the audit log got. */
async function save(a: SaveUserSecretArgs) {
  const { outcome, verified } = await attempt(
    db.sql,
    { role: 'authenticated', userId },
    (tx) => call(tx, a),
    (tx) => tx<{ key_hint: string | null; details: unknown }[]>`
      select s.key_hint, (select details from public.polybot_audit_log l where l.user_id = s.user_id order by id desc limit 1)
        from public.polybot_user_secrets s where s.user_id = ${userId}`,
  );
  return { outcome, row: verified?.[0] };
}

/** The raw form a caller could send, mapped to arguments exactly as toSaveUserSecretArgs maps valid input. */
type Raw =
  | { platform: 'kalshi'; keyId: string; privateKeyPem: string }
  | {
      platform: 'polymarket';
      privateKey: string;
      apiCreds?: { key: string; secret: string; passphrase: string };
      signatureType?: number;
      funderAddress?: string;
    };
function argsOf(raw: Raw): SaveUserSecretArgs {
  if (raw.platform === 'kalshi')
    return {
      p_platform: 'kalshi',
      p_is_paper: true,
      p_api_key: raw.keyId,
      p_api_secret: null,
      p_private_key: raw.privateKeyPem,
      p_additional_config: {},
    };
  return {
    p_platform: 'polymarket',
    p_is_paper: true,
    p_api_key: raw.apiCreds?.key ?? null,
    p_api_secret: raw.apiCreds
      ? JSON.stringify({ secret: raw.apiCreds.secret, passphrase: raw.apiCreds.passphrase })
      : null,
    p_private_key: raw.privateKey,
    p_additional_config: {
      signatureType: raw.signatureType ?? 0,
      ...(raw.funderAddress !== undefined ? { funderAddress: raw.funderAddress } : {}),
      address,
    },
  };
}

const uuid = '6f1d2c3b-4a59-4e6f-8a7b-9c0d1e2f3a4b';
const key64 = 'ab'.repeat(32);
const creds = { key: uuid, secret: 's'.repeat(20), passphrase: 'p'.repeat(8) };
const CASES: Array<[string, Raw]> = [
  ['kalshi: valid', { platform: 'kalshi', keyId: uuid, privateKeyPem: pem('MIIBVQ==') }],
  [
    'kalshi: RSA PEM',
    { platform: 'kalshi', keyId: uuid, privateKeyPem: pem('MIIB').replace(/PRIVATE/g, 'RSA PRIVATE') },
  ],
  ['kalshi: PEM file with its final newline', { platform: 'kalshi', keyId: uuid, privateKeyPem: `${pem('MIIB')}\n` }],
  ['kalshi: key id not a uuid', { platform: 'kalshi', keyId: 'not-a-uuid', privateKeyPem: pem('MIIBVQ==') }],
  [
    'kalshi: uuid of no version',
    { platform: 'kalshi', keyId: '6f1d2c3b-4a59-0e6f-8a7b-9c0d1e2f3a4b', privateKeyPem: pem('x') },
  ],
  ['kalshi: nil uuid', { platform: 'kalshi', keyId: '00000000-0000-0000-0000-000000000000', privateKeyPem: pem('x') }],
  ['kalshi: not a PEM', { platform: 'kalshi', keyId: uuid, privateKeyPem: 'MIIBVQ==' }],
  ['kalshi: PEM without end', { platform: 'kalshi', keyId: uuid, privateKeyPem: '-----BEGIN PRIVATE KEY-----\nMIIB' }],
  ['kalshi: PEM at the byte limit', { platform: 'kalshi', keyId: uuid, privateKeyPem: pem('A'.repeat(8192 - 56)) }],
  ['kalshi: PEM over the byte limit', { platform: 'kalshi', keyId: uuid, privateKeyPem: pem('A'.repeat(8192 - 55)) }],
  ['polymarket: valid', { platform: 'polymarket', privateKey: key64 }],
  ['polymarket: 0x key', { platform: 'polymarket', privateKey: `0x${key64}` }],
  ['polymarket: short key', { platform: 'polymarket', privateKey: key64.slice(2) }],
  ['polymarket: non-hex key', { platform: 'polymarket', privateKey: `zz${key64.slice(2)}` }],
  ['polymarket: with creds', { platform: 'polymarket', privateKey: key64, apiCreds: creds }],
  ['polymarket: creds key not a uuid', { platform: 'polymarket', privateKey: key64, apiCreds: { ...creds, key: 'k' } }],
  [
    'polymarket: secret 19',
    { platform: 'polymarket', privateKey: key64, apiCreds: { ...creds, secret: 's'.repeat(19) } },
  ],
  [
    'polymarket: secret 200',
    { platform: 'polymarket', privateKey: key64, apiCreds: { ...creds, secret: 's'.repeat(200) } },
  ],
  [
    'polymarket: secret 201',
    { platform: 'polymarket', privateKey: key64, apiCreds: { ...creds, secret: 's'.repeat(201) } },
  ],
  [
    'polymarket: passphrase 7',
    { platform: 'polymarket', privateKey: key64, apiCreds: { ...creds, passphrase: 'p'.repeat(7) } },
  ],
  [
    'polymarket: passphrase 201',
    { platform: 'polymarket', privateKey: key64, apiCreds: { ...creds, passphrase: 'p'.repeat(201) } },
  ],
  ['polymarket: proxy wallet', { platform: 'polymarket', privateKey: key64, signatureType: 1, funderAddress: address }],
  ['polymarket: proxy without funder', { platform: 'polymarket', privateKey: key64, signatureType: 2 }],
  [
    'polymarket: funder not an address',
    { platform: 'polymarket', privateKey: key64, signatureType: 3, funderAddress: '0x12' },
  ],
  ['polymarket: wallet type 4', { platform: 'polymarket', privateKey: key64, signatureType: 4 }],
];

describe('save_user_secret accepts exactly what the zod schemas accept', () => {
  for (const [name, raw] of CASES) {
    it(name, async () => {
      const zod = SecretInputSchema.safeParse({ ...raw, isPaper: true }).success;
      const { outcome } = await save(argsOf(raw));
      expect(outcome.ok ? 'stored' : 'refused', outcome.ok ? '' : outcome.message).toBe(zod ? 'stored' : 'refused');
      if (!outcome.ok) expect(outcome.code).toMatch(/^(22023|22001)$/);
    });
  }

  it('a key the web app validated and mapped (toSaveUserSecretArgs) is stored', async () => {
    const input = SecretInputSchema.parse({
      platform: 'polymarket',
      isPaper: true,
      privateKey: key64,
      apiCreds: creds,
    });
    expect((await save(toSaveUserSecretArgs(input, { address }))).outcome.ok).toBe(true);
  });
});

describe('byte limits (SECRET_FIELD_MAX_BYTES, named in the errors): a 2 MB value is refused before anything reads it', () => {
  const valid = argsOf({ platform: 'polymarket', privateKey: key64, apiCreds: creds });
  const cases: Array<[string, SaveUserSecretArgs, RegExp]> = [
    [
      'api key',
      { ...valid, p_api_key: MB2 },
      new RegExp(`API key is too long \\(at most ${SECRET_FIELD_MAX_BYTES.api_key} bytes\\)`),
    ],
    [
      'api secret',
      { ...valid, p_api_secret: MB2 },
      new RegExp(`API secret is too long \\(at most ${SECRET_FIELD_MAX_BYTES.api_secret} bytes\\)`),
    ],
    [
      'private key',
      { ...valid, p_private_key: MB2 },
      new RegExp(`Private key is too long \\(at most ${SECRET_FIELD_MAX_BYTES.private_key} bytes\\)`),
    ],
    [
      'additional_config',
      { ...valid, p_additional_config: { signatureType: 0, address, note: MB2 } },
      new RegExp(`additional_config is too large \\(at most ${SECRET_FIELD_MAX_BYTES.additional_config} bytes\\)`),
    ],
  ];
  for (const [what, args, message] of cases) {
    it(what, async () => {
      const { outcome } = await save(args);
      expect(outcome).toMatchObject({ ok: false, code: '22001' });
      if (!outcome.ok) expect(outcome.message).toMatch(message);
    });
  }
  it('a PEM of exactly SECRET_FIELD_MAX_BYTES.private_key bytes is stored, one more byte is not', async () => {
    const body = (n: number) => 'A'.repeat(SECRET_FIELD_MAX_BYTES.private_key - pem('').length + n);
    expect(pem(body(0))).toHaveLength(SECRET_FIELD_MAX_BYTES.private_key);
    expect((await save(argsOf({ platform: 'kalshi', keyId: uuid, privateKeyPem: pem(body(0)) }))).outcome.ok).toBe(
      true,
    );
    expect(
      (await save(argsOf({ platform: 'kalshi', keyId: uuid, privateKeyPem: pem(body(1)) }))).outcome,
    ).toMatchObject({
      ok: false,
      code: '22001',
    });
  });
});

describe('the key hint shows no character of a private key', () => {
  it('a Polymarket key without API credentials: the hint and the audit entry name the address, not the key', async () => {
    const privateKey = randomBytes(32).toString('hex');
    const keyAddress = `0x${randomBytes(20).toString('hex')}`;
    const { outcome, row } = await save({
      ...argsOf({ platform: 'polymarket', privateKey }),
      p_additional_config: { signatureType: 0, address: keyAddress },
    });
    expect(outcome.ok).toBe(true);
    expect(row?.key_hint).toBe(`0x…${keyAddress.slice(-4)}`);
    const shown = `${row?.key_hint} ${JSON.stringify(row?.details)}`.replace(keyAddress.slice(-4), '');
    for (let i = 0; i + 4 <= privateKey.length; i++) expect(shown).not.toContain(privateKey.slice(i, i + 4));
    expect(row?.details).toMatchObject({ key_hint: `0x…${keyAddress.slice(-4)}` });
  });

  it('without the address it is refused, never hinted from the key', async () => {
    const { outcome } = await save({
      ...argsOf({ platform: 'polymarket', privateKey: key64 }),
      p_additional_config: { signatureType: 0 },
    });
    expect(outcome).toMatchObject({ ok: false, code: '22023' });
    if (!outcome.ok) expect(outcome.message).toMatch(/needs its own address/);
  });

  it('Kalshi: the key id (an id, not a secret)', async () => {
    const keyId = randomUUID();
    const { row } = await save(argsOf({ platform: 'kalshi', keyId, privateKeyPem: testKeys.kalshiPem() }));
    expect(row?.key_hint).toBe(`…${keyId.slice(-4)}`);
  });
});

describe('who may call the format check', () => {
  it('a user cannot call private.user_secret_format_error directly (only save_user_secret uses it)', async () => {
    const { outcome } = await attempt(
      db.sql,
      { role: 'authenticated', userId },
      (tx) => tx`select private.user_secret_format_error('kalshi', null, null, null, '{}')`,
    );
    expect(outcome).toMatchObject({ ok: false, code: '42501' });
  });
  it('the owner (save_user_secret runs as it) can', async () => {
    const [r] = await db.sql`select private.user_secret_format_error('kalshi', ${uuid}, null, ${pem('x')}, '{}') as e`;
    expect(r?.e).toBeNull();
  });
});

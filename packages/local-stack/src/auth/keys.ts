// The local project's keys. Supabase signs access tokens with an asymmetric key whose public half is published in
// the JWKS (so `auth.getClaims()` verifies locally), and its legacy `anon` / `service_role` API keys are HS256 JWTs
// signed with the project's JWT secret. We keep both kinds: an ES256 key pair with a `kid`, and a random secret.
// Persisted as one JSON file (mode 0600) when the caller names a path, so sessions and API keys survive restarts;
// ephemeral otherwise (tests).
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import { z } from 'zod';

const EcPrivateJwkSchema = z.looseObject({
  kty: z.literal('EC'),
  crv: z.literal('P-256'),
  x: z.string().min(1),
  y: z.string().min(1),
  d: z.string().min(1),
});

const KeyFileSchema = z.object({
  version: z.literal(1),
  kid: z.uuid(),
  privateJwk: EcPrivateJwkSchema,
  jwtSecret: z.string().min(43),
});
type KeyFile = z.infer<typeof KeyFileSchema>;

export interface AuthKeys {
  kid: string;
  /** ES256 private key: signs access tokens. */
  privateKey: CryptoKey;
  /** ES256 public key: verifies access tokens presented to this server. */
  publicKey: CryptoKey;
  /** What `/.well-known/jwks.json` publishes (public members only). */
  publicJwk: JWK;
  /** HS256 secret for the anon / service_role API keys (Supabase's legacy JWT secret). */
  jwtSecret: Uint8Array;
}

export async function loadOrCreateKeys(signingKeyPath?: string): Promise<AuthKeys> {
  if (!signingKeyPath) return fromFile(await generateKeyFile());
  let text: string | undefined;
  try {
    text = await readFile(signingKeyPath, 'utf8');
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  if (text !== undefined) {
    const parsed = KeyFileSchema.safeParse(JSON.parse(text));
    if (!parsed.success) {
      throw new Error(
        `local auth: ${signingKeyPath} is not a valid signing-key file (${parsed.error.issues[0]?.message ?? 'invalid'}); delete it to generate a new key`,
      );
    }
    return fromFile(parsed.data);
  }
  const created = await generateKeyFile();
  await mkdir(path.dirname(signingKeyPath), { recursive: true });
  // wx: never overwrite a key another process wrote meanwhile; 0600: it is a private key.
  await writeFile(signingKeyPath, `${JSON.stringify(created, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  return fromFile(created);
}

async function generateKeyFile(): Promise<KeyFile> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = EcPrivateJwkSchema.parse(await exportJWK(privateKey));
  return { version: 1, kid: randomUUID(), privateJwk: jwk, jwtSecret: randomBytes(32).toString('base64url') };
}

async function fromFile(file: KeyFile): Promise<AuthKeys> {
  const { d: _d, ...publicMembers } = file.privateJwk;
  const publicJwk: JWK = { ...publicMembers, kid: file.kid, alg: 'ES256', use: 'sig', key_ops: ['verify'] };
  const privateKey = await importJWK({ ...file.privateJwk, alg: 'ES256' }, 'ES256');
  const publicKey = await importJWK({ kty: 'EC', crv: 'P-256', x: publicMembers.x, y: publicMembers.y }, 'ES256');
  if (privateKey instanceof Uint8Array || publicKey instanceof Uint8Array) {
    throw new Error('local auth: ES256 JWK imported as raw bytes, not as a key');
  }
  return { kid: file.kid, privateKey, publicKey, publicJwk, jwtSecret: new TextEncoder().encode(file.jwtSecret) };
}

function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT';
}

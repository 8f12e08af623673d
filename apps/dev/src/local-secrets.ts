// Secrets `npm start` makes up for itself, once per state directory, and keeps there (as the local auth server keeps
// its signing key beside them): stable across restarts, so an unsubscribe link mailed yesterday still works and the
// Telegram stand-in's webhook keeps the secret the web app checks. Never used outside local runs.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

const LocalSecretsSchema = z.object({
  version: z.literal(1),
  /** Signs the unsubscribe tokens in notification emails (the manager signs, the web app verifies); ≥ 32 characters. */
  notifyUnsubscribeSecret: z.string().min(32),
  /** Telegram's `secret_token`: the stand-in sends it as `X-Telegram-Bot-Api-Secret-Token`, the web route checks it. */
  telegramWebhookSecret: z.string().regex(/^[A-Za-z0-9_-]{32,256}$/),
});
export type LocalSecrets = z.infer<typeof LocalSecretsSchema>;

export const LOCAL_SECRETS_FILE = 'local-secrets.json';

function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ENOENT';
}

/** base64url: within Telegram's secret_token alphabet ([A-Za-z0-9_-]) and long enough for the unsubscribe HMAC. */
const newSecret = () => randomBytes(32).toString('base64url');

/** Reads `<stateDir>/local-secrets.json`, or makes it (0600) with fresh random secrets the first time. */
export async function loadOrCreateLocalSecrets(stateDir: string): Promise<LocalSecrets> {
  const file = path.join(stateDir, LOCAL_SECRETS_FILE);
  try {
    const parsed = LocalSecretsSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
    if (!parsed.success)
      throw new Error(
        `${file} is not a valid local secrets file (${parsed.error.issues[0]?.message ?? 'invalid'}); delete it to make new ones`,
      );
    return parsed.data;
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  const created: LocalSecrets = {
    version: 1,
    notifyUnsubscribeSecret: newSecret(),
    telegramWebhookSecret: newSecret(),
  };
  await mkdir(stateDir, { recursive: true });
  // wx: never overwrite secrets another process wrote meanwhile; 0600: they are secrets.
  await writeFile(file, `${JSON.stringify(created, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  return created;
}

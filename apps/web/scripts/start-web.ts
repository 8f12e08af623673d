// Starts the built web app (`next start`) as a child process, for `npm start` and the browser tests.
// The app reads its configuration only from the environment (src/env.ts); this passes exactly that.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stopChild } from '@polybot/local-stack/process';
import { sourceFingerprint } from './build-fingerprint.ts';

export const WEB_DIR = fileURLToPath(new URL('../', import.meta.url));

export interface WebEnv {
  DATABASE_URL: string;
  NEXT_PUBLIC_SUPABASE_URL: string;
  NEXT_PUBLIC_SUPABASE_ANON_KEY: string;
  /** Kalshi trade-api base used to validate keys (the simulator's `${origin}/trade-api/v2` locally). */
  KALSHI_API_BASE?: string;
  KALSHI_DEMO_API_BASE?: string;
  /** Polymarket CLOB host used to validate keys (the simulator's origin locally). */
  POLYMARKET_CLOB_URL?: string;
  POLYMARKET_CHAIN_ID?: string;
  /** Billing (optional; without it paid plans show "checkout unavailable"). */
  STRIPE_SECRET_KEY?: string;
  STRIPE_API_BASE?: string;
  STRIPE_PRICE_BASIC?: string;
  STRIPE_PRICE_PRO?: string;
  STRIPE_PRICE_ENTERPRISE?: string;
  /** Public origin for Stripe's return URLs (required in production; default here: the URL this server listens on). */
  APP_URL?: string;
  /** Notifications (src/env.ts): mail for the email channel, unsubscribe links, the webhook SSRF rules (local only). */
  NOTIFY_SMTP_URL?: string;
  NOTIFY_MAIL_FROM?: string;
  NOTIFY_UNSUBSCRIBE_SECRET?: string;
  /** Telegram bot (all of token, username and secret, or none; src/env.ts). Locally the stand-in's token and url. */
  TELEGRAM_BOT_TOKEN?: string;
  TELEGRAM_API_ROOT?: string;
  TELEGRAM_BOT_USERNAME?: string;
  TELEGRAM_WEBHOOK_SECRET?: string;
  TELEGRAM_LINK_BASE?: string;
  NOTIFY_WEBHOOK_ALLOW_HTTP?: string;
  NOTIFY_WEBHOOK_EXEMPT_RANGES?: string;
}

export interface WebApp {
  url: string;
  /** Everything the server printed (for error reports). */
  log(): string;
  close(): Promise<void>;
}

function nextBin(): string {
  const local = path.join(WEB_DIR, 'node_modules/.bin/next');
  return existsSync(local) ? local : path.join(WEB_DIR, '../../node_modules/.bin/next');
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(nextBin(), args, { cwd: WEB_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`next ${args.join(' ')} exited ${code}\n${out.slice(-4000)}`)),
    );
  });
}

/** `next build`. NEXT_PUBLIC_* values are read at request time on the server, so one build serves any stack. */
export async function buildWeb(): Promise<void> {
  await run(['build'], { ...process.env, NEXT_TELEMETRY_DISABLED: '1' });
  // Taken after the build: `next build` may rewrite next-env.d.ts and tsconfig.json, which are part of the sources.
  writeFileSync(FINGERPRINT_FILE, `${sourceFingerprint(WEB_DIR)}\n`);
}

const FINGERPRINT_FILE = path.join(WEB_DIR, '.next/polybot-source-fingerprint');

/** A build exists and was made from the sources as they are now (see build-fingerprint.ts). */
export function isBuilt(): boolean {
  if (!existsSync(path.join(WEB_DIR, '.next/BUILD_ID')) || !existsSync(FINGERPRINT_FILE)) return false;
  return readFileSync(FINGERPRINT_FILE, 'utf8').trim() === sourceFingerprint(WEB_DIR);
}

export async function startWeb(opts: { env: WebEnv; port: number; host?: string }): Promise<WebApp> {
  const host = opts.host ?? '127.0.0.1';
  const url = `http://${host}:${opts.port}`;
  let out = '';
  // `next start` is production: the app refuses to run without APP_URL, so every caller gets its own URL by default.
  const child = spawn(nextBin(), ['start', '-p', String(opts.port), '-H', host], {
    cwd: WEB_DIR,
    env: { ...process.env, APP_URL: url, ...opts.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const close = (): Promise<void> => stopChild(child, 5000);
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`next start exited ${child.exitCode}\n${out}`);
    try {
      await fetch(`${url}/sign-in`, { redirect: 'manual' });
      break;
    } catch {
      if (i > 600) {
        await close();
        throw new Error(`next start did not answer at ${url}\n${out}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return { url, log: () => out, close };
}

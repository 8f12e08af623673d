// Web hardening (issue 14 items 5 and 9), against the built app as a browser and a plain HTTP client meet it: the
// security headers on pages, API routes, redirects and static files; a Content-Security-Policy that lets exactly our
// scripts run (no violation while a new user signs up, onboards and opens the dashboard and settings); HttpOnly session
// cookies; ?next= after sign-in never leaving our origin; Stripe's return URL from APP_URL whatever Host and
// X-Forwarded-* the request claims; and a rate-limited sign-in told apart from a wrong password.
import { request as httpRequest } from 'node:http';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGN_IN_RATE_LIMITED, WRONG_CREDENTIALS } from '~/app/auth/auth-errors.ts';
import { launchChromium } from './support/browser.ts';
import { flows, hydrated, PASSWORD, submit } from './support/flows.ts';
import { polymarketKey } from './support/keys.ts';
import { onboard } from './support/onboard.ts';
import { startStack, type Stack } from './support/stack.ts';

const DESKTOP = { width: 1280, height: 900 };

let stack: Stack;
let browser: Browser;
let f: ReturnType<typeof flows>;

beforeAll(async () => {
  stack = await startStack();
  f = flows(stack);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await stack?.stop();
});

/**
 * A browser context that never leaves this machine: any request to another origin is answered here with a page that
 * says so (a redirect that escaped would land on it instead of on the network).
 */
async function localContext(): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: DESKTOP });
  // the app, the auth server and the Stripe emulator all listen on the stack's loopback host
  const ours = new URL(stack.baseUrl).hostname;
  await context.route(
    (url) => url.hostname !== ours,
    (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<h1>left the site</h1>' }),
  );
  return context;
}

/** Records every CSP violation the page reports, from the first script on (init scripts are not subject to CSP). */
async function watchCsp(context: BrowserContext): Promise<string[]> {
  const seen: string[] = [];
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      const w = window as unknown as { __csp?: string[] };
      (w.__csp ??= []).push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} on ${location.pathname}`);
    });
  });
  context.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text())) seen.push(`console: ${msg.text()}`);
  });
  return seen;
}

async function violations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []);
}

const nonceOf = (csp: string | null): string | undefined => /'nonce-([^']+)'/.exec(csp ?? '')?.[1];

function expectSecurityHeaders(res: Response, what: string): void {
  const h = res.headers;
  expect(h.get('x-content-type-options'), what).toBe('nosniff');
  expect(h.get('referrer-policy'), what).toBe('same-origin');
  expect(h.get('x-frame-options'), what).toBe('DENY');
  expect(h.get('permissions-policy'), what).toContain('camera=()');
  expect(h.get('cross-origin-opener-policy'), what).toBe('same-origin');
  expect(h.get('strict-transport-security'), what).toMatch(/max-age=\d+/);
}

function expectCsp(res: Response, what: string): string {
  const csp = res.headers.get('content-security-policy') ?? '';
  expect(csp, what).toContain("frame-ancestors 'none'");
  expect(csp, what).toContain("object-src 'none'");
  expect(csp, what).toContain("base-uri 'none'");
  expect(csp, what).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{16,}' 'strict-dynamic'/);
  expect(csp, what).not.toContain("'unsafe-inline' 'strict-dynamic'");
  expect(csp, what).not.toContain('unsafe-eval');
  return csp;
}

/** One raw HTTP request with headers fetch() would not let us forge (Host). */
function rawRequest(
  url: string,
  opts: { method: string; headers: Record<string, string>; body?: Buffer },
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: opts.method, headers: opts.headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

describe('web hardening', () => {
  it('sends the security headers on pages, redirects, API routes and static files, with a fresh nonce per page', async () => {
    const signIn = await fetch(`${stack.baseUrl}/sign-in`);
    expect(signIn.status).toBe(200);
    expectSecurityHeaders(signIn, '/sign-in');
    const csp = expectCsp(signIn, '/sign-in');
    // the nonce in the header is the one on the page's scripts, and every script carries it
    const html = await signIn.text();
    const nonce = nonceOf(csp);
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    const again = await fetch(`${stack.baseUrl}/sign-in`);
    expect(nonceOf(again.headers.get('content-security-policy'))).not.toBe(nonce);

    for (const path of ['/', '/sign-up', '/terms', '/no-such-page']) {
      const res = await fetch(`${stack.baseUrl}${path}`);
      expectSecurityHeaders(res, path);
      expectCsp(res, path);
    }
    // the proxy's own answers: a signed-out page redirect and a signed-out API call
    const redirect = await fetch(`${stack.baseUrl}/dashboard`, { redirect: 'manual' });
    expect(redirect.status).toBe(307);
    expectSecurityHeaders(redirect, '/dashboard redirect');
    expectCsp(redirect, '/dashboard redirect');
    const api = await fetch(`${stack.baseUrl}/api/status`);
    expect(api.status).toBe(401);
    expectSecurityHeaders(api, '/api/status (signed out)');
    expectCsp(api, '/api/status (signed out)');
    // static files (not behind the proxy) still get the fixed headers
    const icon = await fetch(`${stack.baseUrl}/icon.svg`);
    expect(icon.status).toBe(200);
    expectSecurityHeaders(icon, '/icon.svg');
    const chunk = /src="(\/_next\/static\/[^"]+\.js)"/.exec(html)?.[1];
    expect(chunk).toBeDefined();
    const js = await fetch(`${stack.baseUrl}${chunk}`);
    expect(js.status).toBe(200);
    expectSecurityHeaders(js, chunk ?? 'chunk');
  });

  it('runs a new user through sign-up, onboarding, the dashboard and settings with no CSP violation; cookies are HttpOnly', async () => {
    const context = await localContext();
    const consoleViolations = await watchCsp(context);
    const page = await context.newPage();
    const email = `hard-${Date.now()}@example.test`;
    await onboard(stack, page, email, { polymarket: polymarketKey() });
    expect(await violations(page)).toEqual([]);

    // the session cookies: HttpOnly, Lax, invisible to page scripts
    const session = (await context.cookies(stack.baseUrl)).filter((c) => c.name.startsWith('sb-'));
    expect(session.length).toBeGreaterThan(0);
    for (const c of session)
      expect({ name: c.name, httpOnly: c.httpOnly, sameSite: c.sameSite }).toEqual({
        name: c.name,
        httpOnly: true,
        sameSite: 'Lax',
      });
    expect(await page.evaluate(() => document.cookie)).not.toContain('sb-');

    for (const path of ['/dashboard', '/settings/config', '/settings/keys', '/settings/billing', '/positions']) {
      await page.goto(`${stack.baseUrl}${path}`);
      await page.waitForLoadState('load');
      expect(await violations(page), path).toEqual([]);
    }
    // the scripts did run: a form on the config page hydrated, and the dashboard's live status polls /api/status
    await page.goto(`${stack.baseUrl}/settings/config`);
    await hydrated(page, 'Risk and strategies');
    const polled = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/status' && r.status() === 200);
    await page.goto(`${stack.baseUrl}/dashboard`);
    const status = await polled;
    // an API route's own answer (not the proxy's) carries the headers too
    const headers = await status.allHeaders();
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(await violations(page)).toEqual([]);
    expect(consoleViolations).toEqual([]);
    await context.close();
  });

  it('sign-in with ?next= pointing at another site lands on our origin', async () => {
    const email = `next-${Date.now()}@example.test`;
    const setup = await localContext();
    await onboard(stack, await setup.newPage(), email, {});
    await setup.close();
    const ours = new URL(stack.baseUrl).origin;
    for (const next of ['/\\evil.example', '/\t/evil.example', '/.//evil.example', 'https://evil.example/']) {
      const context = await localContext();
      const page = await context.newPage();
      await page.goto(`${stack.baseUrl}/sign-in?next=${encodeURIComponent(next)}`);
      await hydrated(page, 'Sign in');
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
      expect({ next, origin: new URL(page.url()).origin, path: new URL(page.url()).pathname }).toEqual({
        next,
        origin: ours,
        path: '/dashboard',
      });
      await context.close();
    }
  });

  it("builds Stripe's return URL from APP_URL, whatever Host and X-Forwarded-* the request claims", async () => {
    const context = await localContext();
    const page = await context.newPage();
    await onboard(stack, page, `host-${Date.now()}@example.test`, {});
    await page.goto(`${stack.baseUrl}/settings/billing`);
    await hydrated(page, 'Upgrade to Basic');
    // the browser's own Checkout request, held back and replayed by a client that forges the host headers
    let captured: { headers: Record<string, string>; body: Buffer } | undefined;
    await page.route(
      (url) => url.pathname === '/settings/billing',
      async (route) => {
        const req = route.request();
        if (req.method() !== 'POST') return route.continue();
        captured = { headers: await req.allHeaders(), body: req.postDataBuffer() ?? Buffer.alloc(0) };
        return route.abort();
      },
    );
    const aborted = page.waitForEvent('requestfailed');
    await page.getByRole('button', { name: 'Upgrade to Basic' }).click();
    await aborted;
    expect(captured).toBeDefined();
    const forged = 'evil.example';
    const headers = Object.fromEntries(
      Object.entries(captured?.headers ?? {}).filter(
        ([k]) => !k.startsWith(':') && !['content-length', 'cookie', 'accept-encoding'].includes(k),
      ),
    );
    // the session as the browser holds it (an intercepted request may not show its cookies yet)
    const cookie = (await context.cookies(stack.baseUrl)).map((c) => `${c.name}=${c.value}`).join('; ');
    const res = await rawRequest(`${stack.baseUrl}/settings/billing`, {
      method: 'POST',
      headers: {
        ...headers,
        cookie,
        host: forged,
        origin: `https://${forged}`,
        'x-forwarded-host': forged,
        'x-forwarded-proto': 'https',
      },
      body: captured?.body ?? Buffer.alloc(0),
    });
    // the action ran (it redirects to the emulator's hosted Checkout page); find the session it created
    const redirect = String(res.headers['x-action-redirect'] ?? res.headers.location ?? '');
    const sessionId = /\/c\/pay\/([^;?/]+)/.exec(redirect)?.[1];
    expect(sessionId, `status ${res.status}, headers ${JSON.stringify(res.headers)}`).toBeDefined();
    const session = await fetch(`${stack.billing.env.STRIPE_API_BASE}/v1/checkout/sessions/${sessionId}`, {
      headers: { authorization: `Bearer ${stack.billing.env.STRIPE_SECRET_KEY}` },
    });
    const body = (await session.json()) as { success_url: string; cancel_url: string };
    expect(body.success_url).toBe(`${stack.baseUrl}/settings/billing?checkout=success`);
    expect(body.cancel_url).toBe(`${stack.baseUrl}/settings/billing?checkout=cancelled`);
    await context.close();
  });

  it('tells a wrong password apart from a rate-limited sign-in', async () => {
    const email = `rate-${Date.now()}@example.test`;
    const setup = await localContext();
    await f.signUp(await setup.newPage(), email);
    await setup.close();
    const context = await localContext();
    const page = await context.newPage();
    const attempt = async (password: string): Promise<string> => {
      await page.goto(`${stack.baseUrl}/sign-in`);
      await hydrated(page, 'Sign in');
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(password);
      await submit(page, 'Sign in', 'Sign in');
      return (await page.getByRole('form', { name: 'Sign in' }).getByRole('alert').textContent()) ?? '';
    };
    expect(await attempt('not the password')).toContain(WRONG_CREDENTIALS);
    // someone else hammers this account straight at the auth server until it answers 429 (GoTrue's
    // over_request_rate_limit; the local server's default is 30 failures per email in 5 minutes)
    let status = 0;
    for (let i = 0; i < 60 && status !== 429; i++) {
      const res = await fetch(`${stack.auth.url}/auth/v1/token?grant_type=password`, {
        method: 'POST',
        headers: { apikey: stack.auth.anonKey, 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: `guess-${i}` }),
      });
      status = res.status;
    }
    expect(status).toBe(429);
    // now even the right password is refused, and the page says to wait instead of "wrong password"
    expect(await attempt(PASSWORD)).toContain(SIGN_IN_RATE_LIMITED);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await context.close();
  });
});

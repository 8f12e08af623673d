import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
const base = 'http://127.0.0.1:3000';
const inbox = 'http://127.0.0.1:54324';
const shots = '/work/notes/shots16';
const t0 = Date.now();
const el = () => `${((Date.now() - t0) / 1000).toFixed(0)}s`;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, storageState: '/tmp/ns16-state.json' });
const page = await ctx.newPage();
const problems: string[] = [];
page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`); });
const mails = async (to: string): Promise<any[]> => { const j = (await (await fetch(`${inbox}/api/messages`)).json()) as any; return (j.messages as any[]).filter((m) => JSON.stringify(m.to).includes(to)); };
const waitMail = async (to: string, re: RegExp, ms = 60_000) => {
  const end = Date.now() + ms;
  while (Date.now() < end) { const m = (await mails(to)).find((x) => re.test(x.subject)); if (m) return m; await new Promise((r) => setTimeout(r, 1000)); }
  throw new Error(`no mail ${re} to ${to}; have: ${(await mails(to)).map((m) => m.subject).join(' | ')}`);
};
await page.goto(`${base}/settings/notifications`);
const email = (await page.locator('header').innerText()).match(/newcomer-\d+@example\.test/)![0];
// Telegram
await page.goto(`${base}/settings/notifications`);
await page.getByRole('button', { name: 'Link Telegram' }).click();
await page.waitForTimeout(2000);
const tlink = await page.locator('main a[href*="start="]').first().getAttribute('href');
console.log(el(), 'telegram deep link:', tlink);
await page.screenshot({ path: `${shots}/4-telegram-link.png`, fullPage: true });
const chat = await ctx.newPage();
await chat.goto(tlink!);
await chat.screenshot({ path: `${shots}/5-chat.png`, fullPage: true });
console.log(el(), 'chat page:', (await chat.locator('body').innerText()).slice(0, 400).replace(/\n+/g, ' / '));
await chat.getByRole('button', { name: /Start|Send/ }).first().click();
await chat.waitForTimeout(4000);
console.log(el(), 'chat after start:', (await chat.locator('body').innerText()).slice(-400).replace(/\n+/g, ' / '));
await chat.screenshot({ path: `${shots}/6-chat-linked.png`, fullPage: true });
await page.goto(`${base}/settings/notifications`);
console.log(el(), 'channels:', (await page.locator('main section').first().innerText()).replace(/\n+/g, ' / ').slice(0, 500));
// wait for a trade mail
let got = null;
const end = Date.now() + 240_000;
while (Date.now() < end && !got) { got = (await mails(email)).find((m) => !/confirm/i.test(m.subject)); if (!got) await page.waitForTimeout(5000); }
console.log(el(), 'first notification mail:', got?.subject ?? 'none in 4 min', got ? got.text.slice(0, 400) : '');
await page.reload();
await page.screenshot({ path: `${shots}/7-history.png`, fullPage: true });
await page.setViewportSize({ width: 390, height: 844 });
await page.screenshot({ path: `${shots}/8-phone.png`, fullPage: true });
await chat.setViewportSize({ width: 390, height: 844 });
await chat.reload();
await chat.screenshot({ path: `${shots}/9-chat-phone.png`, fullPage: true });
console.log('console problems:', problems.length ? problems.join('\n') : 'none');
await browser.close();

// Scratch (not committed): a newcomer on `npm start` with every default, for the first-five-minutes goal.
import { chromium } from 'playwright-core';
import { randomBytes } from 'node:crypto';
const base = 'http://127.0.0.1:3000';
const shots = '/work/notes/shots';
const t0 = Date.now();
const el = () => `${((Date.now() - t0) / 1000).toFixed(0)}s`;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
const submit = async (form: string, button: string | RegExp) => {
  await page.getByRole('form', { name: form }).getByRole('button', { name: button }).click();
};
await page.goto(`${base}/sign-up`);
await page.getByLabel('Email').fill(`newcomer-${Date.now()}@example.test`);
await page.getByLabel('Password').fill('correct horse battery');
await page.getByRole('button', { name: 'Create account' }).click();
await page.waitForURL('**/onboarding');
await page.getByLabel(/I have read and accept/).check();
await submit('Accept terms', 'Accept and continue');
await page.getByRole('heading', { name: 'Polymarket' }).waitFor();
await page.getByRole('form', { name: 'Polymarket keys' }).getByLabel('Polymarket wallet private key').fill(randomBytes(32).toString('hex'));
await submit('Polymarket keys', /Check and save/);
await page.getByText(/Polymarket paper keys saved/).waitFor();
await submit('Continue to risk', 'Continue');
await page.getByRole('heading', { name: 'Risk limits and strategies' }).waitFor();
await submit('Risk and strategies', 'Save and continue');
await page.getByRole('heading', { name: 'Choose a plan' }).waitFor();
await page.getByRole('button', { name: 'Start on Free' }).click();
await page.waitForURL('**/dashboard');
console.log(el(), 'onboarded');
let traded = false, resolved = false;
while (Date.now() - t0 < 330_000 && !(traded && resolved)) {
  await page.waitForTimeout(10_000);
  if (!traded && (await page.locator('[data-trade-id]').count()) > 0) { traded = true; console.log(el(), 'first trade on dashboard'); await page.screenshot({ path: `${shots}/1-dashboard-trade.png`, fullPage: true }); }
  if (traded) {
    await page.goto(`${base}/positions`);
    const n = await page.getByTestId('settlement-realized').count();
    if (n > 0) { resolved = true; console.log(el(), 'resolved positions:', n, 'realized', await page.getByTestId('pos-realized').textContent()); await page.screenshot({ path: `${shots}/2-positions.png`, fullPage: true }); }
    await page.goto(`${base}/dashboard`);
  }
  console.log(el(), 'state', await page.getByTestId('bot-state').textContent().catch(() => '?'), 'month', await page.getByTestId('pnl-month').textContent().catch(() => '?'));
}
await page.screenshot({ path: `${shots}/3-dashboard.png`, fullPage: true });
await page.setViewportSize({ width: 390, height: 844 });
await page.goto(`${base}/positions`);
await page.screenshot({ path: `${shots}/4-positions-phone.png`, fullPage: true });
await page.goto(`${base}/dashboard`);
await page.screenshot({ path: `${shots}/5-dashboard-phone.png`, fullPage: true });
await page.goto(`${base}/trades`);
await page.screenshot({ path: `${shots}/6-trades-phone.png`, fullPage: true });
await browser.close();

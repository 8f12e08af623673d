// Debian Chromium through playwright-core (never a downloaded browser), and screenshots at two widths.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { WEB_DIR } from './stack.ts';

export const ARTIFACTS = path.join(WEB_DIR, 'test-artifacts');

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };

/** A page in a browser context of its own (its own cookies, so its own signed-in user), at the desktop width. */
export async function newUserPage(browser: Browser): Promise<Page> {
  return (await browser.newContext({ viewport: DESKTOP })).newPage();
}

/**
 * How far the page scrolls sideways at its current width (0 = not at all), and the elements sticking out past the
 * right edge (outermost first), to say what to fix.
 */
export async function sidewaysOverflow(page: Page): Promise<{ overflow: number; culprits: string[] }> {
  return page.evaluate(() => {
    const root = document.documentElement;
    const overflow = root.scrollWidth - root.clientWidth;
    const culprits: string[] = [];
    if (overflow > 0) {
      for (const el of Array.from(document.body.querySelectorAll('*'))) {
        const r = el.getBoundingClientRect();
        const parent = el.parentElement?.getBoundingClientRect();
        if (r.right > root.clientWidth + 0.5 && (!parent || parent.right <= root.clientWidth + 0.5)) {
          culprits.push(
            `${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).trim().split(/\s+/).join('.')}` : ''} (right ${Math.round(r.right)}px): ${(el.textContent ?? '').trim().slice(0, 60)}`,
          );
        }
        if (culprits.length >= 5) break;
      }
    }
    return { overflow, culprits };
  });
}

/**
 * Full-page screenshots of the current page at desktop and phone width. At phone width the page must not scroll
 * sideways (document scrollWidth <= clientWidth): a wide table scrolls inside its own box, never the page.
 */
export async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const before = page.viewportSize() ?? DESKTOP;
  await page.setViewportSize(DESKTOP);
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}-desktop.png`), fullPage: true });
  await page.setViewportSize(PHONE);
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}-phone.png`), fullPage: true });
  const { overflow, culprits } = await sidewaysOverflow(page);
  await page.setViewportSize(before);
  if (overflow > 0) {
    throw new Error(
      `${name} (${page.url()}) scrolls sideways by ${overflow}px at ${PHONE.width}px:\n  ${culprits.join('\n  ')}`,
    );
  }
}

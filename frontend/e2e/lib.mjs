// Helpers shared by the end-to-end scripts: the app URL, the browser, screenshots.
//   HERALD_E2E_URL        the app, e.g. http://127.0.0.1:34115/ (the tests skip without it)
//   HERALD_E2E_ARTIFACTS  where screenshots go (default: ../artifacts from frontend/, the repo's artifacts/)
//   HERALD_E2E_CHROMIUM   the browser (default: /usr/bin/chromium)
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const appUrl = process.env.HERALD_E2E_URL ?? '';
export const frontendDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const artifactsDir = path.resolve(process.env.HERALD_E2E_ARTIFACTS || path.join(frontendDir, '..', 'artifacts'));

/** First load of a dev server, and the keyring check (up to 10 s), can be slow. */
export const WAIT = 30_000;

/** The app URL with a route, e.g. at('/settings/diagnostics'); `base` for another instance than HERALD_E2E_URL. */
export const at = (route, base = appUrl) => {
  const url = new URL(base);
  url.hash = `#${route}`;
  return url.toString();
};

/**
 * The names of the [name, value] pairs whose value is empty: what a script
 * needs from its harness and did not get.
 */
export const missingEnv = (pairs) => pairs.filter(([, value]) => !value).map(([name]) => name);

/** A CSS selector for a data-testid. */
export const byTestId = (id) => `[data-testid="${id}"]`;

/**
 * Starts headless Chromium with a throwaway profile. Returns the context,
 * its first page, the uncaught errors that page raised, and close().
 */
export async function launchBrowser() {
  await mkdir(artifactsDir, { recursive: true });
  const profileDir = await mkdtemp(path.join(tmpdir(), 'herald-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: process.env.HERALD_E2E_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1200, height: 800 },
  });
  context.setDefaultTimeout(WAIT);
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  return {
    context,
    page,
    pageErrors,
    async close() {
      await context.close();
      await rm(profileDir, { recursive: true, force: true });
    },
  };
}

/** Waits until the Wails runtime has injected the Go bindings into the page. */
export async function waitForBackend(page, timeout = WAIT) {
  await page.waitForFunction(() => typeof window.go === 'object' && window.go !== null, null, { timeout });
}

export const screenshot = (page, name) => page.screenshot({ path: path.join(artifactsDir, name) });

/** For afterEach: a picture of the page when a test fails, to see why. */
export async function screenshotOnFailure(page, t) {
  if (page && t.passed === false) {
    const name = t.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
    await screenshot(page, `e2e-failed-${name}.png`).catch(() => {});
  }
}

/**
 * Keyboard-only helpers for a page: `tabTo(what, isTarget, arg)` presses Tab
 * (then Shift+Tab) until the focused element satisfies `isTarget`, evaluated
 * in the page with `arg`, and fails when `max` presses each way do not get
 * there; `focused()` says in words what has the focus.
 */
export function keyboardOn(page, max = 60) {
  const focused = () =>
    page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) {
        return 'nothing';
      }
      const id = el.closest('[data-testid]')?.getAttribute('data-testid') ?? '';
      return `<${el.tagName.toLowerCase()}> "${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40)}" in ${id}`;
    });
  const tabTo = async (what, isTarget, arg) => {
    for (const key of ['Tab', 'Shift+Tab']) {
      for (let i = 0; i < max; i++) {
        if (await page.evaluate(isTarget, arg)) {
          return;
        }
        await page.keyboard.press(key);
      }
    }
    throw new Error(`${what} cannot be reached with Tab or Shift+Tab (${max} presses each; the focus is on ${await focused()})`);
  };
  return { tabTo, focused };
}

/** In the page: the element with this data-testid, or one inside it, has the focus. */
export const hasFocusIn = (id) => {
  const el = document.querySelector(`[data-testid="${id}"]`);
  return el !== null && (el === document.activeElement || el.contains(document.activeElement));
};

/** In the page: a button whose text is `label` has the focus. */
export const buttonFocused = (label) => {
  const el = document.activeElement;
  return el !== null && (el.tagName === 'BUTTON' || el.getAttribute('role') === 'button') && (el.textContent ?? '').trim() === label;
};

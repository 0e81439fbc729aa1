// Measures how the views behave on a filled database: for each view, a fresh
// page load, the time until its content is on screen, and the main thread's
// long tasks (over 50 ms) until then and one second after; then moves inside
// the open app (queue tab, next month) timed from the click to the frame
// after the change. Prints one JSON
// line per view, prefixed with VIEW, for BenchmarkViewsAtVolume in
// test/bench. Not a test: nothing here passes or fails on a time.
//
//   HERALD_E2E_URL   Herald's dev server, e.g. http://127.0.0.1:34115/
import { at, launchBrowser, waitForBackend } from '../e2e/lib.mjs';

/** A loaded machine can take long to start the page; this is a measurement, not a test. */
const LOAD_WAIT = 180_000;

const VIEWS = [
  { name: 'queue-scheduled', route: '/queue', ready: '[data-testid^="queue-row-"]' },
  { name: 'queue-published', route: '/queue?tab=published', ready: '[data-testid^="queue-row-"]' },
  { name: 'calendar-month', route: '/calendar', ready: '[data-testid="calendar-item"], [data-testid^="calendar-day"]' },
  { name: 'audit', route: '/audit', ready: '[data-testid="audit-row"]' },
];

const browser = await launchBrowser();
const { page } = browser;
try {
  // Long tasks from the moment the document starts, for every page load.
  await page.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        window.__longTasks.push({ start: e.startTime, duration: e.duration });
      }
    }).observe({ type: 'longtask', buffered: true });
  });
  /** Long tasks since `since` (a performance.now() reading), summed and the longest. */
  const longTasksSince = (since) =>
    page.evaluate((t0) => {
      const tasks = window.__longTasks.filter((t) => t.start + t.duration > t0);
      return { longTasks: tasks.length, longTaskMs: Math.round(tasks.reduce((s, t) => s + t.duration, 0)), longestTaskMs: Math.round(tasks.reduce((m, t) => Math.max(m, t.duration), 0)) };
    }, since);
  const drawn = () => page.evaluate(() => document.querySelectorAll('[data-testid^="queue-row-"], [data-testid="calendar-item"], [data-testid="audit-row"]').length);
  const startLoad = async (route) => {
    await page.goto('about:blank');
    await page.goto(at(route));
    await waitForBackend(page, LOAD_WAIT);
  };

  // A fresh page load per view: what opening Herald on that view costs.
  for (const view of VIEWS) {
    await startLoad(view.route);
    await page.locator(view.ready).first().waitFor({ state: 'visible', timeout: LOAD_WAIT });
    const readyAt = await page.evaluate(() => performance.now());
    await page.waitForTimeout(1000);
    const result = { name: view.name, readyMs: Math.round(readyAt), ...(await longTasksSince(0)), items: await drawn() };
    process.stdout.write(`VIEW ${JSON.stringify(result)}\n`);
  }

  // Moves inside the running app, without the page's start-up: what a
  // person waits for once Herald is open.
  const MOVES = [
    {
      name: 'queue-to-published',
      route: '/queue',
      ready: '[data-testid^="queue-row-"]',
      act: () => page.getByRole('tab', { name: /^Published/ }).click(),
      done: '[data-testid^="queue-row-"][data-status="published"]',
    },
    {
      name: 'calendar-next-month',
      route: '/calendar',
      ready: '[data-testid="calendar-day"]',
      act: async () => {
        const first = await page.locator('[data-testid="calendar-day"]').first().getAttribute('data-day');
        await page.getByRole('button', { name: 'Next month' }).click();
        return first;
      },
      done: (first) => page.waitForFunction((f) => document.querySelector('[data-testid="calendar-day"]')?.getAttribute('data-day') !== f && document.querySelector('[data-testid="calendar"]')?.getAttribute('aria-busy') !== 'true', first, { timeout: LOAD_WAIT }),
    },
  ];
  for (const move of MOVES) {
    await startLoad(move.route);
    await page.locator(move.ready).first().waitFor({ state: 'visible', timeout: LOAD_WAIT });
    await page.waitForTimeout(1500);
    const t0 = await page.evaluate(() => performance.now());
    const arg = await move.act();
    if (typeof move.done === 'string') {
      await page.locator(move.done).first().waitFor({ state: 'visible', timeout: LOAD_WAIT });
    } else {
      await move.done(arg);
    }
    // The frame after the change, not just the DOM: paint is part of the wait.
    const readyAt = await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(() => resolve(performance.now()), 0))));
    await page.waitForTimeout(1000);
    const result = { name: move.name, readyMs: Math.round(readyAt - t0), ...(await longTasksSince(t0)), items: await drawn() };
    process.stdout.write(`VIEW ${JSON.stringify(result)}\n`);
  }
} finally {
  await browser.close();
}

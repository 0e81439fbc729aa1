// Measures how the views behave on a filled database: for each view, a fresh
// page load, the time until its content is on screen, and the main thread's
// long tasks (over 50 ms) until then and one second after. Prints one JSON
// line per view, prefixed with VIEW, for BenchmarkViewsAtVolume in
// test/bench. Not a test: nothing here passes or fails on a time.
//
//   HERALD_E2E_URL   Herald's dev server, e.g. http://127.0.0.1:34115/
import { at, launchBrowser } from '../e2e/lib.mjs';

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
  for (const view of VIEWS) {
    await page.goto('about:blank');
    await page.goto(at(view.route));
    await page.waitForFunction(() => typeof window.go === 'object' && window.go !== null, null, { timeout: LOAD_WAIT });
    await page.locator(view.ready).first().waitFor({ state: 'visible', timeout: LOAD_WAIT });
    const readyAt = await page.evaluate(() => performance.now());
    await page.waitForTimeout(1000);
    const result = await page.evaluate(
      ([name, ready]) => {
        const tasks = window.__longTasks;
        const total = tasks.reduce((sum, t) => sum + t.duration, 0);
        const longest = tasks.reduce((max, t) => Math.max(max, t.duration), 0);
        return { name, readyMs: Math.round(ready), longTasks: tasks.length, longTaskMs: Math.round(total), longestTaskMs: Math.round(longest), items: document.querySelectorAll('[data-testid^="queue-row-"], [data-testid="calendar-item"], [data-testid="audit-row"]').length };
      },
      [view.name, readyAt],
    );
    process.stdout.write(`VIEW ${JSON.stringify(result)}\n`);
  }
} finally {
  await browser.close();
}

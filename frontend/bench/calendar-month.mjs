// How long the calendar's month view takes to paint a dense month, in real
// Chromium against the production build of the front end, with the Go
// bindings replaced by an in-page fake that answers at once: the numbers are
// the page's own work (rendering, layout, paint), not the database's.
//
//   node bench/calendar-month.mjs            (from frontend/, after `npx vite build`)
//   HERALD_BENCH_CHANNELS=50 HERALD_BENCH_PER_DAY=3 HERALD_BENCH_RUNS=5
//   HERALD_E2E_CHROMIUM=/usr/bin/chromium
//   HERALD_BENCH_SCREENSHOT=/tmp/month.png   a picture of the first month (1280×800)
//   HERALD_BENCH_WEEK_SCREENSHOT=/tmp/week.png   and of a week of the next month
//
// Reported, per run: "open" = from the fake's answer for the first month to
// the first frame after the calendar's items are in the page; "next" = from
// the click on the next-month button to that frame for the following month;
// "longest task" = the longest main-thread task (PerformanceObserver
// longtask) in that window, i.e. how long the page could not respond.
// Printed as Go-benchmark-like lines; never a pass/fail.
// The functions given to page.evaluate and addInitScript run in the browser.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.resolve(here, '..', process.env.HERALD_BENCH_DIST || 'dist');
const channels = Number(process.env.HERALD_BENCH_CHANNELS || 50);
const perDay = Number(process.env.HERALD_BENCH_PER_DAY || 3);
const runs = Number(process.env.HERALD_BENCH_RUNS || 5);

const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.woff2': 'font/woff2' };
const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const file = path.join(dist, url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname));
  try {
    const body = await readFile(file);
    res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' });
    res.end(body);
  } catch {
    res.writeHead(404);
    res.end();
  }
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}/`;

/** The fake backend, run inside the page before the app loads. */
function fakeBackend({ channels, perDay }) {
  const chans = Array.from({ length: channels }, (_, i) => ({
    id: i + 1, network: 'mastodon', networkName: 'Mastodon', auth: 'oauth_loopback', instance: 'https://example.social',
    remoteId: String(i + 1), kind: 'account', handle: `seed${i + 1}@example.social`, displayName: `Seed ${i + 1}`, avatarUrl: '',
    profileUrl: '', status: 'connected', statusReason: '', statusChangedAt: '2026-01-01T00:00:00Z', tokenExpiresAt: '',
    connectedAt: '2026-01-01T00:00:00Z', refreshedAt: '', lastAuthorizedAt: '2026-01-01T00:00:00Z', checkedAt: '', lastCheckClass: '',
    lastCheckMessage: '', reminderDue: false, reminderReason: '', signInMissing: false, teams: [],
  }));
  const words = ['Spring', 'sale', 'starts', 'today', 'with', 'new', 'colours', 'for', 'the', 'whole', 'shop', 'and', 'studio'];
  window.__bench = { answered: [] };
  const calendar = (from, to, ids) => {
    const only = ids && ids.length > 0 ? new Set(ids) : undefined;
    const items = [];
    const now = Date.now();
    let id = 1;
    for (let day = new Date(from).getTime(); day < new Date(to).getTime(); day += 86_400_000) {
      for (const ch of chans) {
        if (only && !only.has(ch.id)) continue;
        for (let k = 0; k < perDay; k++) {
          const at = day + (8 + k * 4) * 3_600_000 + (ch.id % 60) * 60_000;
          const past = at < now;
          items.push({
            targetId: id, postId: id, channelId: ch.id, status: past ? 'published' : 'scheduled', at: new Date(at).toISOString().replace('.000Z', 'Z'),
            title: words.slice(id % 5, (id % 5) + 6).join(' '), handedOff: false, message: '', remoteUrl: '', editable: !past,
          });
          id++;
        }
      }
    }
    return { items, expiry: [] };
  };
  const answers = {
    Recovery: { Problem: () => ({ kind: 'none' }) },
    Channels: { List: () => chans },
    // Paused, so the page has its banner: the layout the month must fit in at 1280×800.
    Publishing: { Status: () => ({ paused: true, nextDueAt: '', nextPostId: 0, nextTitle: '', scheduled: 0, needsAction: 0 }) },
    Posts: {
      Calendar: (from, to, ids) => {
        const out = calendar(from, to, ids);
        // After the data is built: what follows is the page's work.
        window.__bench.answered.push({ at: performance.now(), items: out.items.length });
        return out;
      },
    },
  };
  const service = (name) =>
    new Proxy({}, {
      get: (_, method) => (...args) => {
        const fn = answers[name]?.[method];
        if (fn) return Promise.resolve(fn(...args));
        return Promise.resolve(/^(List|Recent|Search)/.test(String(method)) ? [] : null);
      },
    });
  window.go = { service: new Proxy({}, { get: (_, name) => service(String(name)) }) };
  const noop = () => () => {};
  window.runtime = new Proxy({}, { get: (_, name) => (String(name).startsWith('EventsOn') ? noop() : () => undefined) });
  window.__bench.tasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__bench.tasks.push({ start: e.startTime, end: e.startTime + e.duration });
  }).observe({ type: 'longtask', buffered: true });
}

/** Resolves with the time of the first frame after `selector` is in the page and the main thread is free. */
const frameAfter = (page) =>
  page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(() => resolve(performance.now()), 0))));

const longest = (tasks, from, to) => tasks.filter((t) => t.end > from && t.start < to).reduce((m, t) => Math.max(m, t.end - t.start), 0);

const browser = await chromium.launch({
  executablePath: process.env.HERALD_E2E_CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
const results = [];
try {
  for (let run = 0; run < runs; run++) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.addInitScript(fakeBackend, { channels, perDay });
    await page.goto(`${base}#/calendar`);
    // Minutes, not seconds: the old month view took that long at 50 channels.
    await page.waitForSelector('[data-testid="calendar-item"]', { timeout: 600_000 });
    const painted = await frameAfter(page);
    const first = await page.evaluate(() => window.__bench.answered[0]);
    if (run === 0 && process.env.HERALD_BENCH_SCREENSHOT) {
      await page.screenshot({ path: process.env.HERALD_BENCH_SCREENSHOT });
    }
    const title = await page.locator('[data-testid="calendar-title"], .fc-toolbar-title').first().textContent();

    const clicked = await page.evaluate(() => {
      const t = performance.now();
      document.querySelector('button[aria-label="Next month"], .fc-next-button')?.click();
      return t;
    });
    await page.waitForFunction((t) => window.__bench.answered.some((a) => a.at > t), clicked, { timeout: 600_000 });
    await page.waitForFunction(
      (old) => (document.querySelector('[data-testid="calendar-title"], .fc-toolbar-title')?.textContent ?? old) !== old &&
        document.querySelector('[data-testid="calendar-item"]') !== null,
      title,
      { timeout: 600_000 },
    );
    const nextPainted = await frameAfter(page);
    const bench = await page.evaluate(() => window.__bench);
    if (run === 0 && process.env.HERALD_BENCH_WEEK_SCREENSHOT) {
      await page.getByText('Week', { exact: true }).click();
      await page.waitForTimeout(1000);
      await page.screenshot({ path: process.env.HERALD_BENCH_WEEK_SCREENSHOT });
    }
    const shown = await page.locator('[data-testid="calendar-item"]').count();
    if (errors.length > 0) throw new Error(`page errors: ${errors.join('; ')}`);
    results.push({
      items: first.items,
      shown,
      open: painted - first.at,
      openTask: longest(bench.tasks, first.at, painted),
      next: nextPainted - clicked,
      nextTask: longest(bench.tasks, clicked, nextPainted),
    });
    await page.close();
  }
} finally {
  await browser.close();
  server.close();
}
for (const r of results) {
  console.log(
    `BenchmarkCalendarMonth/channels=${channels}/perDay=${perDay}\titems=${r.items}\tin_dom=${r.shown}\topen_ms=${r.open.toFixed(0)}\topen_longest_task_ms=${r.openTask.toFixed(0)}\tnext_ms=${r.next.toFixed(0)}\tnext_longest_task_ms=${r.nextTask.toFixed(0)}`,
  );
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`median open ${median(results.map((r) => r.open)).toFixed(0)} ms, next ${median(results.map((r) => r.next)).toFixed(0)} ms`);

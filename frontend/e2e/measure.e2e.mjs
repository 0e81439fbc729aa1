// Measure against a real GoToSocial: another account favourited, boosted
// and answered the post Herald published, and follows the channel. After
// "Sync now", Content performance must show exactly those counts on the
// post, and the Channel overview the follower.
//
// The Go harness runs this file by path after that activity.
//
//   HERALD_E2E_MEASURE    set to run (the tests skip without it)
//   HERALD_E2E_URL        Herald, e.g. http://127.0.0.1:34115/
//   HERALD_E2E_POST_TEXT  the text of the post Herald published
//   HERALD_E2E_EXPECT     JSON: {"likes":1,"shares":1,"replies":1,"followers":1}
//   HERALD_E2E_ARTIFACTS  where screenshots go
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { appUrl, at, byTestId, launchBrowser, missingEnv, screenshot, screenshotOnFailure, waitForBackend } from './lib.mjs';

const enabled = process.env.HERALD_E2E_MEASURE ?? '';
const postText = process.env.HERALD_E2E_POST_TEXT ?? '';
const expected = JSON.parse(process.env.HERALD_E2E_EXPECT ?? '{}');

function skipReason() {
  if (!enabled) {
    return 'HERALD_E2E_MEASURE is not set; the Go harness runs this file after activity on a real server';
  }
  const missing = missingEnv([
    ['HERALD_E2E_URL', appUrl],
    ['HERALD_E2E_POST_TEXT', postText],
  ]);
  assert.deepEqual(missing, [], `HERALD_E2E_MEASURE needs ${missing.join(', ')}`);
  return false;
}

const skip = skipReason();

/** GoToSocial counts in the background; Herald is asked to sync until the counts are there. */
const ARRIVAL = 150_000;

let browser;
let page;

before(async () => {
  if (skip) {
    return;
  }
  browser = await launchBrowser();
  page = browser.page;
});

after(async () => {
  await browser?.close();
});

afterEach(async (t) => {
  await screenshotOnFailure(page, t);
});

/** Presses "Sync now" and waits until every channel was read. */
async function syncNow() {
  const button = page.locator(byTestId('measure-sync-all'));
  await button.click();
  await page.waitForFunction((sel) => document.querySelector(sel)?.getAttribute('data-loading') !== 'true', byTestId('measure-sync-all'));
}

/** The post's counts as the table shows them, by metric key ("" where absent). */
async function countsOf(text) {
  const keys = ['likes', 'shares', 'replies', 'quotes'];
  return page.evaluate(
    ({ text, keys }) => {
      const table = document.querySelector('[data-testid="measure-content-table"]');
      if (!table) {
        return null;
      }
      const heads = [...table.querySelectorAll('thead th')];
      const row = [...table.querySelectorAll('[data-testid="measure-content-row"]')].find((r) => r.textContent?.includes(text));
      if (!row) {
        return null;
      }
      const cells = [...row.querySelectorAll('td')];
      const out = {};
      for (const key of keys) {
        const i = heads.findIndex((h) => h.getAttribute('data-testid') === `measure-sort-${key}`);
        out[key] = i < 0 ? 'no column' : (cells[i]?.textContent ?? '').trim();
      }
      return out;
    },
    { text, keys },
  );
}

test('Content performance shows exactly what the other account did', { skip }, async () => {
  await page.goto(at('/measure/content'));
  await waitForBackend(page);
  await page.getByRole('heading', { level: 1, name: 'Measure' }).waitFor();
  const want = { likes: String(expected.likes), shares: String(expected.shares), replies: String(expected.replies) };
  const deadline = Date.now() + ARRIVAL;
  let got = null;
  for (;;) {
    await syncNow();
    await page.waitForTimeout(1500);
    got = await countsOf(postText);
    const same = got !== null && Object.entries(want).every(([k, v]) => got[k] === v);
    if (same || Date.now() > deadline) {
      break;
    }
    await page.waitForTimeout(3000);
  }
  await screenshot(page, 'measure-content.png');
  assert.ok(got, `the post "${postText}" is not in Content performance`);
  for (const [k, v] of Object.entries(want)) {
    assert.equal(got[k], v, `${k} of the post: ${JSON.stringify(got)}`);
  }
  // GoToSocial gives no quote count: absent (a dash and why), never 0.
  assert.match(got.quotes, /^—/, `quotes are shown as "${got.quotes}", want absent`);
  // Published through Herald: the row links to the Herald post.
  const row = page.locator(byTestId('measure-content-row')).filter({ hasText: postText });
  assert.equal(await row.locator(byTestId('measure-open-in-herald')).count(), 1);
  process.stdout.write(`MEASURE_POST=${JSON.stringify(got)}\n`);
});

test('The channel overview counts the follower', { skip }, async () => {
  await page.goto(at('/measure'));
  await page.getByRole('heading', { level: 1, name: 'Measure' }).waitFor();
  const tile = page.locator(`${byTestId('measure-kpi')}[data-key="followers"] ${byTestId('measure-kpi-value')}`);
  const deadline = Date.now() + ARRIVAL;
  let value;
  for (;;) {
    await tile.waitFor();
    value = ((await tile.textContent()) ?? '').trim();
    if (value === String(expected.followers) || Date.now() > deadline) {
      break;
    }
    await syncNow();
    await page.waitForTimeout(3000);
  }
  await screenshot(page, 'measure-overview.png');
  assert.equal(value, String(expected.followers), 'followers in the overview');
  process.stdout.write(`MEASURE_FOLLOWERS=${value}\n`);
});

// End-to-end check of publishing: compose a post with an image and alt
// text, schedule it a minute ahead, and watch Herald publish it to a real
// GoToSocial server, then find it on the calendar.
//
// A Go harness runs this file directly by path (it is not a *.test.mjs, so
// `node --test frontend/e2e/` leaves it out) against Herald's dev binary,
// after it connected the channel.
//
//   HERALD_E2E_PUBLISH     set to run (the tests skip without it)
//   HERALD_E2E_URL         Herald, e.g. http://127.0.0.1:34115/
//   HERALD_E2E_CHANNEL_ID  the Herald channel id to post to
//   HERALD_E2E_TEXT        unique text to post
//   HERALD_E2E_IMAGE       absolute path of a PNG to attach
//   HERALD_E2E_ALT         its alt text
//   HERALD_E2E_ARTIFACTS   where screenshots go
//
// Prints POST_ID=<id>, DUE_AT=<RFC 3339> and REMOTE_URL=<url> on stdout for the harness.
import assert from 'node:assert/strict';
import { access } from 'node:fs/promises';
import path from 'node:path';
import { after, afterEach, before, test } from 'node:test';
import { appUrl, artifactsDir, at, byTestId, launchBrowser, missingEnv, screenshot, screenshotOnFailure, WAIT, waitForBackend } from './lib.mjs';

const enabled = process.env.HERALD_E2E_PUBLISH ?? '';
const channelId = process.env.HERALD_E2E_CHANNEL_ID ?? '';
const text = process.env.HERALD_E2E_TEXT ?? '';
const image = process.env.HERALD_E2E_IMAGE ?? '';
const alt = process.env.HERALD_E2E_ALT ?? '';

function skipReason() {
  if (!enabled) {
    return 'HERALD_E2E_PUBLISH is not set; the Go harness runs this file with a GoToSocial server';
  }
  const missing = missingEnv([
    ['HERALD_E2E_URL', appUrl],
    ['HERALD_E2E_CHANNEL_ID', channelId],
    ['HERALD_E2E_TEXT', text],
    ['HERALD_E2E_IMAGE', image],
    ['HERALD_E2E_ALT', alt],
  ]);
  // Set up by the harness but incomplete: fail loudly rather than skip.
  assert.deepEqual(missing, [], `HERALD_E2E_PUBLISH needs ${missing.join(', ')}`);
  assert.ok(path.isAbsolute(image), `HERALD_E2E_IMAGE must be an absolute path, not ${image}`);
  return false;
}

const skip = skipReason();

/** How long Herald may take from the due time to a verified post with its link. */
const PUBLISH_WAIT = 4 * 60_000;
/** Reloading the post page now and then, in case the window missed an event. */
const RELOAD_EVERY = 30_000;

let browser;
let page;
/** What the first test made, for the ones after it. */
const made = { postId: '', dueAt: '' };

before(async () => {
  if (skip) {
    return;
  }
  await access(image);
  browser = await launchBrowser();
  page = browser.page;
});

after(async () => {
  await browser?.close();
});

afterEach(async (t) => {
  await screenshotOnFailure(page, t);
});

const testId = (id) => page.locator(byTestId(id));

/**
 * The wall-clock date and time one minute ahead in the page's (the
 * computer's) time zone; two minutes when the next minute starts in less
 * than 20 seconds, so there is time to click Schedule.
 */
function dueTime() {
  return page.evaluate(() => {
    const now = new Date();
    const next = new Date(now);
    next.setSeconds(0, 0);
    next.setMinutes(next.getMinutes() + 1);
    if (next.getTime() - now.getTime() < 20_000) {
      next.setMinutes(next.getMinutes() + 1);
    }
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-CA', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
      })
        .formatToParts(next)
        .map((p) => [p.type, p.value]),
    );
    return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}`, zone, at: next.toISOString() };
  });
}

test('Compose a post with an image and alt text, and schedule it a minute ahead', { skip }, async () => {
  // Start in the queue and open the composer from the navigation, so the
  // back button has somewhere in Herald to go.
  await page.goto(at('/queue'));
  await waitForBackend(page);
  await page.getByRole('navigation').getByRole('link', { name: 'Compose' }).click();
  await page.waitForURL(/#\/compose$/);

  const channel = testId(`compose-channel-${channelId}`);
  await channel.waitFor({ state: 'visible' });
  await channel.click();
  assert.equal(await channel.getAttribute('aria-checked'), 'true', 'the channel is selected');

  await testId('compose-text').fill(text);
  // The back button asks before it drops unsaved changes.
  await page.evaluate(() => history.back());
  const leave = page.getByRole('dialog', { name: 'Leave without saving?' });
  await leave.waitFor({ state: 'visible', timeout: WAIT });
  await leave.getByRole('button', { name: 'Keep editing' }).click();
  await leave.waitFor({ state: 'hidden', timeout: WAIT });
  assert.match(page.url(), /#\/compose$/, 'still in the composer');
  assert.equal(await testId('compose-text').inputValue(), text, 'the text is still there');
  await testId('compose-file-input').setInputFiles(image);
  const altField = testId('compose-alt-0');
  await altField.waitFor({ state: 'visible', timeout: WAIT });
  await altField.fill(alt);
  // The thumbnail comes from Herald's own copy of the file.
  await page.locator(`${byTestId('compose-media-0')} img`).waitFor({ state: 'visible' });

  await testId('compose-mode-schedule').click();
  const when = await dueTime();
  const date = testId('compose-date');
  await date.fill(when.date);
  await date.press('Tab');
  await testId('compose-time').fill(when.time);
  const zone = await testId('compose-zone').inputValue();
  assert.match(zone, new RegExp(when.zone.replaceAll('_', '[ _]')), 'the time zone defaults to the computer’s');
  // The summary shows the chosen time in the app's one time format (12- or
  // 24-hour as the system prefers; the zone only when it is not the
  // computer's), so it is matched on the minute and "· in …" (the time is
  // 20–80 seconds ahead: "in less than a minute" or "in 1 minute").
  await page.waitForFunction(
    (minute) => {
      const text = document.querySelector('[data-testid="compose-summary"]')?.textContent ?? '';
      return text.includes(`:${minute}`) && text.includes(' · in ');
    },
    when.time.split(':')[1],
  );

  const schedule = testId('compose-schedule');
  await page.waitForFunction(() => {
    const button = document.querySelector('[data-testid="compose-schedule"]');
    return (
      button !== null &&
      !button.hasAttribute('disabled') &&
      button.getAttribute('data-disabled') !== 'true' &&
      button.getAttribute('aria-disabled') !== 'true'
    );
  });
  await page.screenshot({ path: path.join(artifactsDir, 'e2e-compose.png'), fullPage: true });
  await schedule.click();

  await page.waitForURL(/#\/posts\/\d+$/);
  made.postId = /#\/posts\/(\d+)$/.exec(page.url())?.[1] ?? '';
  const target = page.locator(`${byTestId(`post-target-${channelId}`)}[data-status="scheduled"]`);
  await target.waitFor({ state: 'visible' });
  made.dueAt = (await target.getAttribute('data-due-at')) ?? '';
  assert.ok(made.postId, 'the post page has an id');
  assert.equal(new Date(made.dueAt).toISOString(), when.at, 'due at the chosen minute');
  process.stdout.write(`POST_ID=${made.postId}\nDUE_AT=${made.dueAt}\n`);
  await screenshot(page, 'e2e-scheduled.png');
});

test('Herald publishes it on time and links to it', { skip }, async () => {
  assert.ok(made.postId, 'the post was scheduled');
  const published = `${byTestId(`post-target-${channelId}`)}[data-status="published"]`;
  const deadline = Date.now() + PUBLISH_WAIT;
  for (;;) {
    const left = deadline - Date.now();
    assert.ok(left > 0, `not published within ${PUBLISH_WAIT / 60_000} minutes of scheduling`);
    try {
      await page.locator(published).waitFor({ state: 'visible', timeout: Math.min(RELOAD_EVERY, left) });
      break;
    } catch {
      const status = await page.locator(byTestId(`post-target-${channelId}`)).getAttribute('data-status').catch(() => '');
      assert.ok(!['failed', 'blocked', 'skipped'].includes(status ?? ''), `the variant ended ${status} instead of published`);
      await page.reload();
      await waitForBackend(page);
    }
  }
  const card = page.locator(published);
  const remoteUrl = (await card.getAttribute('data-remote-url')) ?? '';
  assert.match(remoteUrl, /^https?:\/\//, 'the variant has its link on the server');
  const link = card.locator(`${byTestId('post-remote-link')} a`);
  assert.equal(await link.getAttribute('href'), remoteUrl, 'the page links to it');
  process.stdout.write(`REMOTE_URL=${remoteUrl}\n`);
  await screenshot(page, 'e2e-published.png');
});

test('The calendar shows the post', { skip }, async () => {
  assert.ok(made.postId, 'the post was scheduled');
  await page.goto(at('/calendar'));
  await waitForBackend(page);
  const item = page.locator(`${byTestId('calendar-item')}[data-post-id="${made.postId}"]`);
  await item.first().waitFor({ state: 'visible' });
  assert.equal(await item.first().getAttribute('data-status'), 'published');
  await screenshot(page, 'e2e-calendar.png');
});

test('The page raised no uncaught errors', { skip }, () => {
  assert.deepEqual(browser.pageErrors, []);
});

// Keyboard only: compose a post, schedule it and pick a new time for it
// without the mouse, the way someone who cannot use one works. Every step
// reaches its control with Tab (or an arrow key inside a group) and acts with
// Enter, Space or typing; a control that cannot be reached that way fails
// the walkthrough.
//
// The Go harness runs this file by path (like publish.e2e.mjs) after it
// connected a channel on a real GoToSocial server. The post is scheduled for
// tomorrow, so nothing is published.
//
//   HERALD_E2E_KEYBOARD    set to run (the tests skip without it)
//   HERALD_E2E_URL         Herald, e.g. http://127.0.0.1:34115/
//   HERALD_E2E_CHANNEL_ID  the Herald channel id to schedule for
//   HERALD_E2E_ARTIFACTS   where screenshots go
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { appUrl, at, buttonFocused, byTestId, hasFocusIn, keyboardOn, launchBrowser, missingEnv, screenshot, screenshotOnFailure, waitForBackend } from './lib.mjs';

const enabled = process.env.HERALD_E2E_KEYBOARD ?? '';
const channelId = process.env.HERALD_E2E_CHANNEL_ID ?? '';

function skipReason() {
  if (!enabled) {
    return 'HERALD_E2E_KEYBOARD is not set; the Go harness runs this file with a connected channel';
  }
  const missing = missingEnv([
    ['HERALD_E2E_URL', appUrl],
    ['HERALD_E2E_CHANNEL_ID', channelId],
  ]);
  assert.deepEqual(missing, [], `HERALD_E2E_KEYBOARD needs ${missing.join(', ')}`);
  return false;
}

const skip = skipReason();

let browser;
let page;
let tabTo;
let focused;
const made = { postId: '', date: '' };

before(async () => {
  if (skip) {
    return;
  }
  browser = await launchBrowser();
  page = browser.page;
  ({ tabTo, focused } = keyboardOn(page));
});

after(async () => {
  await browser?.close();
});

afterEach(async (t) => {
  await screenshotOnFailure(page, t);
});

/** The date two days ahead in the computer's zone, as the date field takes it (YYYY-MM-DD). */
const dayAfterTomorrow = () =>
  page.evaluate(() => {
    const d = new Date();
    d.setDate(d.getDate() + 2);
    const pad = (n) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  });

/** The instant of a wall-clock time on `date` in the computer's zone. */
const instant = (date, hour, minute) =>
  page.evaluate(([d, h, m]) => {
    const [y, mo, day] = d.split('-').map(Number);
    return new Date(y, mo - 1, day, h, m).toISOString();
  }, [date, hour, minute]);

test('Compose and schedule a post with the keyboard alone', { skip }, async () => {
  await page.goto(at('/queue'));
  await waitForBackend(page);
  await page.locator('main').waitFor({ state: 'visible' });
  // Ctrl+2 is the Compose view (the navigation's order).
  await page.keyboard.press('Control+2');
  await page.waitForURL(/#\/compose$/);
  await page.locator(byTestId(`compose-channel-${channelId}`)).waitFor({ state: 'visible' });

  await tabTo('the channel', hasFocusIn, `compose-channel-${channelId}`);
  await page.keyboard.press('Space');
  assert.equal(await page.locator(byTestId(`compose-channel-${channelId}`)).getAttribute('aria-checked'), 'true', 'Space picks the channel');

  await tabTo('the text box', hasFocusIn, 'compose-text');
  await page.keyboard.type(`Typed without a mouse (e2e ${Date.now()})`);

  // The mode is a group of radio buttons: Tab reaches the group, arrows choose.
  await tabTo('when to publish', () => document.activeElement?.matches('[data-testid="schedule-panel"] input[type="radio"]') === true);
  for (let i = 0; i < 3 && !(await page.evaluate(() => document.activeElement?.getAttribute('value') === 'schedule')); i++) {
    await page.keyboard.press('ArrowLeft');
  }
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('value')), 'schedule', 'the arrow keys choose "At a time"');

  made.date = await dayAfterTomorrow();
  await tabTo('the date', hasFocusIn, 'compose-date');
  await page.keyboard.type(made.date);
  await page.keyboard.press('Escape');
  await tabTo('the time', hasFocusIn, 'compose-time');
  // "A" picks AM where the field shows a 12-hour clock and is ignored where
  // it shows 24 hours, so the same keys mean 09:30 in either.
  await page.keyboard.type('0930A');
  const due = await instant(made.date, 9, 30);

  await tabTo('the Schedule button', hasFocusIn, 'compose-schedule');
  await page.keyboard.press('Enter');
  await page.waitForURL(/#\/posts\/\d+$/);
  made.postId = /#\/posts\/(\d+)$/.exec(page.url())?.[1] ?? '';
  const target = page.locator(`${byTestId(`post-target-${channelId}`)}[data-status="scheduled"]`);
  await target.waitFor({ state: 'visible' });
  assert.equal(new Date((await target.getAttribute('data-due-at')) ?? '').toISOString(), due, 'due at the typed time');
  await screenshot(page, 'e2e-keyboard-scheduled.png');
});

test('Pick a new time with the keyboard alone, and get the focus back', { skip }, async () => {
  assert.ok(made.postId, 'the post was scheduled');
  await tabTo('Pick a new time', buttonFocused, 'Pick a new time');
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog');
  await dialog.waitFor({ state: 'visible' });
  assert.ok(await page.evaluate(() => document.activeElement?.closest('[role="dialog"]') !== null), `the focus moved into the dialog (it is on ${await focused()})`);

  await tabTo('the new time', hasFocusIn, 'reschedule-time');
  await page.keyboard.type('1015A');
  const due = await instant(made.date, 10, 15);
  await tabTo('Save', hasFocusIn, 'reschedule-save');
  await page.keyboard.press('Enter');
  await dialog.waitFor({ state: 'hidden' });

  const target = page.locator(byTestId(`post-target-${channelId}`));
  await page.waitForFunction(
    ([sel, want]) => {
      const at = document.querySelector(sel)?.getAttribute('data-due-at');
      return at ? new Date(at).toISOString() === want : false;
    },
    [byTestId(`post-target-${channelId}`), due],
  );
  assert.equal(await target.getAttribute('data-status'), 'scheduled');
  assert.ok(await page.evaluate(buttonFocused, 'Pick a new time'), `the focus went back to the button that opened the dialog (it is on ${await focused()})`);
});

test('The page raised no uncaught errors', { skip }, () => {
  assert.deepEqual(browser.pageErrors, []);
});

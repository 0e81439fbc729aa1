// End-to-end check of Channels: connect a Mastodon account through the
// network's own sign-in (Herald's part with the keyboard alone), then
// reconnect it in place after the server revoked Herald's token.
//
// A Go harness runs this file directly by path (it is not a *.test.mjs, so
// `node --test frontend/e2e/` leaves it out), once per phase, against a real
// GoToSocial server and Herald's dev binary. Herald's "system browser" is a
// script appending each URL it is asked to open as a line to a file; this
// script then plays the person at the browser in a new page.
//
//   HERALD_E2E_PHASE         connect | reconnect (the tests skip without it)
//   HERALD_E2E_URL           Herald, e.g. http://127.0.0.1:34115/
//   HERALD_E2E_GTS_URL       GoToSocial, e.g. http://127.0.0.1:8080
//   HERALD_E2E_GTS_EMAIL     the GoToSocial user's e-mail
//   HERALD_E2E_GTS_PASSWORD  and password
//   HERALD_E2E_BROWSER_LOG   the file of URLs Herald opened
//   HERALD_E2E_CHANNEL_ID    reconnect: the Herald channel id the channel must keep
//   HERALD_E2E_ARTIFACTS     where screenshots go
//
// The connect phase prints CHANNEL_ID=<id> (Herald's channel id) and
// REMOTE_ID=<id> (the network's) on stdout for the harness.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, afterEach, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  appUrl,
  artifactsDir,
  at,
  byTestId,
  hasFocusIn,
  keyboardOn,
  launchBrowser,
  missingEnv,
  screenshot,
  screenshotOnFailure,
  WAIT,
  waitForBackend,
} from './lib.mjs';

const phase = process.env.HERALD_E2E_PHASE ?? '';
const gtsUrl = (process.env.HERALD_E2E_GTS_URL ?? '').replace(/\/+$/, '');
const gtsEmail = process.env.HERALD_E2E_GTS_EMAIL ?? '';
const gtsPassword = process.env.HERALD_E2E_GTS_PASSWORD ?? '';
const browserLog = process.env.HERALD_E2E_BROWSER_LOG ?? '';
const keptChannelId = process.env.HERALD_E2E_CHANNEL_ID ?? '';

function skipReason() {
  if (!phase) {
    return 'HERALD_E2E_PHASE is not set; the Go harness runs this file with a GoToSocial server';
  }
  const missing = missingEnv([
    ['HERALD_E2E_URL', appUrl],
    ['HERALD_E2E_GTS_URL', gtsUrl],
    ['HERALD_E2E_GTS_EMAIL', gtsEmail],
    ['HERALD_E2E_GTS_PASSWORD', gtsPassword],
    ['HERALD_E2E_BROWSER_LOG', browserLog],
    ...(phase === 'reconnect' ? [['HERALD_E2E_CHANNEL_ID', keptChannelId]] : []),
  ]);
  // Set up by the harness but incomplete: fail loudly rather than skip.
  assert.deepEqual(missing, [], `HERALD_E2E_PHASE=${phase} needs ${missing.join(', ')}`);
  assert.ok(['connect', 'reconnect'].includes(phase), `HERALD_E2E_PHASE must be connect or reconnect, not ${phase}`);
  return false;
}

const skip = skipReason();

/** The person takes a while; the loopback listener waits up to 5 minutes. */
const SIGN_IN_WAIT = 90_000;
const DISCONNECT_WAIT = 60_000;

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

const testId = (id) => page.locator(byTestId(id));

/** The lines of the browser log: one URL per line, in the order Herald opened them. */
async function openedUrls() {
  try {
    return (await readFile(browserLog, 'utf8')).split('\n').map((line) => line.trim()).filter(Boolean);
  } catch (err) {
    if (err.code === 'ENOENT') {
      return [];
    }
    throw err;
  }
}

/** Waits for Herald to open a URL after the first `seen` lines of the log. */
async function nextOpenedUrl(seen) {
  const deadline = Date.now() + WAIT;
  while (Date.now() < deadline) {
    const urls = await openedUrls();
    if (urls.length > seen) {
      return urls[urls.length - 1];
    }
    await sleep(250);
  }
  assert.fail(`Herald opened no URL within ${WAIT / 1000} s (browser log ${browserLog})`);
}

/**
 * The person at the browser: opens the sign-in link in a new page of the
 * same browser, signs in to GoToSocial (web/template/sign-in.tmpl: the
 * e-mail goes in the field named "username"), presses Allow
 * (web/template/authorize.tmpl), and lands on Herald's loopback page.
 */
async function signInAtGoToSocial(authUrl) {
  assert.ok(authUrl.startsWith(`${gtsUrl}/`), `Herald opened ${authUrl}, not a page of ${gtsUrl}`);
  const tab = await browser.context.newPage();
  try {
    await tab.goto(authUrl);
    const password = tab.locator('form[action="/auth/sign_in"] input[name="password"]');
    const allow = tab.locator('form[action="/oauth/authorize"] button[type="submit"]');
    await password.or(allow).first().waitFor({ state: 'visible' });
    if (await password.isVisible()) {
      await tab.locator('form[action="/auth/sign_in"] input[name="username"]').fill(gtsEmail);
      await password.fill(gtsPassword);
      await Promise.all([tab.waitForURL(/\/oauth\/authorize/), tab.locator('form[action="/auth/sign_in"] button[type="submit"]').click()]);
    }
    await allow.waitFor({ state: 'visible' });
    assert.match((await allow.textContent()) ?? '', /Allow/);
    // Allow redirects to Herald's one-shot loopback listener (RFC 8252).
    await Promise.all([tab.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\/callback\?/), allow.click()]);
    await tab.getByRole('heading', { name: "You're signed in" }).waitFor({ state: 'visible' });
    await screenshot(tab, `e2e-channels-${phase}-browser.png`);
  } finally {
    await tab.close();
  }
}

/** The channel's card in the list. */
const channelRow = (id) => page.locator(`${byTestId('channel-row')}[data-channel-id="${id}"]`);

async function expectConnected(id) {
  const row = channelRow(id);
  await page.locator(`${byTestId('channel-row')}[data-channel-id="${id}"][data-status="connected"]`).waitFor({ state: 'visible' });
  assert.equal((await row.locator(byTestId('channel-status')).textContent())?.trim(), 'Connected');
  assert.equal(await row.locator(byTestId('channel-disconnected')).count(), 0, 'no disconnected alert');
  const remoteId = (await row.locator(byTestId('channel-remote-id')).textContent())?.trim() ?? '';
  assert.notEqual(remoteId, '', 'the Channel ID is shown');
  assert.equal(await row.getAttribute('data-remote-id'), remoteId);
  return remoteId;
}

test('connect: add a Mastodon channel through the browser sign-in, with the keyboard alone in Herald', { skip: skip || phase !== 'connect' }, async () => {
  await page.goto(at('/channels'));
  await waitForBackend(page);
  await testId('add-channels-button').waitFor({ state: 'visible' });
  const { tabTo, focused } = keyboardOn(page);

  await tabTo('Add channels', hasFocusIn, 'add-channels-button');
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog');
  await dialog.waitFor({ state: 'visible' });
  await tabTo('Choose Mastodon', hasFocusIn, 'choose-network-mastodon');
  await page.keyboard.press('Enter');
  // The form takes the focus: the server address is the first field.
  await testId('connect-instance').waitFor({ state: 'visible' });
  assert.ok(await page.evaluate(hasFocusIn, 'connect-instance'), `the server field has the focus (it is on ${await focused()})`);
  await page.keyboard.type(gtsUrl);

  const seen = (await openedUrls()).length;
  await page.keyboard.press('Enter');
  await page.locator(`${byTestId('signin-progress')}[data-stage="waiting_for_browser"]`).waitFor({ state: 'visible' });
  assert.match((await testId('signin-stage-text').textContent()) ?? '', /Finish signing in to Mastodon in your browser/);
  const authUrl = await nextOpenedUrl(seen);
  assert.equal((await testId('signin-auth-url').textContent())?.trim(), authUrl, 'Herald shows the link it opened');

  await signInAtGoToSocial(authUrl);

  const newTab = testId('tab-new');
  await newTab.waitFor({ state: 'visible', timeout: SIGN_IN_WAIT });
  assert.match((await newTab.textContent()) ?? '', /^New \(1\)/);
  const account = page.locator(`${byTestId('account-option')}[data-handle^="alice@"]`);
  await account.waitFor({ state: 'visible' });
  assert.equal(await account.getAttribute('aria-checked'), 'true', 'the one new account is already chosen');
  await tabTo('Next', hasFocusIn, 'choose-next');
  await page.keyboard.press('Enter');

  await tabTo('New team', hasFocusIn, 'new-team');
  await page.keyboard.press('Enter');
  await testId('new-team-name').waitFor({ state: 'visible' });
  await tabTo('the team name', hasFocusIn, 'new-team-name');
  await page.keyboard.type('Shop');
  await page.keyboard.press('Enter');
  await testId('new-team-name').waitFor({ state: 'detached' });
  await dialog.locator('.mantine-Pill-label', { hasText: 'Shop' }).waitFor({ state: 'visible' });

  await tabTo('Finish', hasFocusIn, 'connect-finish');
  await page.keyboard.press('Enter');
  const done = testId('connect-done');
  await done.waitFor({ state: 'visible' });
  assert.match((await done.textContent()) ?? '', /Connected .*@alice@/);
  const id = await done.locator(byTestId('connect-done-item')).first().getAttribute('data-channel-id');
  assert.match(id ?? '', /^\d+$/);
  await tabTo('Done', hasFocusIn, 'connect-done-close');
  await page.keyboard.press('Enter');
  await dialog.waitFor({ state: 'hidden' });
  assert.ok(await page.evaluate(hasFocusIn, 'add-channels-button'), `the focus went back to Add channels (it is on ${await focused()})`);

  const row = channelRow(id);
  await row.waitFor({ state: 'visible' });
  assert.equal(await row.getAttribute('data-network'), 'mastodon');
  const remoteId = await expectConnected(id);
  assert.match((await row.locator(byTestId('channel-teams')).textContent()) ?? '', /Shop/);
  assert.equal(await page.locator(byTestId('channel-row')).count(), 1, 'exactly one channel');

  await screenshot(page, 'e2e-channels-connected.png');
  process.stdout.write(`CHANNEL_ID=${id}\nREMOTE_ID=${remoteId}\n`);
  await writeFile(path.join(artifactsDir, 'e2e-channels-channel-id.txt'), `${id}\n`);
});

test('reconnect: a revoked channel shows Disconnected and reconnects in place', { skip: skip || phase !== 'reconnect' }, async () => {
  await page.goto(at('/channels'));
  await waitForBackend(page);

  const row = channelRow(keptChannelId);
  await row.waitFor({ state: 'visible' });
  // The list follows channels:changed and channels:health by itself; a
  // reload now and then also covers an event sent before the page loaded.
  const deadline = Date.now() + DISCONNECT_WAIT;
  let lastReload = Date.now();
  while ((await row.getAttribute('data-status')) !== 'disconnected') {
    assert.ok(Date.now() < deadline, `channel ${keptChannelId} still shows ${await row.getAttribute('data-status')} after ${DISCONNECT_WAIT / 1000} s`);
    if (Date.now() - lastReload > 10_000) {
      await page.reload();
      await waitForBackend(page);
      lastReload = Date.now();
    }
    await sleep(500);
    await row.waitFor({ state: 'visible' });
  }
  const alert = row.locator(byTestId('channel-disconnected'));
  await alert.waitFor({ state: 'visible' });
  assert.match((await alert.textContent()) ?? '', /Nothing was deleted/);
  const reconnect = row.locator(byTestId('channel-reconnect'));
  await reconnect.waitFor({ state: 'visible' });
  const remoteBefore = (await row.locator(byTestId('channel-remote-id')).textContent())?.trim();
  await screenshot(page, 'e2e-channels-disconnected.png');

  const seen = (await openedUrls()).length;
  await reconnect.click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor({ state: 'visible' });
  await page.locator(`${byTestId('signin-progress')}[data-stage="waiting_for_browser"]`).waitFor({ state: 'visible' });
  const authUrl = await nextOpenedUrl(seen);

  await signInAtGoToSocial(authUrl);

  const signedIn = testId('refresh-signed-in-as');
  await signedIn.waitFor({ state: 'visible', timeout: SIGN_IN_WAIT });
  assert.match((await signedIn.getAttribute('data-handle')) ?? '', /^alice@/);
  await testId('refresh-update').click();
  await dialog.waitFor({ state: 'hidden' });

  const remoteAfter = await expectConnected(keptChannelId);
  assert.equal(await row.getAttribute('data-channel-id'), keptChannelId, 'the channel kept its id');
  assert.equal(remoteAfter, remoteBefore, 'the channel kept its Channel ID');
  assert.equal(await page.locator(byTestId('channel-row')).count(), 1, 'no second channel was made');
  await screenshot(page, 'e2e-channels-reconnected.png');
});

test('The page raised no uncaught errors', { skip }, () => {
  assert.deepEqual(browser.pageErrors, []);
});

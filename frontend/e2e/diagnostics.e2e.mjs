// End-to-end check of Settings → Diagnostics against a running Herald.
//
// Run with `node --test frontend/e2e/` while Herald's dev server is up:
//   HERALD_E2E_URL             the app, e.g. http://127.0.0.1:34115/ (required; the tests skip without it)
//   HERALD_E2E_SCHEMA_VERSION  the schema version the page must show (optional)
//   HERALD_E2E_DATA_DIR        the data folder the page must show (optional)
//   HERALD_E2E_ARTIFACTS       where screenshots go (default: ../artifacts from frontend/, the repo's artifacts/)
//   HERALD_E2E_CHROMIUM        the browser (default: /usr/bin/chromium)
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, afterEach, before, test } from 'node:test';
import { appUrl, artifactsDir, at, byTestId, launchBrowser, screenshotOnFailure, WAIT, waitForBackend } from './lib.mjs';

const expectedSchema = process.env.HERALD_E2E_SCHEMA_VERSION ?? '';
const expectedDataDir = process.env.HERALD_E2E_DATA_DIR ?? '';
const skip = appUrl ? false : 'HERALD_E2E_URL is not set; start Herald with -devserver and point this at it';

const KEYRING_WAIT = 40_000;

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

test('Diagnostics shows the schema version, data folder and keyring status', { skip }, async () => {
  await page.goto(at('/settings/diagnostics'));
  await waitForBackend(page);

  const schema = testId('diag-schema-version');
  await schema.waitFor({ state: 'visible' });
  const schemaText = (await schema.textContent()) ?? '';
  if (expectedSchema) {
    assert.equal(schemaText, expectedSchema, 'schema version on the page');
  } else {
    assert.match(schemaText, /^\d+$/, 'schema version is a number');
  }
  assert.match((await testId('diag-latest-schema-version').textContent()) ?? '', /^\d+$/);
  const version = ((await testId('diag-version').textContent()) ?? '').trim();
  assert.match(version, /^\d+\.\d+\.\d+/, 'the version is the product version (wails.json), not a commit');
  assert.notEqual(((await testId('diag-db-path').textContent()) ?? '').trim(), '', 'a database path is shown');

  if (expectedDataDir) {
    const shown = (await testId('diag-data-dir').textContent()) ?? '';
    assert.equal(path.resolve(shown), path.resolve(expectedDataDir), 'data folder on the page');
  }

  const keyring = testId('keyring-status');
  await keyring.waitFor({ state: 'attached' });
  await page.waitForFunction(
    () => {
      const state = document.querySelector('[data-testid="keyring-status"]')?.getAttribute('data-state');
      return state !== undefined && state !== null && state !== 'checking';
    },
    null,
    { timeout: KEYRING_WAIT },
  );
  assert.ok(['available', 'unavailable'].includes(await keyring.getAttribute('data-state')), 'keyring settled');

  await page.screenshot({ path: path.join(artifactsDir, 'e2e-diagnostics.png') });
});

test('Back up now takes a backup and the last backup updates', { skip }, async () => {
  const lastBackup = testId('diag-last-backup');
  await lastBackup.waitFor({ state: 'visible' });
  const before = (await lastBackup.getAttribute('data-path')) ?? '';

  await page.getByRole('button', { name: 'Back up now' }).click();
  await page.getByText('Backup saved').waitFor({ state: 'visible' });
  await page.waitForFunction(
    (previous) => {
      const shown = document.querySelector('[data-testid="diag-last-backup"]')?.getAttribute('data-path');
      return Boolean(shown) && shown !== previous;
    },
    before,
    { timeout: WAIT },
  );
  const afterPath = (await lastBackup.getAttribute('data-path')) ?? '';
  assert.notEqual(afterPath, before, 'the last backup changed');
  assert.notEqual(await lastBackup.getAttribute('data-taken-at'), '', 'the backup has a time');

  await page.screenshot({ path: path.join(artifactsDir, 'e2e-diagnostics-after-backup.png') });
});

test('The navigation lists Measure between Inbox and Audit log', { skip }, async () => {
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Audit log' }).waitFor({ state: 'visible' });
  assert.equal(await nav.getByRole('link', { name: 'Measure' }).getAttribute('aria-keyshortcuts'), 'Control+6');
  assert.equal(await nav.getByRole('link', { name: /^Inbox/ }).getAttribute('aria-keyshortcuts'), 'Control+5');
  assert.equal(await nav.getByRole('link', { name: 'Audit log' }).getAttribute('aria-keyshortcuts'), 'Control+7');
});

test('The page raised no uncaught errors', { skip }, () => {
  assert.deepEqual(browser.pageErrors, []);
});

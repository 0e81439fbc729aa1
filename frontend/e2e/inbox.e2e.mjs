// The inbox against a real GoToSocial: another account replied to the post
// Herald published, mentioned the channel, favourited the post and sent it
// a direct message. The inbox must list exactly the reply, the mention and
// the message (a favourite is not for the inbox), and the reply's thread
// must show the post it answers, read from the server.
//
// The Go harness runs this file by path after that activity.
//
//   HERALD_E2E_INBOX      set to run (the tests skip without it)
//   HERALD_E2E_URL        Herald, e.g. http://127.0.0.1:34115/
//   HERALD_E2E_POST_TEXT  the text of the post Herald published
//   HERALD_E2E_EXPECT     how many items the inbox must list (3)
//   HERALD_E2E_REPLY_TEXT the reply to write to the reply, from the keyboard
//   HERALD_E2E_ARTIFACTS  where screenshots go
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { appUrl, at, byTestId, launchBrowser, missingEnv, screenshot, screenshotOnFailure, waitForBackend } from './lib.mjs';

const enabled = process.env.HERALD_E2E_INBOX ?? '';
const postText = process.env.HERALD_E2E_POST_TEXT ?? '';
const expected = Number(process.env.HERALD_E2E_EXPECT ?? '3');
const replyText = process.env.HERALD_E2E_REPLY_TEXT ?? '';

function skipReason() {
  if (!enabled) {
    return 'HERALD_E2E_INBOX is not set; the Go harness runs this file after activity on a real server';
  }
  const missing = missingEnv([
    ['HERALD_E2E_URL', appUrl],
    ['HERALD_E2E_POST_TEXT', postText],
    ['HERALD_E2E_REPLY_TEXT', replyText],
  ]);
  assert.deepEqual(missing, [], `HERALD_E2E_INBOX needs ${missing.join(', ')}`);
  return false;
}

const skip = skipReason();

/** GoToSocial makes notifications in the background; Herald is asked to check until they are there. */
const ARRIVAL = 120_000;

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

const rows = () => page.locator('[data-testid^="inbox-row-"]');

test('The inbox lists the reply, the mention and the message, once each', { skip }, async () => {
  await page.goto(at('/inbox'));
  await waitForBackend(page);
  await page.getByRole('heading', { level: 1, name: 'Inbox' }).waitFor();
  const deadline = Date.now() + ARRIVAL;
  while ((await rows().count()) < expected && Date.now() < deadline) {
    const check = page.locator(byTestId('inbox-check-now'));
    await check.click();
    // The button shows its work while the channels are read.
    await page.waitForFunction((sel) => document.querySelector(sel)?.getAttribute('data-loading') !== 'true', byTestId('inbox-check-now'));
    await page.waitForTimeout(1500);
  }
  const kinds = await rows().evaluateAll((els) => els.map((el) => el.getAttribute('data-kind') ?? ''));
  await screenshot(page, 'inbox.png');
  assert.equal(kinds.length, expected, `the inbox lists ${kinds.length} items: ${kinds.join(', ')}`);
  assert.deepEqual(kinds.sort(), ['mention', 'message', 'reply']);

  // The reply's thread, read from the server: the post it answers above it.
  const reply = page.locator('[data-testid^="inbox-row-"][data-kind="reply"]');
  await reply.click();
  const conversation = page.locator(byTestId('conversation'));
  await conversation.waitFor();
  await conversation.getByText(postText, { exact: false }).first().waitFor();
  assert.equal(await conversation.locator(byTestId('conversation-current')).count(), 1);
  // Opened, so read: the row no longer says it is unread.
  assert.doesNotMatch((await reply.textContent()) ?? '', /Unread/);
  process.stdout.write(`INBOX_ITEMS=${kinds.length}\n`);
});

test('A reply written with the keyboard goes out once and shows as sent', { skip }, async () => {
  const conversation = page.locator(byTestId('conversation'));
  await conversation.waitFor();
  // R writes a reply: the box starts with the author's handle, the caret after it.
  await page.locator('[data-testid^="inbox-row-"][data-kind="reply"]').focus();
  await page.keyboard.press('r');
  const box = page.locator(byTestId('reply-text'));
  assert.equal(await box.evaluate((el) => el === document.activeElement), true, 'R focuses the reply box');
  const prefill = await box.inputValue();
  assert.match(prefill, /^@\S+ $/, `the reply starts with the author's handle: "${prefill}"`);
  await page.keyboard.type(replyText);
  const send = page.locator(byTestId('reply-send'));
  await page.waitForFunction((sel) => !document.querySelector(sel)?.hasAttribute('disabled'), byTestId('reply-send'));
  await send.focus();
  await page.keyboard.press('Enter');
  // A second press while it is being sent must not send it twice.
  await page.keyboard.press('Enter').catch(() => undefined);
  const sent = conversation.locator(`${byTestId('reply')}[data-status="published"]`);
  await sent.waitFor({ timeout: 60_000 });
  assert.equal(await conversation.locator(byTestId('reply')).count(), 1, 'one reply in the conversation');
  await screenshot(page, 'inbox-reply.png');
  process.stdout.write('INBOX_REPLY=sent\n');
});

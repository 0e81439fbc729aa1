// Accessibility check of every view and dialog against a running Herald:
// axe-core (WCAG 2.0/2.1 A and AA, WCAG 2.2 AA) in light and dark, on an
// empty database, a filled one and a damaged one (the recovery screen).
// Any serious or critical violation fails the run; every finding, whatever
// its impact, goes into artifacts/a11y-report.json.
//
// Run with `node --test frontend/e2e/` while Herald's dev servers are up:
//   HERALD_E2E_URL          Herald on an empty data folder (the tests skip without it)
//   HERALD_E2E_FILLED_URL   Herald on a folder filled by `go run ./test/load` (skipped without it)
//   HERALD_E2E_DAMAGED_URL  Herald on a folder whose herald.db is damaged (skipped without it)
//   HERALD_E2E_ARTIFACTS    where the report and screenshots go
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { appUrl, artifactsDir, at, byTestId, launchBrowser, screenshotOnFailure, waitForBackend } from './lib.mjs';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const FAILING = new Set(['serious', 'critical']);
const SCHEMES = ['light', 'dark'];

const filledUrl = process.env.HERALD_E2E_FILLED_URL ?? '';
const damagedUrl = process.env.HERALD_E2E_DAMAGED_URL ?? '';
const noApp = appUrl ? false : 'HERALD_E2E_URL is not set; start Herald with -devserver and point this at it';

/** Every finding of every run, for the report. */
const report = { tags: TAGS, failOn: [...FAILING], runs: [] };

/**
 * Waits until the page holds still: no CSS transition running (Mantine's
 * modals, drawers and menus fade in and out) and no change to the DOM for
 * ten frames in a row (a menu unmounts after its fade). Colours read
 * mid-fade are not the colours people see.
 */
async function settle(page) {
  await page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        // A page that never holds still is a finding too, not a reason to hang.
        const limit = setTimeout(() => {
          observer.disconnect();
          reject(new Error('the page kept changing for 15 s'));
        }, 15_000);
        let quiet = 0;
        const observer = new MutationObserver(() => {
          quiet = 0;
        });
        observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
        const tick = () => {
          const moving = document.getAnimations().some((a) => a instanceof CSSTransition && a.playState === 'running');
          quiet = moving ? 0 : quiet + 1;
          if (quiet >= 10) {
            clearTimeout(limit);
            observer.disconnect();
            resolve();
          } else {
            requestAnimationFrame(tick);
          }
        };
        requestAnimationFrame(tick);
      }),
  );
}

/**
 * The tab stops of the page that a keyboard user cannot make sense of:
 * focusable, in the tab order, and either invisible or without a name.
 */
async function emptyTabStops(page) {
  return page.evaluate(() => {
    const found = [];
    window.axe.setup(document);
    try {
      const candidates = document.querySelectorAll(
        'a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"]), [contenteditable="true"]',
      );
      for (const el of candidates) {
        if (el.disabled || el.tabIndex < 0 || el.closest('[inert], [aria-hidden="true"]')) {
          continue;
        }
        const style = getComputedStyle(el);
        if (style.visibility === 'hidden' || style.display === 'none') {
          continue;
        }
        // Of a group of radio buttons only the checked one is a tab stop.
        if (el.matches('input[type="radio"]:not(:checked)') && document.querySelector(`input[type="radio"][name="${CSS.escape(el.name)}"]:checked`)) {
          continue;
        }
        const shows = (node) => {
          const rect = node.getBoundingClientRect();
          return rect.width >= 1 && rect.height >= 1 && node.checkVisibility({ opacityProperty: true, visibilityProperty: true });
        };
        // Switches, checkboxes and segmented controls hide the input and show its label instead;
        // a skip link shows itself on focus.
        const hidden = !shows(el) && ![...(el.labels ?? [])].some(shows) && !el.matches('[class*="skipLink"]');
        const name = window.axe.commons.text.accessibleText(el).trim();
        if (hidden || name === '') {
          found.push({ selector: window.axe.utils.getSelector(el), html: el.outerHTML.slice(0, 200), hidden, name });
        }
      }
    } finally {
      window.axe.teardown();
    }
    return found;
  });
}

/** Runs axe on the page as it is now; returns the failing findings. */
async function check(page, run, state) {
  await settle(page);
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.addScriptTag({ path: axePath });
  }
  const results = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations', 'incomplete'] }),
    TAGS,
  );
  const violations = results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({ selector: n.target.join(' '), html: n.html.slice(0, 300), summary: n.failureSummary })),
  }));
  const tabStops = await emptyTabStops(page);
  // What axe looked at, so an empty list of violations can be told from a check that did not run.
  const rulesPassed = results.passes.length;
  const incomplete = results.incomplete.map((v) => ({ id: v.id, nodes: v.nodes.length }));
  assert.ok(rulesPassed > 0, `axe checked nothing in ${state}`);
  run.states.push({ state, url: page.url(), rulesPassed, incomplete, violations, emptyTabStops: tabStops });
  const failing = violations.filter((v) => FAILING.has(v.impact));
  if (tabStops.length > 0) {
    failing.push({
      id: 'empty-tab-stop',
      impact: 'serious',
      help: 'Every tab stop is visible and has a name',
      nodes: tabStops.map((s) => ({ selector: s.selector, html: s.html })),
    });
  }
  return failing.map((v) => ({ ...v, state }));
}

function describeFailures(failures) {
  return failures
    .flatMap((v) => v.nodes.map((n) => `  [${v.state}] ${v.id} (${v.impact}) ${n.selector}\n      ${v.help}${v.helpUrl ? ` <${v.helpUrl}>` : ''}`))
    .join('\n');
}

/** Presses Escape until no dialog, drawer or menu is open. */
async function closeOverlays(page) {
  for (let i = 0; i < 3; i++) {
    if ((await page.locator('[role="dialog"], [role="menu"]').count()) === 0) {
      return;
    }
    await page.keyboard.press('Escape');
    await settle(page);
  }
  await page.locator('[role="dialog"], [role="menu"]').first().waitFor({ state: 'detached' });
}

/** Opens a route and waits for its page heading; returns when the view has loaded. */
async function open(page, base, route, ready) {
  await closeOverlays(page);
  await page.goto(at(route, base));
  await waitForBackend(page);
  await page.locator('h1, h2').first().waitFor({ state: 'visible' });
  if (ready) {
    await ready();
  }
  // Views show skeletons while they load; they are aria-hidden, but their end is the point.
  await page.waitForFunction(() => document.querySelector('[data-testid$="-loading"]') === null);
}

/** The states of the main window, as [name, how to get there]. */
function mainStates(page, base, filled) {
  const testId = (id) => page.locator(byTestId(id));
  const dialog = () => page.getByRole('dialog').last().waitFor({ state: 'visible' });
  const states = [
    ['channels', () => open(page, base, '/channels')],
    [
      'add channels: network',
      async () => {
        await open(page, base, '/channels');
        await testId('add-channels-button').click();
        await dialog();
      },
    ],
    [
      'add channels: details',
      async () => {
        await page.getByRole('dialog').getByRole('button', { name: /Mastodon/ }).first().click();
        await testId('connect-details').waitFor({ state: 'visible' });
      },
    ],
    ['compose', () => open(page, base, '/compose')],
    ['queue: scheduled', () => open(page, base, '/queue?tab=scheduled')],
    ['queue: drafts', () => open(page, base, '/queue?tab=drafts')],
    ['queue: needs attention', () => open(page, base, '/queue?tab=attention')],
    ['queue: published', () => open(page, base, '/queue?tab=published')],
    ['calendar: month', () => open(page, base, '/calendar', () => testId('calendar').waitFor())],
    [
      'calendar: week',
      async () => {
        await page.locator('label', { hasText: /^Week$/ }).click();
        await page.waitForFunction(() => document.querySelectorAll('[data-testid="calendar-day"]').length === 7);
      },
    ],
    ['inbox', () => open(page, base, '/inbox')],
    ['audit log', () => open(page, base, '/audit')],
    ['search', () => open(page, base, '/search')],
    ['settings: general', () => open(page, base, '/settings/general')],
    ['settings: teams', () => open(page, base, '/settings/teams')],
    ['settings: queue times', () => open(page, base, '/settings/queue')],
    ['settings: inbox', () => open(page, base, '/settings/inbox', () => page.waitForFunction(() => !document.querySelector('[data-testid="inbox-sync-loading"]')))],
    [
      'settings: inbox, add a rule',
      async () => {
        await open(page, base, '/settings/inbox', () => testId('rule-add').waitFor());
        await testId('rule-add').click();
        await dialog();
      },
    ],
    [
      'settings: inbox, a rule refused (errors on its fields)',
      async () => {
        await page.getByRole('dialog').getByRole('button', { name: 'Add the rule' }).click();
        await page.getByRole('dialog').locator('[aria-invalid="true"], [role="alert"]').first().waitFor();
      },
    ],
    [
      'settings: inbox, a rule tested on the newest items',
      async () => {
        await page.getByRole('dialog').getByRole('textbox', { name: /The text contains/ }).fill('open');
        await testId('rule-test').click();
        await page.getByRole('dialog').locator('[data-testid="rule-preview"], [data-testid="rule-preview-error"]').first().waitFor();
      },
    ],
    [
      'settings: inbox, a saved reply refused (error on its field)',
      async () => {
        await open(page, base, '/settings/inbox', () => testId('saved-reply-add').waitFor());
        await testId('saved-reply-add').click();
        await dialog();
        await testId('saved-reply-name').fill('Typo');
        await testId('saved-reply-body').fill('Hi {nome}');
        await testId('saved-reply-save').click();
        await page.getByRole('dialog').locator('[aria-invalid="true"]').first().waitFor();
      },
    ],
    ['inbox: response times', () => open(page, base, '/inbox/response-times', () => page.locator('[data-testid="response-times-summary"], [data-testid="response-times-empty"], [role="alert"]').first().waitFor())],
    ['measure: channel overview', () => open(page, base, '/measure', () => page.locator('[data-testid="measure-overview"], [data-testid="measure-nothing-yet"], [data-testid="measure-no-channels"], [data-testid="measure-not-measurable"], [data-testid="error-panel"]').first().waitFor())],
    ['measure: content performance', () => open(page, base, '/measure/content', () => page.locator('[data-testid="measure-content-table"], [data-testid="measure-nothing-yet"], [data-testid="measure-no-channels"], [data-testid="measure-not-measurable"], [data-testid="error-panel"]').first().waitFor())],
    ['measure: best times', () => open(page, base, '/measure/best-times', () => page.locator('[data-testid="measure-best-times"], [data-testid="measure-nothing-yet"], [data-testid="measure-no-channels"], [data-testid="measure-not-measurable"], [data-testid="error-panel"]').first().waitFor())],
    ['measure: dashboards', () => open(page, base, '/measure/dashboards', () => page.locator('[data-testid="dashboards-list"], [data-testid="dashboards-empty"], [data-testid="measure-nothing-yet"], [data-testid="measure-no-channels"], [data-testid="measure-not-measurable"], [data-testid="error-panel"]').first().waitFor())],
    ['measure: a new dashboard', () => open(page, base, '/measure/dashboards/new', () => page.locator('[data-testid="dashboard-form"], [data-testid="measure-nothing-yet"], [data-testid="measure-no-channels"], [data-testid="measure-not-measurable"], [data-testid="error-panel"]').first().waitFor())],
    ['measure: compare', () => open(page, base, '/measure/compare', () => page.locator('[data-testid="compare-table"], [data-testid="watchlist-empty"], [data-testid="measure-nothing-yet"], [data-testid="measure-no-channels"], [data-testid="measure-not-measurable"], [data-testid="error-panel"]').first().waitFor())],
    [
      'settings: diagnostics',
      () =>
        open(page, base, '/settings/diagnostics', () =>
          page.waitForFunction(() => {
            const state = document.querySelector('[data-testid="keyring-status"]')?.getAttribute('data-state');
            return state && state !== 'checking';
          }),
        ),
    ],
    ['not found', () => open(page, base, '/no-such-view')],
    [
      'keyboard shortcuts',
      async () => {
        await open(page, base, '/queue');
        await page.locator('body').press('?');
        await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
      },
    ],
  ];
  if (!filled) {
    return states;
  }
  const firstPostId = async (tab) => {
    await open(page, base, `/queue?tab=${tab}`, () => testId('queue-list').waitFor());
    const href = await page.locator(`${byTestId('queue-list')} a[href*="#/posts/"]`).first().getAttribute('href');
    return href.replace(/^.*#\/posts\//, '');
  };
  let scheduledId = '';
  return [
    ...states,
    [
      'channels: actions menu',
      async () => {
        await open(page, base, '/channels', () => testId('channel-list').waitFor());
        await testId('channel-actions').first().click();
        await page.getByRole('menu').waitFor();
      },
    ],
    ...[
      ['health timeline', 'Health timeline'],
      ['edit teams', 'Edit teams'],
      ['remove channel', 'Remove…'],
      ['refresh connection', /^(Refresh connection|Sign in again)$/],
    ].map(([name, item]) => [
      `channels: ${name}`,
      async () => {
        await open(page, base, '/channels', () => testId('channel-list').waitFor());
        await testId('channel-actions').first().click();
        await page.getByRole('menuitem', { name: item }).click();
        await dialog();
      },
    ]),
    [
      'compose: channels chosen',
      async () => {
        await open(page, base, '/compose');
        await page.getByRole('checkbox').first().check();
        await page.getByRole('textbox').first().fill('A post to check the composer with');
      },
    ],
    [
      'queue: row menu',
      async () => {
        await open(page, base, '/queue?tab=scheduled', () => testId('queue-list').waitFor());
        await testId('row-menu').first().click();
        await page.getByRole('menu').waitFor();
      },
    ],
    [
      'queue: row dialog (mounted on first open)',
      async () => {
        await page.getByRole('menuitem', { name: 'Pick a new time' }).click();
        await dialog();
      },
    ],
    [
      'post page: scheduled',
      async () => {
        scheduledId = await firstPostId('scheduled');
        await open(page, base, `/posts/${scheduledId}`, () => testId('post-actions').waitFor());
      },
    ],
    [
      'post page: pick a new time',
      async () => {
        await page.getByRole('button', { name: /new time/i }).click();
        await dialog();
      },
    ],
    [
      'post page: publish now',
      async () => {
        await open(page, base, `/posts/${scheduledId}`, () => testId('post-actions').waitFor());
        await page.getByRole('button', { name: /Publish now/ }).click();
        await dialog();
      },
    ],
    [
      'post page: delete',
      async () => {
        await open(page, base, `/posts/${scheduledId}`, () => testId('post-actions').waitFor());
        await page.getByRole('button', { name: /Delete/ }).click();
        await dialog();
      },
    ],
    [
      'post page: published',
      async () => {
        const id = await firstPostId('published');
        await open(page, base, `/posts/${id}`, () => testId('post-actions').waitFor());
      },
    ],
    [
      'compose: editing a draft',
      async () => {
        const id = await firstPostId('drafts');
        await open(page, base, `/compose/${id}`);
      },
    ],
    [
      'calendar: post drawer',
      async () => {
        await open(page, base, '/calendar', () => testId('calendar-item').first().waitFor());
        await testId('calendar-item').first().click();
        await dialog();
      },
    ],
    [
      'inbox: conversation',
      async () => {
        await open(page, base, '/inbox', () => testId('inbox-list').waitFor());
        await page.locator('[data-testid^="inbox-row-"]').first().click();
        await testId('conversation').waitFor();
        await page.waitForFunction(() => document.querySelector('[data-testid="conversation-loading"]') === null);
      },
    ],
    [
      'settings: inbox, edit a rule',
      async () => {
        await open(page, base, '/settings/inbox', () => testId('rule-row').first().waitFor());
        await page.getByRole('button', { name: /^Edit / }).first().click();
        await dialog();
        await testId('rule-test').click();
        await testId('rule-preview').waitFor();
      },
    ],
    [
      'settings: inbox, delete a rule',
      async () => {
        await open(page, base, '/settings/inbox', () => testId('rule-row').first().waitFor());
        await page.getByRole('button', { name: /^Delete / }).first().click();
        await dialog();
      },
    ],
    [
      'audit log: details',
      async () => {
        await open(page, base, '/audit', () => testId('audit-row').first().waitFor());
        await testId('audit-row-toggle').first().click();
      },
    ],
  ];
}

/**
 * Through Herald's own bindings, what test/load does not make: a team with
 * a channel in it, a rule that assigns it, and so lines in the audit log.
 * Safe to repeat.
 */
async function addTeam(page, base) {
  await page.goto(at('/channels', base));
  await waitForBackend(page);
  await page.evaluate(async () => {
    const { Teams, Channels, Inbox } = window.go.service;
    const team = (await Teams.List()).find((t) => t.name === 'Shop') ?? (await Teams.Create('Shop'));
    const [channel] = await Channels.List();
    await Channels.SetTeams(channel.id, [team.id]);
    if (!(await Inbox.Rules()).some((r) => r.name === 'Shop questions')) {
      await Inbox.CreateRule({
        name: 'Shop questions',
        enabled: true,
        textContains: 'shop',
        authorIs: '',
        kind: 'reply',
        channelId: 0,
        addLabel: 'question',
        markDone: false,
        teamId: team.id,
        notify: false,
      });
    }
  });
}

/** The states of the recovery screen (a damaged database). */
function recoveryStates(page, base) {
  return [
    ['recovery', () => open(page, base, '/', () => page.locator(byTestId('recovery-screen')).waitFor())],
    ['recovery: diagnostics', () => open(page, base, '/settings/diagnostics')],
  ];
}

/**
 * Herald on one database in one colour scheme: every state checked, the
 * failures of all of them reported together.
 */
async function checkAll(t, page, { database, scheme, states, prepare }) {
  await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
  await prepare?.();
  const run = { database, scheme, states: [] };
  report.runs.push(run);
  const failures = [];
  for (const [state, reach] of states) {
    await reach();
    const shown = await page.evaluate(() => document.documentElement.getAttribute('data-mantine-color-scheme'));
    assert.equal(shown, scheme, `Herald follows the ${scheme} colour scheme of the system`);
    failures.push(...(await check(page, run, state)));
  }
  await closeOverlays(page);
  const count = failures.reduce((n, v) => n + v.nodes.length, 0);
  assert.equal(count, 0, `${count} accessibility problems on the ${database} database in ${scheme}:\n${describeFailures(failures)}`);
  t.diagnostic(`${run.states.length} states checked`);
}

describe('Accessibility (axe-core, WCAG 2.2 AA)', () => {
  let browser;
  let page;

  before(async () => {
    if (noApp) {
      return;
    }
    browser = await launchBrowser();
    page = browser.page;
  });

  after(async () => {
    await browser?.close();
    if (report.runs.length > 0) {
      await writeFile(path.join(artifactsDir, 'a11y-report.json'), `${JSON.stringify(report, null, 2)}\n`);
    }
  });

  afterEach(async (t) => {
    await screenshotOnFailure(page, t);
  });

  for (const scheme of SCHEMES) {
    test(`empty database, ${scheme}`, { skip: noApp }, async (t) => {
      await checkAll(t, page, { database: 'empty', scheme, states: mainStates(page, appUrl, false) });
    });
    test(`filled database, ${scheme}`, { skip: noApp || (filledUrl ? false : 'HERALD_E2E_FILLED_URL is not set') }, async (t) => {
      await checkAll(t, page, { database: 'filled', scheme, states: mainStates(page, filledUrl, true), prepare: () => addTeam(page, filledUrl) });
    });
    test(`damaged database, ${scheme}`, { skip: noApp || (damagedUrl ? false : 'HERALD_E2E_DAMAGED_URL is not set') }, async (t) => {
      await checkAll(t, page, { database: 'damaged', scheme, states: recoveryStates(page, damagedUrl) });
    });
  }

  test('the pages raised no uncaught errors', { skip: noApp }, () => {
    assert.deepEqual(browser.pageErrors, []);
  });
});

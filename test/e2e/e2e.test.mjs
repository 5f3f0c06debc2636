// End to end in a real VS Code: code-server 4.139 (VS Code 1.139) with the packaged .vsix installed,
// driven by Debian's headless Chromium through playwright-core, on scratch copies of examples/shop.
// The browser checks what a person sees (squiggles, Problems, hover, quick fix, status bar, the parity
// panel and its clicks, the Services tree, the walkthrough, the port-parity tasks and their problem matchers); a self-test extension runs test/vscode/suite/checks.cjs inside code-server's
// extension host for the vscode-API assertions. Screenshots go to test-results/e2e/ and four of them
// to docs/images/ for the README.
//
// Slow and heavy (setup ~2.5 min and ~800 MB the first time, in .e2e-cache/), so it runs only with
// PORT_PARITY_E2E=1: `npm run test:e2e`. `npm test` skips it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ENABLED = process.env.PORT_PARITY_E2E === '1';
const skip = ENABLED ? false : 'PORT_PARITY_E2E is not 1: the code-server end-to-end test is skipped (run it with npm run test:e2e; the first run installs code-server, Node 24 and Chromium into .e2e-cache/, about 3 minutes)';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const EVIL = '<img src=x onerror=alert(1)>';
const DOC_SHOTS = ['squiggle', 'hover', 'quickfix', 'panel'];

let h; // the harness module, loaded only when enabled
let run;
let cs;
let browser;
let page;
let shots;
let wsUi;
let wsSelf;
let wsTask;
const timings = {};
const dialogs = [];
const pageErrors = [];

async function timed(name, fn) {
  const t0 = Date.now();
  try {
    return await fn();
  } finally {
    timings[name] = Date.now() - t0;
  }
}

async function shot(name) {
  const path = join(shots, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

const statusItem = (id) => page.locator(`.statusbar-item[id="${id}"]`).innerText();
const activeLine = async () => Number((await statusItem('status.editor.selection')).match(/Ln (\d+)/)?.[1]);
const breadcrumbs = () => page.locator('.monaco-breadcrumbs').first().innerText().then((t) => t.replace(/\s+/g, ' '));

/** Runs a command from the command palette by its title. */
async function command(title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10000 });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 10000 });
  await page.keyboard.press('Enter');
}

/** Opens a workspace file with Quick Open and waits for its editor. */
async function openFile(rel) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10000 });
  await input.fill(rel);
  await page.locator('.quick-input-widget .monaco-list-row').first().waitFor({ timeout: 10000 });
  await sleep(300);
  await page.keyboard.press('Enter');
  await page.waitForFunction((name) => document.querySelector('.tabs-container .tab.active')?.textContent?.includes(name), rel.split('/').pop(), { timeout: 20000 });
  await page.locator('.monaco-editor .view-lines').first().waitFor();
}

/** The parity panel's frame: the webview's inner document that holds the matrix. */
async function panelFrame(timeout = 30000) {
  const t0 = Date.now();
  for (;;) {
    for (const f of page.frames()) {
      if (await f.locator('table[role="grid"]').count().catch(() => 0)) return f;
    }
    if (Date.now() - t0 > timeout) throw new Error('the parity panel did not render a matrix');
    await sleep(250);
  }
}

/** The findings the packaged CLI reports for `folder` of `cwd`, counted by severity as the status bar counts Problems. */
function cliCounts(cwd, folder) {
  const r = spawnSync(process.execPath, [join(h.ROOT, 'dist', 'cli.js'), 'check', folder, '--format', 'json'], { cwd, encoding: 'utf8' });
  const findings = JSON.parse(r.stdout).findings;
  return { findings, counts: ['error', 'warning', 'info'].map((s) => findings.filter((f) => f.severity === s).length) };
}

/** The Problems counts of the status bar (errors, warnings, infos), once they equal `want` or `timeout` has passed. */
async function problemCounts(want, timeout = 90000) {
  const t0 = Date.now();
  for (;;) {
    const text = await statusItem('status.problems').catch(() => '');
    const got = text.replace(/\s+/g, ' ').trim().split(' ').map(Number);
    while (got.length < 3) got.push(0);
    if (JSON.stringify(got) === JSON.stringify(want) || Date.now() - t0 > timeout) return got;
    await sleep(500);
  }
}

/** Runs a task by its label from Tasks: Run Task (again if the workbench, still restoring, closed the picker). */
async function runTask(label) {
  const picker = () => page.waitForFunction(() => /task to run/i.test(document.querySelector('.quick-input-widget input')?.placeholder ?? ''), null, { timeout: 10000 });
  for (let attempt = 1; ; attempt++) {
    // Clicked by its exact name: the palette's first row can be "Tasks: Rerun All Running Tasks".
    await page.keyboard.press('F1');
    await page.locator('.quick-input-widget input').fill('>Tasks: Run Task');
    await page.locator('.quick-input-widget .monaco-list-row .label-name', { hasText: /^Tasks: Run Task$/ }).first().click({ timeout: 10000 });
    const open = await picker().then(() => true, () => false);
    if (open) break;
    if (attempt === 3) throw new Error(`the task picker did not open: ${await page.locator('.quick-input-widget .monaco-list-rows').innerText().catch(() => '(no quick input)')}`);
  }
  await page.locator('.quick-input-widget input').fill(label);
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: label }).first();
  await row.waitFor({ timeout: 20000 });
  await row.click();
}

/** The frame of a webview whose document holds `text`. */
async function frameWith(selector, text, timeout = 30000) {
  const t0 = Date.now();
  for (;;) {
    for (const f of page.frames()) {
      if (await f.evaluate(([s, x]) => [...document.querySelectorAll(s)].some((e) => e.textContent.includes(x)), [selector, text]).catch(() => false)) return f;
    }
    if (Date.now() - t0 > timeout) throw new Error(`no webview shows ${selector} "${text}"`);
    await sleep(250);
  }
}

describe('Port Parity in code-server', { skip }, () => {
  before(async () => {
    h = await import('./harness.mjs');
    const env = await timed('setup', () => h.setup());
    const vsix = await timed('package', () => h.packageVsix());
    run = h.newRunDir();
    shots = h.RESULTS;
    mkdirSync(shots, { recursive: true });
    wsUi = h.copyExample('shop', run, 'shop');
    wsSelf = h.copyExample('shop', run, 'shop-selftest');
    wsTask = h.copyExample('shop', run, 'shop-tasks');
    // The self-test extension with the shared checks beside it, packed to be installed like the real one.
    const selftest = join(run, 'selftest');
    cpSync(join(h.ROOT, 'test', 'e2e', 'selftest'), selftest, { recursive: true });
    copyFileSync(join(h.ROOT, 'test', 'vscode', 'suite', 'checks.cjs'), join(selftest, 'checks.cjs'));
    const selftestVsix = h.packFolder(selftest, join(run, 'selftest.vsix'));
    cs = await timed('code-server start', () => h.startCodeServer({ env, vsix, run, extraVsix: [selftestVsix] }));
    browser = await h.launchBrowser(env.CHROMIUM, run);
    page = browser.pages()[0] ?? (await browser.newPage());
    page.on('dialog', (d) => {
      if (d.type() === 'beforeunload') return void d.accept();
      dialogs.push(`${d.type()}: ${d.message()}`);
      void d.dismiss();
    });
    page.on('pageerror', (e) => pageErrors.push(String(e)));
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    if (cs) {
      writeFileSync(join(shots, 'code-server.log'), cs.log());
      await cs.stop();
    }
    if (run) h.removeRunDir(run);
    const lines = Object.entries(timings).map(([k, v]) => `  ${k}: ${(v / 1000).toFixed(1)} s`);
    console.log(`e2e timings:\n${lines.join('\n')}`);
  });

  test('the workbench opens examples/shop and the extension reports drift in the status bar', async () => {
    await timed('workbench', async () => {
      await page.goto(cs.folderUrl(wsUi), { waitUntil: 'domcontentloaded' });
      await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
      await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 60000 });
    });
    await page.waitForFunction(() => /Ports: \d+ drifts?/.test(document.querySelector('.statusbar-item[id$="portParity.status"]')?.textContent ?? ''), null, { timeout: 60000 });
    assert.match(await page.locator('.statusbar-item[id$="portParity.status"]').innerText(), /Ports: 2 drifts/);
  });

  test('a drifting port is squiggled and listed in the Problems panel', async () => {
    await openFile('deploy/staging/orders.yaml');
    await page.waitForSelector('.monaco-editor .squiggly-warning', { timeout: 60000 });
    await page.keyboard.press('Control+Shift+M');
    await page.waitForSelector('.markers-panel .monaco-list-row', { timeout: 30000 });
    await sleep(500);
    assert.match(await page.locator('.markers-panel').innerText(), /port-parity/);
    const counts = await statusItem('status.problems');
    assert.ok(counts.replace(/\s+/g, ' ').trim().split(' ').map(Number).reduce((a, b) => a + b, 0) >= 10, `problem counts: ${counts}`);
    // The filter finds a problem of a file never opened, then narrows the panel to this file's finding.
    const filter = page.locator('.markers-panel-action-filter input, .viewpane-filter input').first();
    const listed = (text) => page.waitForFunction((x) => document.querySelector('.markers-panel')?.innerText.includes(x), text, { timeout: 10000 });
    await filter.fill('healthcheck of storefront');
    await listed('docker-compose.yml');
    await filter.fill('orders listens on 8080 in staging');
    await listed('orders listens on 8080 in staging but 9000 in production');
    // The drifting line in view, the cursor away from the token.
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+G');
    await page.keyboard.type('26');
    await page.keyboard.press('Enter');
    await sleep(400);
    await shot('squiggle');
  });

  test('the hover on the port names the other environments', async () => {
    await page.keyboard.press('Control+G');
    await page.keyboard.type('28:32');
    await page.keyboard.press('Enter');
    await sleep(300);
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    await page.waitForFunction(() => [...document.querySelectorAll('.monaco-hover')].some((x) => /production/.test(x.innerText) && /local/.test(x.innerText) && /9000/.test(x.innerText)), null, { timeout: 20000 });
    const hover = await page.evaluate(() => [...document.querySelectorAll('.monaco-hover')].map((x) => x.innerText).join('\n'));
    assert.match(hover, /orders/);
    await shot('hover');
    await page.keyboard.press('Escape');
  });

  test('the quick fix changes the port and its squiggle goes', async () => {
    await page.keyboard.press('Control+.');
    const menu = await page.waitForSelector('.action-widget', { timeout: 20000 }).then((x) => x.innerText());
    assert.match(menu, /Align orders in all environments to 9000/);
    await shot('quickfix');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => !document.querySelector('.monaco-editor .squiggly-warning'), null, { timeout: 20000 });
    const line = await page.locator('.monaco-editor .view-line', { hasText: 'containerPort' }).first().innerText();
    assert.match(line.replace(/\s+/g, ' '), /containerPort: 9000/);
    await page.keyboard.press('Control+S');
    await page.waitForFunction(() => !document.querySelector('.tabs-container .tab.active.dirty'), null, { timeout: 10000 });
  });

  test('the parity panel at the default side bar width shows every environment\'s ports and the reference in full', async () => {
    await command('Port Parity: Show Parity Panel');
    const frame = await panelFrame();
    // No bottom panel; the side bar keeps the width VS Code gives it.
    await page.keyboard.press('Control+J');
    const sideBar = await page.evaluate(() => Math.round(document.querySelector('.part.sidebar')?.getBoundingClientRect().width ?? 0));
    console.log(`# the side bar is ${sideBar}px wide`);
    assert.ok(sideBar > 0 && sideBar <= 320, `the side bar is ${sideBar}px wide: the default width is what this test is about`);
    await frame.waitForFunction(() => document.querySelector('.summary')?.textContent.includes('6 services, 3 environments, 2 drifting'), null, { timeout: 20000 });
    // One card per service there: the environment names are in the cells, not in a header that would not fit.
    await frame.waitForFunction(() => document.body.dataset.layout === 'cards', null, { timeout: 10000 });
    const orders = frame.locator('tbody tr', { has: frame.locator('.service-name', { hasText: 'orders' }) });
    const cells = (await orders.locator('td.cell').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    assert.deepEqual(cells, ['local 8080 ≠ differs', 'staging 9000 ✓ agrees', 'production 9000 ★ reference'], 'staging agrees after the quick fix');
    assert.equal(await orders.locator('button.align').innerText(), 'Align all environments to 9000');
    // Measured in the page: no text of a cell, a name or a button is cut off or outside the panel.
    const cut = await frame.evaluate(() => {
      const width = document.documentElement.clientWidth;
      const out = [];
      for (const e of document.querySelectorAll('td.cell .env, td.cell .ports, td.cell .status, .service-name, .badge, button.align, button.more')) {
        if (!e.getClientRects().length) continue;
        const r = e.getBoundingClientRect();
        if (r.left < 0 || r.right > width + 1) out.push(`"${e.textContent}" spans ${Math.round(r.left)}-${Math.round(r.right)}px of ${width}px`);
        if (getComputedStyle(e).display !== 'inline' && e.scrollWidth > e.clientWidth + 1) out.push(`"${e.textContent}" needs ${e.scrollWidth}px, has ${e.clientWidth}px`);
      }
      const host = document.querySelector('.table-host');
      if (host.scrollWidth > host.clientWidth + 1) out.push(`the matrix scrolls sideways: ${host.scrollWidth}px in ${host.clientWidth}px`);
      return out;
    });
    assert.deepEqual(cut, []);
    const ref = await orders.locator('td.cell.reference .status').evaluate((e) => ({ text: e.textContent.trim(), right: e.getBoundingClientRect().right, width: document.documentElement.clientWidth }));
    assert.equal(ref.text, '★ reference');
    assert.ok(ref.right <= ref.width, `the reference mark ends at ${ref.right}px of ${ref.width}px`);
    await sleep(800);
    await shot('panel');
  });

  test('the panel opens in an editor tab, where the matrix is a table', async () => {
    await command('Port Parity: Open Parity Matrix in Editor');
    await page.waitForFunction(() => document.querySelector('.tabs-container .tab.active')?.textContent?.includes('Port Parity Matrix'), null, { timeout: 20000 });
    const t0 = Date.now();
    let frame;
    while (!frame) {
      for (const f of page.frames()) {
        if (await f.evaluate(() => document.body.dataset.layout === 'table' && !!document.querySelector('table[role="grid"]')).catch(() => false)) frame = f;
      }
      if (!frame && Date.now() - t0 > 30000) throw new Error('the editor tab did not render the matrix as a table');
      if (!frame) await sleep(250);
    }
    const heads = (await frame.locator('thead th').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    assert.deepEqual(heads.slice(0, 4), ['Service', 'local', 'staging', 'production ★ reference']);
    await sleep(500);
    await shot('panel-editor');
    await page.keyboard.press('Control+W');
  });

  test('a click on a cell opens the file at the declaration', async () => {
    const frame = await panelFrame();
    const orders = frame.locator('tbody tr', { has: frame.locator('.service-name', { hasText: 'orders' }) });
    // The staging orders.yaml is open with the cursor on line 28: wait for production's breadcrumbs.
    await orders.locator('td.cell').nth(2).click();
    await page.waitForFunction(() => /production/.test(document.querySelector('.tabs-and-actions-container .monaco-breadcrumbs, .monaco-breadcrumbs')?.textContent ?? ''), null, { timeout: 20000 });
    assert.match(await breadcrumbs(), /deploy\W+production\W+orders\.yaml/);
    assert.equal(await activeLine(), 28);
    assert.match((await page.locator('.monaco-editor .view-line', { hasText: 'containerPort' }).first().innerText()).replace(/\s+/g, ' '), /containerPort: 9000/);
  });

  test('Enter on a focused cell opens its declaration (keyboard)', async () => {
    const frame = await panelFrame();
    const api = frame.locator('tbody tr', { has: frame.locator('.service-name', { hasText: /^api$/ }) });
    await api.locator('td.cell').first().focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('.tabs-container .tab.active')?.textContent?.includes('docker-compose.yml'), null, { timeout: 20000 });
  });

  test('a service named like HTML shows as text when it appears on disk (live update)', async () => {
    const compose = join(wsUi, 'docker-compose.yml');
    const text = readFileSync(compose, 'utf8');
    writeFileSync(compose, text.replace('\nvolumes:\n', `\n  "${EVIL}":\n    image: nginx:1.27-alpine\n    ports:\n      - "18081:8081"\n\nvolumes:\n`));
    const frame = await panelFrame();
    await frame.waitForFunction((name) => [...document.querySelectorAll('.service-name')].some((e) => e.textContent === name), EVIL, { timeout: 30000 });
    assert.equal(await frame.locator('img').count(), 0);
    assert.match(await frame.locator('.summary').innerText(), /^7 services/);
    await sleep(500);
    assert.deepEqual(dialogs, []);
  });

  test('"Align all environments to 9000" aligns orders everywhere', async () => {
    const frame = await panelFrame();
    const orders = frame.locator('tbody tr', { has: frame.locator('.service-name', { hasText: 'orders' }) });
    await orders.locator('button.align').click();
    await frame.waitForFunction(() => document.querySelector('.summary')?.textContent.includes(', 1 drifting'), null, { timeout: 30000 });
    const cells = (await orders.locator('td.cell').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    assert.deepEqual(cells, ['local 9000 ✓ agrees', 'staging 9000 ✓ agrees', 'production 9000 ★ reference']);
    await page.waitForFunction(() => /Ports: 1 drift\b/.test(document.querySelector('.statusbar-item[id$="portParity.status"]')?.textContent ?? ''), null, { timeout: 10000 });
    await shot('panel-aligned');
  });

  test('the Services tree lists each service\'s environments and findings; a finding opens, its inline quick fix applies', async () => {
    const tree = page.locator('.pane', { has: page.locator('.pane-header', { hasText: /^Services/i }) });
    const header = tree.locator('.pane-header');
    if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
    const row = (text) => tree.locator('.monaco-list-row', { hasText: text });
    await row(/^api/).first().waitFor({ timeout: 30000 });
    // api has errors: it starts expanded, its probe finding under production.
    const probe = row('readiness probe of container api checks port 9100');
    await probe.first().waitFor({ timeout: 20000 });
    assert.match(await probe.first().innerText(), /probe-port/);
    assert.match(await row(/^production/).first().innerText(), /8000 ★ reference/);
    await shot('tree');
    await probe.first().click();
    await page.waitForFunction(() => document.querySelector('.tabs-container .tab.active')?.textContent?.includes('api.yaml'), null, { timeout: 20000 });
    assert.match(await breadcrumbs(), /deploy\W+production\W+api\.yaml/);
    await probe.first().hover();
    await probe.first().locator('.action-label[aria-label="Apply Quick Fix"]').click();
    await tree.locator('.monaco-list-row', { hasText: 'readiness probe of container api checks port 9100' }).first().waitFor({ state: 'detached', timeout: 30000 });
    const lines = (await page.locator('.monaco-editor').first().locator('.view-line').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    assert.ok(lines.includes('port: 8000') && !lines.includes('port: 9100'), `the probe's port is 8000 now:\n${lines.join('\n')}`);
    await page.keyboard.press('Control+S');
  });

  test('the walkthrough opens from Welcome: Open Walkthrough with its title and five steps; a step shows its markdown, its button runs its command and completes the step', async () => {
    const walkthrough = JSON.parse(readFileSync(join(h.ROOT, 'package.json'), 'utf8')).contributes.walkthroughs[0];
    await command('Welcome: Open Walkthrough...');
    const input = page.locator('.quick-input-widget input');
    await input.fill('Port Parity');
    const choice = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Get Started with Port Parity' }).first();
    await choice.waitFor({ timeout: 20000 });
    await choice.click();
    const slide = page.locator('.gettingStartedSlideDetails');
    await slide.locator('.category-title').first().waitFor({ timeout: 20000 });
    assert.equal((await slide.locator('.category-title').first().innerText()).trim(), 'Get Started with Port Parity');
    // Every step shows: the server runs here, so the steps that need it are not hidden by their when clause.
    const steps = slide.locator('button.getting-started-step');
    await page.waitForFunction(() => document.querySelectorAll('.gettingStartedSlideDetails button.getting-started-step').length >= 5, null, { timeout: 20000 });
    const titles = (await steps.locator('.step-title').allInnerTexts()).map((t) => t.trim());
    assert.deepEqual(titles, walkthrough.steps.map((x) => x.title));
    assert.equal(titles.length, 5);
    const done = (id) => slide.locator(`[data-done-step-id$="#${id}"]`).first();
    // The panel step: its markdown in the media pane, its button focuses the panel and marks it done.
    await steps.filter({ hasText: "See every service's ports" }).click();
    const media = await frameWith('h1', 'Every service, every environment');
    assert.match(await media.locator('body').innerText(), /★ reference/);
    // The earlier tests ran Show Parity Panel already: take the step back to undone first.
    if ((await done('panel').getAttribute('aria-checked')) === 'true') await done('panel').click();
    await page.waitForFunction(() => document.querySelector('.gettingStartedSlideDetails [data-done-step-id$="#panel"]')?.getAttribute('aria-checked') === 'false', null, { timeout: 10000 });
    await page.keyboard.press('Control+Shift+E');
    await page.waitForFunction(() => /explorer/i.test(document.querySelector('.part.sidebar .composite.title')?.textContent ?? ''), null, { timeout: 10000 });
    await shot('walkthrough');
    const button = slide.locator('.step-description-container .monaco-button', { hasText: 'Show Parity Panel' });
    await button.click();
    await page.waitForFunction(() => /port parity/i.test(document.querySelector('.part.sidebar .composite.title')?.textContent ?? ''), null, { timeout: 20000 });
    await page.waitForFunction(() => document.querySelector('.gettingStartedSlideDetails [data-done-step-id$="#panel"]')?.getAttribute('aria-checked') === 'true', null, { timeout: 20000 });
    await panelFrame();
    // The panel has the focus now: give it back to the walkthrough page, close it, give the workbench the keyboard.
    await slide.locator('.category-title').first().click();
    await page.keyboard.press('Control+W');
    await page.waitForFunction(() => !document.querySelector('.gettingStartedContainer'), null, { timeout: 10000 });
    await page.locator('.part.editor').click();
  });

  test('the vscode API checks pass inside code-server\'s extension host', async (t) => {
    const out = join(run, 'selftest-result.json');
    writeFileSync(join(wsSelf, '.pp-selftest.json'), JSON.stringify({ out }));
    await command('File: Save All Files');
    await sleep(500);
    const result = await timed('self-test', async () => {
      await page.goto(cs.folderUrl(wsSelf), { waitUntil: 'domcontentloaded' });
      await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
      const t0 = Date.now();
      while (!existsSync(out)) {
        if (Date.now() - t0 > 240000) throw new Error(`the self-test wrote no result within 240 s\n${cs.log().slice(-3000)}`);
        await sleep(500);
      }
      return JSON.parse(readFileSync(out, 'utf8'));
    });
    await shot('selftest');
    writeFileSync(join(shots, 'selftest-result.json'), JSON.stringify(result, null, 2));
    for (const r of result.results) {
      await t.test(r.name, () => assert.ok(r.ok, r.detail));
    }
    assert.ok(result.results.length >= 12, `${result.results.length} checks ran`);
  });

  test('the port-parity tasks of tasks.json run the CLI and $port-parity and $port-parity-compact put its findings in Problems', async () => {
    // The language server is off in this folder: Problems holds what the tasks' matchers read, nothing else.
    mkdirSync(join(wsTask, '.vscode'), { recursive: true });
    writeFileSync(join(wsTask, '.vscode', 'settings.json'), JSON.stringify({ 'portParity.enable': false, 'task.problemMatchers.neverPrompt': true }, null, 2));
    writeFileSync(join(wsTask, '.vscode', 'tasks.json'), JSON.stringify({
      version: '2.0.0',
      tasks: [
        { label: 'ports in the text report', type: 'port-parity', command: 'check' },
        { label: 'ports of deploy in the compact report', type: 'port-parity', command: 'check', folder: 'deploy', args: ['--format', 'compact'] },
      ],
    }, null, 2));
    const all = cliCounts(wsTask, '.');
    const deploy = cliCounts(wsTask, 'deploy');
    assert.ok(all.findings.length > deploy.findings.length && deploy.findings.length > 0, `${all.findings.length} findings, ${deploy.findings.length} under deploy`);
    await page.goto(cs.folderUrl(wsTask), { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 60000 });
    assert.deepEqual(await problemCounts([0, 0, 0], 5000), [0, 0, 0], 'no problems before a task runs');
    await runTask('ports in the text report');
    const got = await problemCounts(all.counts);
    await page.keyboard.press('Control+Shift+M');
    if (JSON.stringify(got) !== JSON.stringify(all.counts)) {
      await command('View: Toggle Maximized Panel');
      await sleep(1000);
      await shot('task-problems-missing');
      console.log((await page.locator('.markers-panel').innerText()).replace(/\n+/g, '\n'));
      await page.keyboard.press('Control+`');
      await sleep(1000);
      await shot('task-terminal');
    }
    assert.deepEqual(got, all.counts, '$port-parity read every finding of the text report');
    const filter = page.locator('.markers-panel-action-filter input, .viewpane-filter input').first();
    await filter.waitFor({ timeout: 10000 });
    const probe = all.findings.find((f) => f.rule === 'probe-port');
    await filter.fill(probe.message);
    const row = page.locator('.markers-panel .monaco-list-row', { hasText: probe.message }).first();
    await row.waitFor({ timeout: 10000 });
    const text = (await row.innerText()).replace(/\s+/g, ' ');
    assert.ok(text.includes(`port-parity ${probe.rule}`) && text.includes(`[Ln ${probe.line}, Col ${probe.column}]`), text);
    await shot('task-problems');
    await filter.fill('');
    // The compact report of deploy/ replaces them: what it does not report again is cleared.
    await runTask('ports of deploy in the compact report');
    assert.deepEqual(await problemCounts(deploy.counts), deploy.counts, '$port-parity-compact read every finding of the compact report');
  });

  test('the four README screenshots are copied to docs/images', () => {
    const dir = join(h.ROOT, 'docs', 'images');
    mkdirSync(dir, { recursive: true });
    for (const name of DOC_SHOTS) {
      const src = join(shots, `${name}.png`);
      assert.ok(existsSync(src), `${name}.png was taken`);
      copyFileSync(src, join(dir, `${name}.png`));
    }
    assert.deepEqual(pageErrors.filter((e) => /port-?parity/i.test(e)), []);
  });
});

test('the end-to-end test explains how to run it when it is skipped', { skip: ENABLED }, () => {
  assert.match(String(skip), /PORT_PARITY_E2E/);
  console.log(`# ${skip}`);
});

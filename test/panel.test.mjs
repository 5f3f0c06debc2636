// The parity panel's webview script (media/panel.js) in headless Chromium, under the panel's own CSP,
// with a stand-in for VS Code's webview API and the real matrix of examples/shop from the language
// server: rendering, statuses, the reference, filters, keyboard navigation, messages to the extension,
// escaping of hostile names, live updates. Skips (with the reason) where Debian's chromium is missing;
// test/e2e/setup.sh or `apt-get install chromium` brings it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import lib from '../dist/client-lib.js';
import { copyWorkspace, LspClient } from './lsp/harness.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const skip = CHROMIUM ? false : 'Chromium not found (apt-get install chromium, or set CHROMIUM_PATH): the panel script is not run in a browser';
const ORIGIN = 'https://webview.test';
const EVIL = '<img src=x onerror=alert(1)>';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let browser;
let page;
let matrix;
const violations = [];
const dialogs = [];

async function posted(type) {
  return page.evaluate((t) => window.__posted.filter((m) => m.type === t), type);
}
async function send(m) {
  await page.evaluate((x) => window.postMessage({ type: 'matrix', matrix: x }, '*'), m);
}
const rowLocator = (service) => page.locator('tbody tr', { has: page.locator('.service-name', { hasText: service }) });

before(async () => {
  if (skip) return;
  const root = copyWorkspace(join(ROOT, 'examples', 'shop'));
  const client = new LspClient();
  await client.start(root);
  matrix = await client.request('portParity/matrix', {});
  await client.stop();
  const api = matrix.rows.find((r) => r.service === 'api');
  matrix.rows.push({ ...api, service: EVIL, drift: false, callers: [{ from: `${EVIL}"'&`, port: 1, envs: ['local'] }] });

  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking'] });
  page = await browser.newPage({ viewport: { width: 1100, height: 700 } });
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.route(`${ORIGIN}/**`, (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === '/index.html') {
      return route.fulfill({ contentType: 'text/html', body: lib.panelHtml({ cspSource: ORIGIN, script: `${ORIGIN}/media/panel.js`, style: `${ORIGIN}/media/panel.css`, nonce: 'n0nce' }) });
    }
    if (path === '/media/panel.js' || path === '/media/panel.css') {
      return route.fulfill({ contentType: path.endsWith('.js') ? 'text/javascript' : 'text/css', body: readFileSync(join(ROOT, path)) });
    }
    return route.fulfill({ status: 404, body: '' });
  });
  await page.addInitScript(() => {
    window.__posted = [];
    window.__state = undefined;
    window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => window.__state, setState: (s) => (window.__state = s) });
    // VS Code sets these on the webview's root; a dark theme's values.
    const vars = { '--vscode-font-family': 'sans-serif', '--vscode-font-size': '13px', '--vscode-editor-font-family': 'monospace', '--vscode-foreground': '#cccccc', '--vscode-descriptionForeground': '#9d9d9d', '--vscode-editorWarning-foreground': '#cca700', '--vscode-textLink-foreground': '#4daafc', '--vscode-testing-iconPassed': '#73c991', '--vscode-badge-background': '#616161', '--vscode-badge-foreground': '#f8f8f8', '--vscode-focusBorder': '#0078d4', '--vscode-panel-border': '#2b2b2b', '--vscode-input-background': '#313131', '--vscode-input-foreground': '#cccccc', '--vscode-button-secondaryBackground': '#313131', '--vscode-button-secondaryForeground': '#cccccc', '--vscode-inputValidation-warningBackground': '#352a05', '--vscode-editor-background': '#1f1f1f' };
    document.addEventListener('DOMContentLoaded', () => {
      for (const [k, v] of Object.entries(vars)) document.documentElement.style.setProperty(k, v);
      document.body.classList.add('vscode-dark');
      document.documentElement.style.background = '#181818';
    });
    document.addEventListener('securitypolicyviolation', (e) => (window.__violations = [...(window.__violations ?? []), `${e.violatedDirective} ${e.blockedURI}`]));
  });
  await page.goto(`${ORIGIN}/index.html`);
  await page.waitForFunction(() => window.__posted.some((m) => m.type === 'ready'));
  await send(matrix);
  await page.waitForSelector('table');
});

after(async () => {
  if (browser) {
    violations.push(...((await page.evaluate(() => window.__violations ?? []).catch(() => [])) ?? []));
    await browser.close();
  }
});

test('the panel announces itself ready, then renders one row per service and one column per environment', { skip }, async () => {
  assert.equal((await posted('ready')).length, 1);
  const heads = await page.locator('thead th').allInnerTexts();
  assert.deepEqual(heads.map((h) => h.replace(/\s+/g, ' ').trim()), ['Service', 'local', 'staging', 'production ★ reference']);
  assert.equal(await page.locator('tbody tr').count(), matrix.rows.length);
  const drifting = matrix.rows.filter((r) => r.drift).length;
  assert.match(await page.locator('.summary').innerText(), new RegExp(`^${matrix.rows.length} services, 3 environments, ${drifting} drifting · \\d+ errors?, \\d+ warnings?$`));
});

test('each cell shows the ports and their status; the reference is marked', { skip }, async () => {
  const cells = rowLocator('orders').locator('td.cell');
  assert.deepEqual((await cells.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim()), ['8080 ≠ differs', '8080 ≠ differs', '9000 ★ reference']);
  assert.equal(await cells.nth(0).getAttribute('aria-label'), 'orders in local: 8080, differs from production (9000). Press Enter to open the declaration.');
  assert.match(await rowLocator('orders').locator('.callers').innerText(), /← api on 8080/);
  const postgres = rowLocator('postgres').locator('td.cell');
  assert.equal(await postgres.nth(1).getAttribute('aria-disabled'), 'true');
  assert.equal((await postgres.nth(1).innerText()).trim(), '—');
  assert.match(await rowLocator('payments').locator('.badge.contract').innerText(), /contract 8090/);
});

test('a hostile service name is shown as text, never parsed as HTML', { skip }, async () => {
  const name = page.locator('.service-name', { hasText: EVIL });
  assert.equal(await name.innerText(), EVIL);
  assert.equal(await page.locator('img').count(), 0);
  assert.match(await rowLocator(EVIL).locator('.callers').innerText(), /<img src=x onerror=alert\(1\)>"'&/);
  assert.deepEqual(dialogs, []);
});

test('a drifting row offers "Align all environments to N", which asks the extension', { skip }, async () => {
  const button = rowLocator('orders').locator('button.align');
  assert.equal(await button.innerText(), 'Align all environments to 9000');
  assert.equal(await rowLocator('api').locator('button.align').count(), 0);
  await button.click();
  const [m] = await posted('align');
  assert.deepEqual(m, { type: 'align', service: 'orders', folder: matrix.rows.find((r) => r.service === 'orders').folder });
});

test('a click on a cell opens its declaration', { skip }, async () => {
  await rowLocator('orders').locator('td.cell').nth(2).click();
  const opened = (await posted('open')).at(-1);
  const cell = matrix.rows.find((r) => r.service === 'orders').cells.find((c) => c.environment === 'production');
  assert.deepEqual(opened, { type: 'open', uri: cell.locations[0].uri, line: cell.locations[0].line, character: cell.locations[0].character });
  assert.match(opened.uri, /deploy\/production\/orders\.yaml$/);
});

test('the grid is one tab stop; arrows move between cells and Enter opens one', { skip }, async () => {
  assert.equal(await page.locator('td.cell[tabindex="0"]').count(), 1);
  const first = page.locator('tbody tr').first().locator('td.cell').first();
  await first.focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowDown');
  const focused = await page.evaluate(() => document.activeElement.getAttribute('data-pos'));
  assert.equal(focused, '1:1');
  assert.equal(await page.locator('td.cell[tabindex="0"]').count(), 1);
  const before = (await posted('open')).length;
  await page.keyboard.press('Enter');
  const opened = (await posted('open')).at(-1);
  assert.equal((await posted('open')).length, before + 1);
  const row = matrix.rows[1];
  assert.equal(opened.uri, row.cells[1].locations[0].uri);
  await page.keyboard.press('End');
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('data-pos')), '1:2');
});

test('a live update re-renders the table and keeps the focused cell', { skip }, async () => {
  await page.locator('[data-pos="2:1"]').focus();
  const next = structuredClone(matrix);
  next.rows = next.rows.map((r) => (r.service === 'orders' ? { ...r, drift: false, cells: r.cells.map((c) => ({ ...c, ports: [9000], status: c.status === 'reference' ? 'reference' : 'agree' })) } : r));
  await send(next);
  await page.waitForFunction(() => document.querySelector('.summary').textContent.includes(' 1 drifting'));
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('data-pos')), '2:1');
  assert.deepEqual((await rowLocator('orders').locator('td.cell').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim()), ['9000 ✓ agrees', '9000 ✓ agrees', '9000 ★ reference']);
  await send(matrix);
  await page.waitForFunction(() => document.querySelector('.summary').textContent.includes(' 2 drifting'));
});

test('"Only drift" and the text filter narrow the rows and are kept in the webview state', { skip }, async () => {
  await page.locator('#only-drift').check();
  assert.deepEqual(await page.locator('tbody .service-name').allInnerTexts(), matrix.rows.filter((r) => r.drift).map((r) => r.service));
  await page.locator('#only-drift').uncheck();
  await page.locator('#search').fill('PAY');
  assert.deepEqual(await page.locator('tbody .service-name').allInnerTexts(), ['payments']);
  await page.locator('#search').fill('5432');
  assert.deepEqual(await page.locator('tbody .service-name').allInnerTexts(), ['postgres']);
  await page.locator('#search').fill('no such service');
  assert.equal(await page.locator('.empty').innerText(), 'No service matches the filter.');
  assert.deepEqual(await page.evaluate(() => window.__state), { onlyDrift: false, query: 'no such service' });
  await page.locator('#search').fill('');
});

test('an empty workspace says so', { skip }, async () => {
  await send({ environments: [], rows: [], findings: { errors: 0, warnings: 0, infos: 0 } });
  assert.equal(await page.locator('.empty').innerText(), 'No service declares a port in this workspace.');
  await send(matrix);
});

// VS Code's side bar starts about 300 px wide: three environments fit without scrolling sideways.
// PANEL_SHOT=/tmp/panel.png saves what it looks like there.
test('the panel fits a narrow side bar', { skip }, async () => {
  await page.setViewportSize({ width: 340, height: 700 });
  await sleep(100);
  const [scroll, client] = await page.evaluate(() => [document.querySelector('.table-host').scrollWidth, document.querySelector('.table-host').clientWidth]);
  if (process.env.PANEL_SHOT) {
    await page.screenshot({ path: process.env.PANEL_SHOT, fullPage: true });
  }
  await page.setViewportSize({ width: 1100, height: 700 });
  assert.ok(scroll <= client + 4, `the matrix is ${scroll}px wide in a ${client}px side bar`);
});

test('nothing breaks the Content Security Policy', { skip }, async () => {
  assert.deepEqual(await page.evaluate(() => window.__violations ?? []), []);
});

test('the stylesheet takes its colours from the theme\'s CSS variables', () => {
  const css = readFileSync(join(ROOT, 'media', 'panel.css'), 'utf8');
  const decls = [...css.matchAll(/(?:^|[;{\s])((?:background|color|border(?:-left)?(?:-color)?|outline|accent-color)\s*:\s*[^;]+);/g)].map((m) => m[1]);
  const literal = decls.filter((d) => /#[0-9a-f]{3,8}\b|rgba?\(/i.test(d.replace(/var\([^()]*(\([^()]*\))?[^()]*\)/g, '')));
  assert.deepEqual(literal, [], 'colours outside var(--vscode-…) fallbacks');
  assert.match(css, /body\.vscode-high-contrast/);
});

test('a place inside a chart archive is titled with the .tgz and the entry and line inside it', { skip }, async () => {
  const folder = matrix.rows[0].folder;
  const uri = `file://${folder}/app/charts/redis-1.0.0.tgz`;
  const cell = { environment: 'production', ports: [6379], status: 'reference', locations: [{ uri, line: 0, character: 0, inside: 'redis/values.yaml:1' }] };
  await send({ environments: ['production'], rows: [{ service: 'app-redis', folder, cells: [cell], drift: false, callers: [] }], findings: { errors: 0, warnings: 0, infos: 0 } });
  await page.waitForSelector('text=app-redis');
  assert.equal(await rowLocator('app-redis').locator('td.cell').first().getAttribute('title'), 'app/charts/redis-1.0.0.tgz › redis/values.yaml:1');
  await send(matrix);
  await page.waitForSelector('text=orders');
});

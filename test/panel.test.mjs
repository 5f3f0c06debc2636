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
/** Opens a row's details (callers and findings) if closed; the details' region. */
async function details(service) {
  const toggle = rowLocator(service).locator('button.more');
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  const region = page.getByRole('region', { name: `Details of ${service}`, exact: true });
  await region.waitFor();
  return region;
}

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
  // Who calls a service is in its details, on demand (in the row it took the narrow side bar's width).
  assert.equal(await rowLocator('orders').locator('.callers').count(), 0);
  assert.match(await (await details('orders')).locator('.callers').innerText(), /^Called by api on 8080 \(/);
  const postgres = rowLocator('postgres').locator('td.cell');
  assert.equal(await postgres.nth(1).getAttribute('aria-disabled'), 'true');
  assert.equal((await postgres.nth(1).innerText()).trim(), '—');
  assert.match(await rowLocator('payments').locator('.badge.contract').innerText(), /contract 8090/);
});

test('a hostile service name is shown as text, never parsed as HTML', { skip }, async () => {
  const name = page.locator('.service-name', { hasText: EVIL });
  assert.equal(await name.innerText(), EVIL);
  assert.equal(await page.locator('img').count(), 0);
  assert.match(await (await details(EVIL)).locator('.callers').innerText(), /<img src=x onerror=alert\(1\)>"'&/);
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

test('the unmarked environment reads as the server labels it, with its meaning as the header\'s title', { skip }, async () => {
  const next = structuredClone(matrix);
  const rename = (e) => (e === 'local' ? 'default' : e);
  next.environments = next.environments.map(rename);
  next.rows = next.rows.map((r) => ({ ...r, cells: r.cells.map((c) => ({ ...c, environment: rename(c.environment) })) }));
  next.environmentLabels = { default: { label: 'unmarked (base)', note: 'Files no environment marks.' } };
  await send(next);
  await page.waitForFunction(() => [...document.querySelectorAll('thead th')].some((th) => th.textContent.includes('unmarked (base)')));
  const head = page.locator('thead th', { hasText: 'unmarked (base)' });
  assert.equal(await head.getAttribute('title'), 'Files no environment marks.');
  assert.match(await rowLocator('orders').locator('td.cell').first().getAttribute('aria-label'), /^orders in unmarked \(base\): 8080/);
  await send(matrix);
  await page.waitForFunction(() => [...document.querySelectorAll('thead th')].some((th) => th.textContent.includes('local')));
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
  // The state also keeps which rows' details are open (the tests above opened two).
  const { onlyDrift, query } = await page.evaluate(() => window.__state);
  assert.deepEqual({ onlyDrift, query }, { onlyDrift: false, query: 'no such service' });
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

test('a row\'s details list every finding of the service, open each one, and offer its quick fix', { skip }, async () => {
  const api = matrix.rows.find((r) => r.service === 'api');
  const rules = api.findings.map((x) => x.rule);
  // Not only drift: api's probe, route, reference and loopback findings are listed, as the server gives them.
  for (const rule of ['probe-port', 'ingress-backend-port', 'reference-port', 'loopback-bind']) assert.ok(rules.includes(rule), `the server gives api's ${rule} finding: ${rules}`);
  const toggle = rowLocator(/^api$/).locator('button.more');
  assert.match(await toggle.innerText(), new RegExp(`${api.findings.length} findings`));
  const region = await details('api');
  const items = region.locator('li.finding');
  assert.equal(await items.count(), api.findings.length);
  assert.deepEqual(await region.locator('.finding-meta code').allInnerTexts(), rules);
  const probe = api.findings.findIndex((x) => x.rule === 'probe-port');
  assert.equal(await items.nth(probe).locator('.finding-open').innerText(), api.findings[probe].message);
  assert.equal(await items.nth(probe).locator('.sev').getAttribute('aria-label'), 'error');
  await items.nth(probe).locator('.finding-open').click();
  const x = api.findings[probe];
  assert.deepEqual((await posted('open')).at(-1), { type: 'open', uri: x.uri, line: x.line, character: x.character });
  assert.ok(x.fix, 'the probe-port finding has a quick fix');
  assert.equal(await items.nth(probe).locator('button.fix').innerText(), x.fix);
  await items.nth(probe).locator('button.fix').click();
  assert.deepEqual((await posted('fix')).at(-1), { type: 'fix', service: 'api', folder: api.folder, index: probe });
  // A finding without a fix offers none.
  const noFix = api.findings.findIndex((f) => !f.fix);
  if (noFix >= 0) assert.equal(await items.nth(noFix).locator('button.fix').count(), 0);
  await toggle.click();
  assert.equal(await page.getByRole('region', { name: 'Details of api', exact: true }).count(), 0);
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
});

/** Text of the panel cut off or outside the host: each element named, with its text, where its content overflows it or the viewport. */
async function clipped(selector) {
  return page.evaluate((sel) => {
    const host = document.querySelector('.table-host').getBoundingClientRect();
    const out = [];
    for (const e of document.querySelectorAll(sel)) {
      if (!e.getClientRects().length) continue;
      const r = e.getBoundingClientRect();
      if (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).display !== 'inline') out.push(`${e.className}: "${e.textContent}" needs ${e.scrollWidth}px, has ${e.clientWidth}px`);
      if (r.left < host.left - 1 || r.right > host.right + 1) out.push(`${e.className}: "${e.textContent}" spans ${Math.round(r.left)}-${Math.round(r.right)}px, the panel ${Math.round(host.left)}-${Math.round(host.right)}px`);
    }
    return out;
  }, selector);
}

/** Words of an element's text that the layout split over two lines. */
async function brokenWords(selector) {
  return page.evaluate((sel) => {
    const out = [];
    for (const e of document.querySelectorAll(sel)) {
      const node = e.firstChild;
      if (!node || node.nodeType !== Node.TEXT_NODE) continue;
      for (const m of node.data.matchAll(/[A-Za-z0-9]+/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        if (tops.size > 1) out.push(`${node.data}: ${m[0]}`);
      }
    }
    return out;
  }, selector);
}

// VS Code's side bar starts about 300 px wide and may be dragged narrower: every environment's ports and
// status stay readable (one card per service), names break between words only.
for (const width of [300, 250]) {
  test(`at a ${width} px side bar every service is a card whose environments, ports and statuses are all visible`, { skip }, async () => {
    const long = structuredClone(matrix);
    const orders = long.rows.find((r) => r.service === 'orders');
    long.rows.push({ ...orders, service: 'payments-reconciliation-worker', findings: [] });
    await send(long);
    await page.setViewportSize({ width, height: 700 });
    try {
      await page.waitForFunction(() => document.body.dataset.layout === 'cards');
      const [scroll, client] = await page.evaluate(() => [document.querySelector('.table-host').scrollWidth, document.querySelector('.table-host').clientWidth]);
      assert.ok(scroll <= client + 1, `the panel is ${scroll}px wide in ${client}px`);
      assert.deepEqual(await clipped('td.cell .env, td.cell .ports, td.cell .status, .service-name, .badge, button.align, button.more'), []);
      assert.deepEqual(await brokenWords('.service-name'), []);
      // Each cell names its environment; the reference one says so, in full.
      const cells = (await rowLocator('orders').locator('td.cell').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
      assert.deepEqual(cells, ['local 8080 ≠ differs', 'staging 8080 ≠ differs', 'production 9000 ★ reference']);
      const ref = rowLocator('orders').locator('td.cell.reference .status');
      assert.equal((await ref.innerText()).trim(), '★ reference');
      if (process.env.PANEL_SHOT) await page.screenshot({ path: process.env.PANEL_SHOT.replace(/\.png$/, `-${width}.png`), fullPage: true });
    } finally {
      await page.setViewportSize({ width: 1100, height: 700 });
      await send(matrix);
    }
  });
}

test('where every column fits the panel is a table, environments as columns', { skip }, async () => {
  await page.waitForFunction(() => document.body.dataset.layout === 'table');
  assert.equal(await page.locator('thead').isVisible(), true);
  assert.equal(await rowLocator('orders').locator('td.cell .env').first().isVisible(), false);
  assert.deepEqual(await clipped('thead th, td.cell .ports, td.cell .status'), []);
});

// Colours measured as VS Code's Light Modern and Dark Modern themes set them (their theme files and the
// colour registry's defaults), on the side bar's background: text needs 4.5:1 (WCAG AA).
const THEMES = {
  'Light Modern': { bg: '#f8f8f8', kind: 'vscode-light', vars: { foreground: '#3b3b3b', descriptionForeground: '#3b3b3b', 'textLink-foreground': '#005fb8', 'textLink-activeForeground': '#005fb8', 'badge-background': '#cccccc', 'badge-foreground': '#3b3b3b', 'button-background': '#005fb8', 'button-foreground': '#ffffff', 'button-hoverBackground': '#0258a8', 'button-border': '#0000001a', 'button-secondaryBackground': '#e5e5e5', 'button-secondaryForeground': '#3b3b3b', focusBorder: '#005fb8', 'panel-border': '#e5e5e5', 'input-background': '#ffffff', 'input-foreground': '#3b3b3b', 'inputValidation-warningBackground': '#f6f5d2', 'list-warningForeground': '#855f00', 'editorWarning-foreground': '#bf8803', 'charts-green': '#388a34', 'testing-iconPassed': '#73c991', 'editor-background': '#ffffff' } },
  'Dark Modern': { bg: '#181818', kind: 'vscode-dark', vars: { foreground: '#cccccc', descriptionForeground: '#9d9d9d', 'textLink-foreground': '#4daafc', 'textLink-activeForeground': '#4daafc', 'badge-background': '#616161', 'badge-foreground': '#f8f8f8', 'button-background': '#0078d4', 'button-foreground': '#ffffff', 'button-hoverBackground': '#026ec1', 'button-border': '#ffffff1a', 'button-secondaryBackground': '#00000000', 'button-secondaryForeground': '#cccccc', focusBorder: '#0078d4', 'panel-border': '#2b2b2b', 'input-background': '#313131', 'input-foreground': '#cccccc', 'inputValidation-warningBackground': '#352a05', 'list-warningForeground': '#cca700', 'editorWarning-foreground': '#cca700', 'charts-green': '#89d185', 'testing-iconPassed': '#73c991', 'editor-background': '#1f1f1f' } },
};

for (const [name, theme] of Object.entries(THEMES)) {
  test(`in ${name} every text of the panel has a contrast of 4.5:1 or more`, { skip }, async () => {
    await details('api');
    const low = await page.evaluate(({ bg, kind, vars }) => {
      const root = document.documentElement;
      for (const [k, v] of Object.entries(vars)) root.style.setProperty(`--vscode-${k}`, v);
      root.style.background = bg;
      document.body.classList.remove('vscode-dark', 'vscode-light');
      document.body.classList.add(kind);
      const rgba = (c) => {
        const m = c.match(/rgba?\(([^)]+)\)/);
        const [r, g, b, a = 1] = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
        return [r, g, b, a];
      };
      const over = (top, under) => top.slice(0, 3).map((x, i) => x * top[3] + under[i] * (1 - top[3])).concat(1);
      const lum = ([r, g, b]) => [r, g, b].map((x) => x / 255).map((x) => (x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4)).reduce((s, x, i) => s + x * [0.2126, 0.7152, 0.0722][i], 0);
      const background = (e) => {
        const chain = [];
        for (let n = e; n; n = n.parentElement) chain.push(rgba(getComputedStyle(n).backgroundColor));
        return chain.reverse().reduce((acc, c) => over(c, acc), [255, 0, 255, 1]);
      };
      const out = [];
      const sel = '.summary, thead th, .service-name, .badge, td.cell .ports, td.cell .status, td.cell .env, button.align, button.more, button.fix, .finding-open, .finding-meta, .callers';
      for (const e of document.querySelectorAll(sel)) {
        if (!e.getClientRects().length || !e.textContent.trim()) continue;
        const b = background(e);
        const fg = over(rgba(getComputedStyle(e).color), b);
        const [l1, l2] = [lum(fg), lum(b)].sort((x, y) => y - x);
        const ratio = (l1 + 0.05) / (l2 + 0.05);
        if (ratio < 4.5) out.push(`${e.tagName.toLowerCase()}.${e.className} "${e.textContent.trim().slice(0, 30)}": ${ratio.toFixed(2)}:1`);
      }
      return out;
    }, theme);
    assert.deepEqual(low, []);
  });
}

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

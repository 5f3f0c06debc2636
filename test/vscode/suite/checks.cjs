// Assertions about the installed Port Parity extension through the vscode API, run inside an extension
// host on a scratch copy of examples/shop. Shared by the @vscode/test-electron suite (index.cjs, with
// mocha) and by the code-server end-to-end test's self-test extension (test/e2e/selftest), which has no
// extensionTestsPath. The checks run in order and change the workspace: a quick fix, an alignment and
// a contract (proposed unsaved, then saved as a user would).
const assert = require('assert');
const fs = require('fs');
const path = require('path');

const EXTENSION_ID = 'port-parity.port-parity';
const COMMANDS = ['portParity.showPanel', 'portParity.reindex', 'portParity.alignService', 'portParity.createContract', 'portParity.exportReport'];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** Polls `fn` until it returns something truthy; the error names what was awaited. */
async function waitFor(fn, what, ms = 30000) {
  const t0 = Date.now();
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() - t0 > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
    await sleep(150);
  }
}

const hoverText = (hovers) => hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');

/** @param {typeof import('vscode')} vscode */
function checks(vscode) {
  const ctx = {};
  const folder = () => vscode.workspace.workspaceFolders[0].uri;
  const file = (rel) => vscode.Uri.joinPath(folder(), ...rel.split('/'));
  const ours = (uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'port-parity');
  const STAGING_ORDERS = 'deploy/staging/orders.yaml';

  return [
    ['the extension activates and returns its API', async () => {
      const ext = vscode.extensions.getExtension(EXTENSION_ID);
      assert.ok(ext, `${EXTENSION_ID} is installed`);
      ctx.api = await ext.activate();
      assert.equal(typeof ctx.api.matrix, 'function');
      // Reported, not asserted: the cost activation adds to VS Code's start-up.
      return `${ext.packageJSON.version}, activate() took ${ctx.api.activationMs.toFixed(1)} ms`;
    }],
    ['the five commands are registered', async () => {
      const all = await vscode.commands.getCommands(true);
      const missing = COMMANDS.filter((c) => !all.includes(c));
      assert.deepEqual(missing, []);
      return COMMANDS.length;
    }],
    ['the matrix of examples/shop arrives from the server', async () => {
      const m = await ctx.api.whenMatrix((x) => x.rows.length > 0, 60000);
      assert.deepEqual(m.environments, ['local', 'staging', 'production']);
      const orders = m.rows.find((r) => r.service === 'orders');
      assert.ok(orders && orders.drift, 'orders drifts');
      assert.deepEqual(orders.reference.ports, [9000]);
      return `${m.rows.length} services`;
    }],
    ['the status bar item counts the drifting services', async () => {
      const text = await waitFor(() => /Ports: \d+ drifts?/.test(ctx.api.statusText()) && ctx.api.statusText(), 'the status bar text');
      return text;
    }],
    ['a drifting port has a port-parity diagnostic, in files not opened too', async () => {
      const uri = file(STAGING_ORDERS);
      const ds = await waitFor(() => ours(uri).some((d) => d.code && d.code.value === 'port-parity') && ours(uri), `port-parity diagnostics in ${STAGING_ORDERS}`);
      const d = ds.find((x) => x.code.value === 'port-parity');
      assert.match(d.message, /orders listens on 8080 in staging but 9000 in production/);
      assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
      assert.equal(d.range.start.line, 27);
      assert.ok(d.relatedInformation && d.relatedInformation.length > 0, 'related information points at production');
      assert.ok(ours(file('docker-compose.yml')).length > 0, 'docker-compose.yml has findings although it was never opened');
      ctx.diagnostic = d;
      return d.message;
    }],
    ['the dotenv language and grammar apply to .env files', async () => {
      const doc = await vscode.workspace.openTextDocument(file('services/storefront/.env'));
      assert.equal(doc.languageId, 'dotenv');
      return doc.languageId;
    }],
    ['the hover on a port names the other environments', async () => {
      const uri = file(STAGING_ORDERS);
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
      const pos = ctx.diagnostic.range.start.translate(0, 1);
      const text = await waitFor(async () => {
        const t = hoverText(await vscode.commands.executeCommand('vscode.executeHoverProvider', uri, pos));
        return t.includes('production') && t.includes('local') && t;
      }, 'a hover naming production and local');
      assert.match(text, /9000/);
      return text.split('\n')[0];
    }],
    ['the hover on a port ends with a link that explains its service', async () => {
      const uri = file(STAGING_ORDERS);
      const pos = ctx.diagnostic.range.start.translate(0, 1);
      const text = await waitFor(async () => {
        const t = hoverText(await vscode.commands.executeCommand('vscode.executeHoverProvider', uri, pos));
        return t.includes('command:portParity.explainService') && t;
      }, 'the explain link in the hover');
      assert.match(text, /Explain how orders was formed\]\(command:portParity\.explainService\?/);
      return 'linked';
    }],
    ['code lenses show the service\'s ports per environment', async () => {
      const uri = file(STAGING_ORDERS);
      const lenses = await waitFor(async () => {
        const l = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', uri);
        return l && l.length && l;
      }, 'code lenses');
      const titles = lenses.map((l) => (l.command ? l.command.title : ''));
      assert.ok(titles.some((t) => /orders/.test(t) && /9000/.test(t)), JSON.stringify(titles));
      return titles[0];
    }],
    ['the quick fix aligns the port and its diagnostic goes', async () => {
      const uri = file(STAGING_ORDERS);
      const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', uri, ctx.diagnostic.range, vscode.CodeActionKind.QuickFix.value);
      const titles = actions.map((a) => a.title);
      const fix = actions.find((a) => a.isPreferred && a.edit);
      assert.ok(fix, `a preferred fix among ${JSON.stringify(titles)}`);
      assert.ok(titles.some((t) => /^Align orders in all environments to 9000/.test(t)), JSON.stringify(titles));
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      const doc = await vscode.workspace.openTextDocument(uri);
      assert.match(doc.lineAt(27).text, /9000/);
      await doc.save();
      await waitFor(() => !ours(uri).some((d) => d.code.value === 'port-parity'), 'the port-parity diagnostic to go');
      return fix.title;
    }],
    ['"Align Service in All Environments" with a service aligns it everywhere', async () => {
      await vscode.commands.executeCommand('portParity.alignService', 'orders');
      const m = await ctx.api.whenMatrix((x) => x.rows.some((r) => r.service === 'orders' && !r.drift), 30000);
      const orders = m.rows.find((r) => r.service === 'orders');
      assert.deepEqual(orders.cells.map((c) => c.ports), [[9000], [9000], [9000]]);
      await vscode.workspace.saveAll(false);
      return orders.cells.map((c) => `${c.environment} ${c.ports}`).join(', ');
    }],
    ['"Show Parity Panel" reveals the webview view', async () => {
      await vscode.commands.executeCommand('portParity.showPanel');
      return 'shown';
    }],
    ['"Export Parity Report" opens a Markdown table of the matrix and the findings', async () => {
      await vscode.commands.executeCommand('portParity.exportReport');
      const doc = await waitFor(() => {
        const d = vscode.window.activeTextEditor && vscode.window.activeTextEditor.document;
        return d && d.isUntitled && d.languageId === 'markdown' && d;
      }, 'an untitled Markdown editor');
      const text = doc.getText();
      assert.match(text, /^# Port Parity report/);
      assert.match(text, /\| Service \| local \| staging \| production \| Drift \|/);
      assert.match(text, /\| orders \| 9000 \| 9000 \| \*\*9000\*\* \(reference\) \| no \|/);
      assert.match(text, /## Findings/);
      return `${text.split('\n').length} lines`;
    }],
    ['"Create Port Contract" puts the reference ports into .portparity.yaml unsaved, to review; saving keeps them', async () => {
      const uri = file('.portparity.yaml');
      const before = fs.readFileSync(uri.fsPath, 'utf8');
      await vscode.commands.executeCommand('portParity.createContract');
      const doc = await waitFor(() => vscode.workspace.textDocuments.find((d) => d.uri.fsPath === uri.fsPath && /\n {2}orders: 9000\b/.test(d.getText())), 'the contract in the .portparity.yaml editor');
      const text = doc.getText();
      assert.match(text, /\n {2}payments: 8090\b/);
      assert.match(text, /reference: production/);
      // Nothing written before the user says so: the disk holds what it held, the editor the proposal.
      assert.ok(doc.isDirty, 'the contract is an unsaved change');
      assert.equal(fs.readFileSync(uri.fsPath, 'utf8'), before);
      const visible = vscode.window.visibleTextEditors.map((e) => path.basename(e.document.uri.fsPath));
      assert.ok(visible.includes('.portparity.yaml'), visible.join(', '));
      // The user saves it, as the message's "Save" does.
      assert.ok(await doc.save(), 'saved');
      assert.match(fs.readFileSync(uri.fsPath, 'utf8'), /\n {2}orders: 9000\b/);
      return text.split('\n').filter((l) => /^ {2}\S/.test(l)).length + ' services in the contract';
    }],
    ['"Explain Service" with a service opens its explanation, read-only, beside', async () => {
      await vscode.commands.executeCommand('portParity.explainService', 'orders');
      const doc = await waitFor(() => vscode.window.visibleTextEditors.map((e) => e.document).find((d) => d.uri.scheme === 'port-parity-explain' && /^# `orders`/.test(d.getText())), 'the explanation of orders');
      // "Create Port Contract" ran before: orders has a contract, which stands in for the reference.
      assert.match(doc.getText(), /^# `orders` \(contract: 9000\)$/m);
      assert.match(doc.getText(), /^## production: ports 9000$/m);
      assert.match(doc.getText(), /^- `deploy\/production\/orders\.yaml`: Deployment orders/m);
      return `${doc.getText().split('\n').length} lines`;
    }],
    ['"Re-index Workspace" answers', async () => {
      await vscode.commands.executeCommand('portParity.reindex');
      const m = await ctx.api.whenMatrix((x) => x.rows.length > 0);
      return `${m.rows.length} services`;
    }],
  ];
}

/** Runs every check in order; a failure is recorded and the next check still runs. */
async function runAll(vscode) {
  const results = [];
  for (const [name, fn] of checks(vscode)) {
    const t0 = Date.now();
    try {
      results.push({ name, ok: true, ms: Date.now() - t0, detail: await fn() });
    } catch (e) {
      results.push({ name, ok: false, ms: Date.now() - t0, detail: String((e && e.stack) || e) });
    }
    results[results.length - 1].ms = Date.now() - t0;
  }
  return { ok: results.every((r) => r.ok), results };
}

module.exports = { checks, runAll, waitFor, EXTENSION_ID };

// A stand-in for @vscode/test-electron's extensionTestsPath in code-server, which has none: when the
// opened folder holds `.pp-selftest.json` ({ "out": "/path/result.json" }), it runs the shared checks
// (checks.cjs, copied beside this file by test/e2e/e2e.test.mjs) and writes their results there.
// In any other folder it does nothing.
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');

async function activate() {
  const folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
  const marker = folder && path.join(folder.uri.fsPath, '.pp-selftest.json');
  if (!marker || !fs.existsSync(marker)) return;
  const { out } = JSON.parse(fs.readFileSync(marker, 'utf8'));
  let result;
  try {
    const { runAll } = require('./checks.cjs');
    result = await runAll(vscode);
  } catch (e) {
    result = { ok: false, results: [{ name: 'load the checks', ok: false, detail: String((e && e.stack) || e) }] };
  }
  fs.writeFileSync(`${out}.tmp`, JSON.stringify(result, null, 2));
  fs.renameSync(`${out}.tmp`, out);
}

module.exports = { activate, deactivate() {} };

// A second real LSP client: headless Neovim attaches dist/server.js and gets diagnostics, hover and code actions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyWorkspace, SERVER } from './lsp/harness.mjs';

const INIT = new URL('./nvim/init.lua', import.meta.url).pathname;
const FIXTURE = new URL('./lsp/workspace', import.meta.url).pathname;
const nvim = spawnSync('nvim', ['--version'], { encoding: 'utf8' });

/** Opens deploy/staging/api.yaml in headless Neovim attached to the server; what init.lua logged. */
function runNvim(env = {}) {
  const root = copyWorkspace(FIXTURE);
  const state = mkdtempSync(join(tmpdir(), 'pp-nvim-'));
  const result = join(state, 'result.txt');
  const r = spawnSync('nvim', ['--headless', '--clean', '-u', INIT, join(root, 'deploy/staging/api.yaml')], {
    encoding: 'utf8',
    timeout: 60000,
    env: { ...process.env, LSP_SERVER: SERVER, WORKSPACE: root, NVIM_RESULT: result, XDG_CACHE_HOME: state, XDG_STATE_HOME: state, XDG_DATA_HOME: state, ...env },
  });
  const out = readFileSync(result, 'utf8');
  rmSync(root, { recursive: true, force: true });
  rmSync(state, { recursive: true, force: true });
  assert.equal(r.status, 0, out);
  return out;
}

const skip = nvim.status !== 0 && 'nvim is not installed (.ci/run installs Debian\'s neovim)';

test('Neovim shows port-parity diagnostics, hover and quick-fixes for an open manifest', { skip }, () => {
  const out = runNvim();
  assert.match(out, /^DIAG 15:29 port-parity api listens on 8080 in staging but 4500 in production/m);
  assert.match(out, /^HOVER .*production \(reference\)/m);
  assert.match(out, /^ACTION Align api in staging to 4500/m);
  assert.match(out, /^BUFFER DIAGNOSTICS [1-9]/m);
});

test('Neovim gets each diagnostic\'s rule id and its docs page, and a hover it can show: no raw table, no long links', { skip }, () => {
  const out = runNvim();
  assert.match(out, /^DOCS port-parity https:\/\/\S+\/docs\/rules\/port-parity\.md$/m);
  assert.doesNotMatch(out, /^DOCS \S+ none$/m);
  // Neovim 0.7 lists Markdown first: Markdown it is, as a list (Neovim shows a table's pipes and a link's URI as they are).
  assert.match(out, /^HOVERKIND markdown$/m);
  const lines = out.split('\n').filter((l) => l.startsWith('HOVERLINE ')).map((l) => l.slice('HOVERLINE '.length));
  assert.ok(lines.some((l) => /^- staging ← this: 8080 ≠ \(deploy\/staging\/api\.yaml:\d+\)$/.test(l)), lines.join('\n'));
  assert.ok(lines.every((l) => !l.includes('|') && !l.includes('](') && l.length <= 100), lines.join('\n'));
});

test('Neovim configured for plain-text hovers gets plain text, aligned by environment', { skip }, () => {
  const out = runNvim({ NVIM_HOVER_FORMAT: 'plaintext' });
  assert.match(out, /^HOVERKIND plaintext$/m);
  const lines = out.split('\n').filter((l) => l.startsWith('HOVERLINE ')).map((l) => l.slice('HOVERLINE '.length));
  assert.ok(lines.includes('api: container port 8080 (staging)'), lines.join('\n'));
  const rows = lines.filter((l) => /^(local|staging|production)\b/.test(l));
  assert.equal(rows.length, 3, lines.join('\n'));
  assert.equal(new Set(rows.map((l) => l.search(/\d{4}/))).size, 1, lines.join('\n'));
  assert.ok(lines.every((l) => !/\*\*|\||\]\(/.test(l)), lines.join('\n'));
});

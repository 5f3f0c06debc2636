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

test('Neovim shows port-parity diagnostics, hover and quick-fixes for an open manifest', { skip: nvim.status !== 0 && 'nvim is not installed (.ci/run installs Debian\'s neovim)' }, () => {
  const root = copyWorkspace(FIXTURE);
  const state = mkdtempSync(join(tmpdir(), 'pp-nvim-'));
  const result = join(state, 'result.txt');
  const r = spawnSync('nvim', ['--headless', '--clean', '-u', INIT, join(root, 'deploy/staging/api.yaml')], {
    encoding: 'utf8',
    timeout: 60000,
    env: { ...process.env, LSP_SERVER: SERVER, WORKSPACE: root, NVIM_RESULT: result, XDG_CACHE_HOME: state, XDG_STATE_HOME: state, XDG_DATA_HOME: state },
  });
  const out = readFileSync(result, 'utf8');
  rmSync(root, { recursive: true, force: true });
  rmSync(state, { recursive: true, force: true });
  assert.equal(r.status, 0, out);
  assert.match(out, /^DIAG 15:29 port-parity api listens on 8080 in staging but 4500 in production/m);
  assert.match(out, /^HOVER .*production \(reference\)/m);
  assert.match(out, /^ACTION Align api in staging to 4500/m);
  assert.match(out, /^BUFFER DIAGNOSTICS [1-9]/m);
});

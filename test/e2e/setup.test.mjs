// Both documented ways into the end-to-end test, from a clean cache: `npm run e2e:setup`, and the first
// `npm run test:e2e`, whose harness runs setup.sh with the environment `npm run` gave it. Under `npm run`
// npm exports npm_config_user_agent (naming the outer Node, 20 here), and code-server's postinstall reads
// its Node version from there: setup.sh must install code-server under Node 24 whatever the outer npm says.
// Each case installs code-server cold (about 2.5 minutes and 800 MB), so it runs only with
// PORT_PARITY_E2E_SETUP=1: `npm run test:e2e:setup`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, setup } from './harness.mjs';

const skip = process.env.PORT_PARITY_E2E_SETUP === '1' ? false : 'PORT_PARITY_E2E_SETUP is not 1: the cold installs of the e2e setup are skipped (npm run test:e2e:setup)';
/** What `npm run` exports under Node 20, whatever runs this test. */
const NPM_RUN_ENV = { npm_config_user_agent: 'npm/11.19.1 node/v20.20.2 linux x64 workspaces/false', npm_node_execpath: '/usr/bin/node', npm_command: 'run', npm_lifecycle_event: 'test:e2e' };

/** Runs code-server --version with its config kept inside `dir`. */
function codeServerVersion(vars, dir) {
  const xdg = join(dir, 'xdg');
  mkdirSync(xdg, { recursive: true });
  const env = { ...process.env, PATH: `${vars.NODE24_BIN}:${process.env.PATH}`, XDG_CONFIG_HOME: xdg, XDG_DATA_HOME: xdg, XDG_CACHE_HOME: xdg };
  return spawnSync(vars.CODE_SERVER, ['--version'], { env, encoding: 'utf8', timeout: 60000 });
}

test('`npm run e2e:setup` installs code-server from an empty cache', { skip }, () => {
  const cache = mkdtempSync(join(tmpdir(), 'pp-e2e-setup-'));
  try {
    const r = spawnSync('npm', ['run', 'e2e:setup'], { cwd: ROOT, env: { ...process.env, E2E_CACHE: cache }, encoding: 'utf8', timeout: 15 * 60 * 1000 });
    assert.equal(r.status, 0, `npm run e2e:setup failed:\n${r.stdout}\n${r.stderr}`);
    const vars = Object.fromEntries([...r.stdout.matchAll(/^(\w+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
    assert.match(codeServerVersion(vars, cache).stdout, /^4\.139\.1 \w+ with Code 1\.139/m);
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
});

test('the first `npm run test:e2e` (the harness, in npm run\'s environment) installs code-server from an empty cache', { skip }, () => {
  const cache = mkdtempSync(join(tmpdir(), 'pp-e2e-setup-'));
  const saved = { ...process.env };
  try {
    Object.assign(process.env, NPM_RUN_ENV, { E2E_CACHE: cache });
    const vars = setup();
    assert.ok(vars.CODE_SERVER.startsWith(cache), vars.CODE_SERVER);
    assert.match(codeServerVersion(vars, cache).stdout, /^4\.139\.1 \w+ with Code 1\.139/m);
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
    rmSync(cache, { recursive: true, force: true });
  }
});

// The optional `helm template` render through the CLI (--helm-template). These machines have no helm,
// so a stand-in `helm` (a small Node script on a PATH made for the test) records how it was run and
// prints canned renders: what is tested is Port Parity's side — which binary it runs and how, and what
// it makes of the output, of an error and of no helm at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { fakeHelmWorkspace } from './helm-fake.mjs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const CLI = join(HERE, '../dist/cli.js');
const CASE = join(HERE, 'fixtures/helm-template-mismatch/invalid-helm-disagrees');

function setup(t, opts) {
  const root = mkdtempSync(join(tmpdir(), 'pp-helm-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  return fakeHelmWorkspace(root, opts);
}

function check(ws, pathEnv, extra = []) {
  const r = spawnSync(process.execPath, [CLI, 'check', ws, '--format', 'json', '--fail-on', 'never', ...extra], { encoding: 'utf8', env: { ...process.env, PATH: pathEnv } });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

const rule = (report, id) => report.findings.filter((f) => f.rule === id);

test('--helm-template runs the helm on the PATH once per chart environment, without plugins, and reports where it disagrees', (t) => {
  const { ws, bin, log } = setup(t);
  const report = check(ws, `${bin}${delimiter}${process.env.PATH}`, ['--helm-template']);
  const calls = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(calls.map((c) => c.args).sort((a, b) => a.join(' ').localeCompare(b.join(' '))), [
    ['template', '--values=./charts/api/values-prod.yaml', '--', 'api', './charts/api'],
    ['template', '--values=./charts/api/values-staging.yaml', '--', 'api', './charts/api'],
  ]);
  assert.ok(calls.every((c) => c.noPlugins === '1' && c.cwd === ws));
  const found = rule(report, 'helm-template-mismatch');
  assert.deepEqual(found.map((f) => `${f.file}:${f.line}`).sort(), ['charts/api/templates/deployment.yaml:1', 'charts/api/values-prod.yaml:3']);
  assert.match(found.find((f) => f.file.endsWith('values-prod.yaml')).message, /^In production, helm template renders Deployment\/api container api env PORT as 9095 where Port Parity's evaluation of the chart reads 9090/);
});

test('without --helm-template nothing is run and the rule is silent', (t) => {
  const { ws, bin, log } = setup(t);
  const report = check(ws, `${bin}${delimiter}${process.env.PATH}`);
  assert.throws(() => readFileSync(log), /ENOENT/);
  assert.deepEqual(rule(report, 'helm-template-mismatch'), []);
});

test('a helm error is said as skipped-source at Chart.yaml, with helm\'s error line', (t) => {
  const { ws, bin } = setup(t, { fail: true });
  const report = check(ws, `${bin}${delimiter}${process.env.PATH}`, ['--helm-template']);
  const notes = rule(report, 'skipped-source').filter((f) => /helm template/.test(f.message));
  assert.ok(notes.length >= 1);
  assert.ok(notes.every((f) => f.file === 'charts/api/Chart.yaml' && /Error: chart requires kubeVersion/.test(f.message)), JSON.stringify(notes));
  assert.deepEqual(rule(report, 'helm-template-mismatch'), []);
});

/** The CLI's exit code and stderr. */
function run(args, pathEnv) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, PATH: pathEnv } });
}

test('--helm-template without a helm to run stops with exit 2 and says why, once', (t) => {
  const { ws } = setup(t);
  const r = run(['check', ws, '--helm-template'], join(tmpdir(), 'pp-no-such-dir'));
  assert.equal(r.status, 2, r.stdout + r.stderr);
  assert.equal(r.stderr.trim(), 'port-parity: --helm-template: no helm on the PATH');
  const named = run(['check', ws, '--helm-template', '--helm', join(tmpdir(), 'pp-no-such-helm')], process.env.PATH);
  assert.equal(named.status, 2);
  assert.match(named.stderr, /--helm-template: .*pp-no-such-helm is not an executable file/);
});

test('a helm inside the checked folder is never run, whether the PATH or --helm names it', (t) => {
  const { ws, bin, log } = setup(t);
  cpSync(join(bin, 'helm'), join(ws, 'helm'));
  chmodSync(join(ws, 'helm'), 0o755);
  for (const [args, pathEnv] of [[['--helm-template'], `${ws}${delimiter}${process.env.PATH}`], [['--helm-template', '--helm', join(ws, 'helm')], process.env.PATH]]) {
    const r = run(['check', ws, ...args], pathEnv);
    assert.equal(r.status, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /lies inside the workspace: Port Parity never runs a program from the workspace/);
  }
  assert.throws(() => readFileSync(log), /ENOENT/);
});

test('--helm without --helm-template, and --helm-template with fix, are usage errors', () => {
  for (const args of [['check', '.', '--helm', '/usr/bin/helm'], ['fix', '.', '--helm-template']]) {
    const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: CASE });
    assert.equal(r.status, 2, r.stdout + r.stderr);
  }
});

// Issue 15.1: no workspace string reaches `helm template` where helm could read it as an option. A
// stand-in helm parses its argv as helm (cobra) does — options up to `--`, `--values` split as CSV —
// records it, runs the program a `--post-renderer` names (as helm would), and prints a render that
// uses the release name it was given, so that a `.Release.Name` the evaluator spells differently
// shows up as a helm-template-mismatch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '../../dist/cli.js');

const FAKE = (log) => `#!${process.execPath}
const fs = require('fs');
const { execFileSync } = require('child_process');
const args = process.argv.slice(2);
const dash = args.indexOf('--');
const opts = dash < 0 ? args.slice(1).filter((a) => a.startsWith('-')) : args.slice(1, dash);
const pos = dash < 0 ? args.slice(1).filter((a) => !a.startsWith('-')) : args.slice(dash + 1);
const csv = (v) => (v.startsWith('"') ? [v.slice(1, -1).replace(/""/g, '"')] : v.split(','));
const values = opts.filter((a) => a.startsWith('--values=')).flatMap((a) => csv(a.slice(9)));
fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify({ args, values, pos }) + '\\n');
for (const o of opts) if (o.startsWith('--post-renderer=')) execFileSync(o.slice(16));
for (const v of values) if (!fs.existsSync(v)) { process.stderr.write('Error: open ' + v + ': no such file or directory\\n'); process.exit(1); }
const port = /9090/.test(values.map((v) => fs.readFileSync(v, 'utf8')).join('')) ? 9090 : 8080;
// helm's render is the chart's template with the release name and the port put in.
const template = ${JSON.stringify(TEMPLATE)};
process.stdout.write('---\\n# Source: web/templates/deployment.yaml\\n' + template.replace('{{ .Release.Name }}', () => pos[0]).replace('{{ .Values.port }}', String(port)));
`;

const TEMPLATE = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: web
          ports:
            - containerPort: {{ .Values.port }}
`;

function chart(ws, dir, name) {
  mkdirSync(join(ws, dir, 'templates'), { recursive: true });
  writeFileSync(join(ws, dir, 'Chart.yaml'), `apiVersion: v2\nname: ${JSON.stringify(name)}\nversion: 0.1.0\n`);
  writeFileSync(join(ws, dir, 'values.yaml'), 'port: 8080\n');
  writeFileSync(join(ws, dir, 'values-prod.yaml'), 'port: 9090\n');
  writeFileSync(join(ws, dir, 'values-staging.yaml'), 'port: 9090\n');
  writeFileSync(join(ws, dir, 'templates', 'deployment.yaml'), TEMPLATE);
}

test('a chart or values file named like an option never becomes a helm option, and the release name is the one the evaluator uses', (t) => {
  const root = mkdtempSync(join(tmpdir(), 'pp-helm-argv-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const ws = join(root, 'ws');
  const bin = join(root, 'bin');
  mkdirSync(bin);
  mkdirSync(ws);
  const log = join(root, 'calls.jsonl');
  const pwned = join(root, 'pwned');
  writeFileSync(join(bin, 'helm'), FAKE(log));
  chmodSync(join(bin, 'helm'), 0o755);
  writeFileSync(join(ws, 'pwn.sh'), `#!/bin/sh\ntouch ${JSON.stringify(pwned)}\n`);
  chmodSync(join(ws, 'pwn.sh'), 0o755);
  chart(ws, '--post-renderer=pwn.sh', '--post-renderer=./pwn.sh');
  chart(ws, '--set=x', '--set=x');
  chart(ws, 'a,--post-renderer=pwn.sh', 'Web_App');
  const r = spawnSync(process.execPath, [CLI, 'check', ws, '--format', 'json', '--fail-on', 'never', '--helm-template'], { encoding: 'utf8', cwd: ws, env: { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH}` } });
  assert.equal(r.status, 0, r.stderr);
  const calls = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(calls.length, 6, JSON.stringify(calls));
  for (const { args, values, pos } of calls) {
    assert.equal(args[0], 'template');
    const dash = args.indexOf('--');
    assert.ok(dash > 0, `no -- in ${JSON.stringify(args)}`);
    // Before `--` only our own --values flags; each names a ./ path that exists.
    assert.ok(args.slice(1, dash).every((a) => /^--values="?\.\//.test(a)), JSON.stringify(args));
    assert.ok(values.length === 1 && values.every((v) => v.startsWith('./') && existsSync(join(ws, v))), JSON.stringify(values));
    assert.equal(pos.length, 2);
    assert.match(pos[0], /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    assert.ok(pos[1].startsWith('./'), pos[1]);
  }
  assert.deepEqual([...new Set(calls.map((c) => c.pos[0]))].sort(), ['post-renderer-pwn-sh', 'set-x', 'web-app']);
  assert.equal(existsSync(pwned), false, 'pwn.sh ran');
  const report = JSON.parse(r.stdout);
  // helm's render (named after the release it was given) agrees with the evaluator's .Release.Name.
  assert.deepEqual(report.findings.filter((f) => f.rule === 'helm-template-mismatch'), []);
  assert.deepEqual(report.findings.filter((f) => f.rule === 'skipped-source' && /helm template/.test(f.message)), []);
});

// The CLI as a terminal user and VS Code's tasks read it: paths that open from where the command ran,
// the compact format, the summary's wording and fix hint, --help, fix's parity with the editor's quick
// fixes (--unsafe), the problem matchers against real output, and what the package says about itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import api from '../dist/api.js';
import lib from '../dist/client-lib.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const WORKSPACE = join(ROOT, 'test', 'lsp', 'workspace');
const SHOP = join(ROOT, 'examples', 'shop');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

function run(args, opts = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: ROOT, ...opts, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', ...opts.env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function copyOf(dir) {
  const to = mkdtempSync(join(tmpdir(), 'pp-out-'));
  cpSync(dir, to, { recursive: true });
  return to;
}

const findingsOf = (dir) => JSON.parse(run(['check', dir, '--format', 'json']).out).findings;

test('text, compact and github paths open from the current folder: relative under it, absolute outside it; JSON keeps the checked folder as its base', () => {
  const text = run(['check', 'test/lsp/workspace']);
  assert.match(text.out, /^test\/lsp\/workspace\/deploy\/staging\/api\.yaml\n\s+16:30\s+warning\s+api listens on 8080 in staging but 4500 in production/m);
  const compact = run(['check', 'test/lsp/workspace', '--format', 'compact']).out;
  assert.match(compact, /^test\/lsp\/workspace\/deploy\/staging\/api\.yaml:16:30: warning api listens on 8080 in staging/m);
  assert.match(run(['check', 'test/lsp/workspace', '--format', 'github']).out, /^::warning file=test\/lsp\/workspace\/deploy\/staging\/api\.yaml,line=16,/m);
  // From a folder inside the checked one, and from one outside it.
  assert.match(run(['check', '..', '--format', 'compact'], { cwd: join(WORKSPACE, 'deploy') }).out, /^staging\/api\.yaml:16:30: /m);
  const outside = mkdtempSync(join(tmpdir(), 'pp-cwd-'));
  const abs = run(['check', WORKSPACE, '--format', 'compact'], { cwd: outside }).out;
  assert.match(abs, new RegExp(`^${WORKSPACE.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/deploy/staging/api\\.yaml:16:30: `, 'm'));
  // GitHub reads annotation paths in the checkout: from outside the checked folder they stay relative to it.
  assert.match(run(['check', WORKSPACE, '--format', 'github'], { cwd: outside }).out, /^::warning file=deploy\/staging\/api\.yaml,line=16,/m);
  // Every file a terminal is shown opens from where the command ran.
  for (const [cwd, dir] of [[ROOT, 'examples/shop'], [join(SHOP, 'deploy'), '..'], [outside, SHOP]]) {
    const files = run(['check', dir, '--format', 'compact'], { cwd }).out.trim().split('\n').map((l) => l.slice(0, l.search(/:\d+:\d+: /)));
    assert.ok(files.length > 5);
    for (const f of files) assert.ok(existsSync(resolve(cwd, f)) && (isAbsolute(f) || !f.startsWith('..')), `${f} from ${cwd}`);
  }
  assert.ok(findingsOf('test/lsp/workspace').some((f) => f.file === 'deploy/staging/api.yaml'));
});

test('--format compact prints every finding on one line, file:line:col: severity message [rule], and nothing else', () => {
  const json = findingsOf('examples/shop');
  const lines = run(['check', 'examples/shop', '--format', 'compact']).out.trimEnd().split('\n');
  assert.deepEqual(lines, json.map((f) => `examples/shop/${f.file}:${f.line}:${f.column}: ${f.severity} ${f.message} [${f.rule}]`));
  assert.equal(run(['check', 'examples/clean', '--format', 'compact']).out, '');
  assert.equal(run(['check', 'examples/shop', '--format', 'compact', '--fail-on', 'warning']).code, 1);
});

test('the summary says "no problems" once, counts in the singular where it is one, and says how many findings fix would fix', () => {
  const clean = run(['check', 'examples/clean']).out.trim();
  assert.match(clean, /^No port problems in \d+ files; 0 suppressed/);
  assert.doesNotMatch(clean, /problems \(|0 problems/);
  const shop = run(['check', 'examples/shop']).out;
  const findings = findingsOf('examples/shop');
  const safe = findings.filter((f) => f.fix && api.RULE_META.get(f.rule).fixable).length;
  const unsafe = findings.filter((f) => f.fix && api.RULE_META.get(f.rule).hasSuggestions).length;
  assert.ok(safe > 0 && unsafe > 0);
  assert.match(shop, new RegExp(`^\\d+ problems \\(\\d+ errors, \\d+ warnings, 0 info\\) in \\d+ files; 0 suppressed\\n {2}${safe} fixable with \`port-parity fix\` \\(${unsafe} more with \`port-parity fix --unsafe\`\\)\\n$`, 'm'));
  // One service in one environment, one error: said in the singular.
  const one = mkdtempSync(join(tmpdir(), 'pp-one-'));
  writeFileSync(join(one, 'compose.yaml'), 'services:\n  web:\n    image: web\n    ports: ["8080:99999"]\n');
  assert.match(run(['check', one]).out, /^1 problem \(1 error, 0 warnings, 0 info\) in 1 file; 0 suppressed$/m);
  writeFileSync(join(one, 'compose.yaml'), 'services:\n  web:\n    image: web\n    ports: ["8080:8080"]\n');
  assert.match(run(['matrix', one]).out, /; 1 service, 1 environment, 0 drifting$/m);
  assert.match(run(['check', one]).out, /^No port problems in 1 file; 0 suppressed/m);
});

test('--help names every format the registry reads and every output format', () => {
  const help = run(['--help']).out;
  for (const f of api.FORMATS) assert.ok(help.includes(f.title), `--help names ${f.title}`);
  for (const name of ['Helm', 'Kustomiz']) assert.match(help, new RegExp(name));
  assert.match(help, /--format text\|compact\|json\|sarif\|github/);
  assert.match(help, /port-parity fix \[DIR\] \[--rule ID\.\.\.\] \[--unsafe\]/);
});

test('fix reaches every quick fix the editor offers: aligning fixes by default, the others with --unsafe; a rule with no fix, or a judgement without --unsafe, says so with exit 2', () => {
  const dir = copyOf(SHOP);
  const before = findingsOf(dir);
  const judged = before.filter((f) => f.fix && api.RULE_META.get(f.rule).hasSuggestions);
  assert.deepEqual([...new Set(judged.map((f) => f.rule))].sort(), ['loopback-bind', 'probe-port', 'service-target-port']);
  const probe = run(['fix', dir, '--rule', 'probe-port']);
  assert.equal(probe.code, 2);
  assert.match(probe.err, /^port-parity: probe-port's fixes are not pure alignment .*: add --unsafe to apply them\n$/);
  const none = run(['fix', dir, '--rule', 'duplicate-port']);
  assert.equal(none.code, 2);
  assert.match(none.err, /^port-parity: duplicate-port has no fix/);
  assert.equal(run(['check', dir, '--unsafe']).code, 2);
  assert.deepEqual(findingsOf(dir), before, 'nothing changed');
  // The default fix leaves the judgements alone; --unsafe applies them, byte for byte at their tokens.
  const apiYaml = join(dir, 'deploy/production/api.yaml');
  const original = `\ufeff${readFileSync(apiYaml, 'utf8').replace(/\n/g, '\r\n')}`;
  writeFileSync(apiYaml, original);
  assert.equal(run(['fix', dir]).code, 0);
  const afterSafe = findingsOf(dir);
  const left = afterSafe.filter((f) => f.fix);
  assert.ok(left.length >= judged.length && left.every((f) => api.RULE_META.get(f.rule).hasSuggestions), left.map((f) => f.rule).join(', '));
  const r = run(['fix', dir, '--unsafe', '--rule', 'probe-port']);
  assert.equal(r.code, 0, r.err);
  assert.equal(readFileSync(apiYaml, 'utf8'), original.replace('path: /metrics\r\n              port: 9100', 'path: /metrics\r\n              port: 8000'));
  assert.equal(run(['fix', dir, '--unsafe']).code, 0);
  assert.deepEqual(findingsOf(dir).filter((f) => f.fix), [], 'every offered fix was applied');
  assert.match(run(['fix', dir, '--unsafe']).out, /^Changed 0 files for 0 findings\.$/m);
});

/** VS Code's matching of a problem matcher's patterns over output lines (one pattern, or a file line then a loop). */
function matchProblems(matcher, output) {
  const patterns = (Array.isArray(matcher.pattern) ? matcher.pattern : [matcher.pattern]).map((p) => ({ ...p, re: new RegExp(p.regexp) }));
  const problems = [];
  const lines = output.split('\n');
  const take = (p, m, into) => { for (const k of ['file', 'line', 'column', 'severity', 'message', 'code']) if (p[k]) into[k] = m[p[k]]; };
  for (let i = 0; i < lines.length; i++) {
    const first = patterns[0].re.exec(lines[i]);
    if (!first) continue;
    const data = {};
    take(patterns[0], first, data);
    if (patterns.length === 1) {
      problems.push(data);
      continue;
    }
    const loop = patterns[1];
    let m;
    while (i + 1 < lines.length && (m = loop.re.exec(lines[i + 1]))) {
      const d = { ...data };
      take(loop, m, d);
      problems.push(d);
      i++;
    }
  }
  return problems.map((p) => ({ ...p, line: Number(p.line), column: Number(p.column) }));
}

const matcher = (name) => pkg.contributes.problemMatchers.find((m) => m.name === name);
const expected = (findings, prefix) => findings.map((f) => ({ file: `${prefix}${f.file}`, line: f.line, column: f.column, severity: f.severity, message: f.message, code: f.rule }));
const strip = (s) => s.replace(/\u001b\[[0-9;]*m/g, '');

test('$port-parity reads the text report (plain, or coloured with the colours removed) and $port-parity-compact the compact one: every finding, with its place, severity, message and rule', () => {
  const findings = findingsOf('examples/shop');
  const want = expected(findings, 'examples/shop/');
  assert.deepEqual(matchProblems(matcher('port-parity'), run(['check', 'examples/shop']).out), want);
  const coloured = run(['check', 'examples/shop'], { env: { FORCE_COLOR: '1', NO_COLOR: '' } }).out;
  assert.ok(coloured.includes('\u001b['));
  assert.deepEqual(matchProblems(matcher('port-parity'), strip(coloured)), want);
  assert.deepEqual(matchProblems(matcher('port-parity-compact'), run(['check', 'examples/shop', '--format', 'compact']).out), want);
  // Nothing else in the output reads as a problem.
  assert.deepEqual(matchProblems(matcher('port-parity'), run(['check', 'examples/clean']).out), []);
  // relative, not autoDetect: VS Code ends a task's matching 100 ms after exit, before autoDetect's file checks end (the e2e test saw the last file's problems lost).
  for (const m of pkg.contributes.problemMatchers) assert.deepEqual(m.fileLocation, ['relative', '${workspaceFolder}']);
});

test('the port-parity task definition runs the CLI in the workspace folder with the matcher for its format', () => {
  const def = pkg.contributes.taskDefinitions.find((d) => d.type === 'port-parity');
  assert.deepEqual(def.properties.command.enum, ['check', 'fix']);
  const dir = copyOf(WORKSPACE);
  const want = expected(findingsOf(dir), '');
  for (const args of [undefined, ['--format', 'compact'], ['--format=compact', '--fail-on', 'never']]) {
    const task = { type: 'port-parity', command: 'check', ...(args ? { args } : {}) };
    const [name] = lib.taskMatcher(task);
    const argv = lib.taskArgs(CLI, task);
    const r = spawnSync(process.execPath, argv, { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    assert.deepEqual(matchProblems(matcher(name.slice(1)), r.stdout), want, `${name} ${JSON.stringify(args)}`);
  }
  assert.deepEqual(lib.taskMatcher({ type: 'port-parity', command: 'fix' }), []);
  assert.deepEqual(lib.taskArgs(CLI, { type: 'port-parity', command: 'fix', folder: 'deploy', args: ['--dry-run'] }), [CLI, 'fix', 'deploy', '--dry-run']);
  assert.match(lib.taskArgs(CLI, { type: 'port-parity', command: 'rm' }), /command is check or fix/);
  // The matcher reads paths relative to the workspace folder: a folder outside it (absolute paths) is refused.
  for (const folder of ['..', '../other', 'deploy/../..', '/srv/app', 'C:\\app']) assert.match(lib.taskArgs(CLI, { type: 'port-parity', command: 'check', folder }), /folder inside the workspace folder/, folder);
  assert.deepEqual(lib.taskArgs(CLI, { type: 'port-parity', command: 'check', folder: './deploy/../services' }), [CLI, 'check', './deploy/../services']);
});

test('the package names one home: repository, homepage and SARIF informationUri agree with the docs links', () => {
  assert.equal(pkg.repository.url, `${api.HOME_URL}.git`);
  assert.ok(pkg.homepage.startsWith(api.HOME_URL), pkg.homepage);
  assert.ok(pkg.bugs.url.startsWith(api.HOME_URL), pkg.bugs.url);
  assert.ok(api.DOCS_URL.startsWith(`${api.HOME_URL}/`));
  assert.match(pkg.scripts['package:vsix'], new RegExp(`--baseContentUrl ${api.HOME_URL}/blob/main `));
  const sarif = JSON.parse(run(['check', 'examples/clean', '--format', 'sarif']).out);
  assert.equal(sarif.runs[0].tool.driver.informationUri, api.HOME_URL);
  assert.doesNotMatch(JSON.stringify(pkg), /example\.invalid/);
});

test('the shipped bundles are minified and keep function names for stack traces; the tests\' bundles are not', () => {
  for (const [name, fn] of [['cli.js', 'textReport'], ['server.js', 'registerCodeActions'], ['extension.js', 'registerTasks']]) {
    const js = readFileSync(join(ROOT, 'dist', name), 'utf8');
    assert.ok(js.split('\n').length < 3000, `dist/${name} has ${js.split('\n').length} lines`);
    assert.match(js, new RegExp(`function ${fn}\\(`), `dist/${name} keeps the name ${fn}`);
  }
  assert.ok(readFileSync(join(ROOT, 'dist', 'api.js'), 'utf8').split('\n').length > 10000);
});

test('the README shows the CLI as it is: its usage lines are --help\'s, its example output is check\'s', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const usage = readme.slice(readme.indexOf('## The CLI')).split('```')[1].trim().split('\n');
  const help = run(['--help']).out;
  for (const line of usage) assert.ok(help.includes(line), `--help has "${line}"`);
  const example = readme.slice(readme.indexOf('$ port-parity check examples/shop')).split('```')[0].trim().split('\n').slice(1).filter((l) => l !== '…');
  const out = run(['check', 'examples/shop']).out.split('\n');
  assert.ok(example.length >= 4);
  for (const line of example) assert.ok(out.includes(line), `check examples/shop prints "${line}"`);
});

test('the npm package holds what `npx port-parity` and other LSP clients run, not the tests or sources', () => {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['pack', '--dry-run', '--json'], { cwd: ROOT, encoding: 'utf8', timeout: 120000 });
  assert.equal(r.status, 0, r.stderr);
  const [p] = JSON.parse(r.stdout);
  assert.deepEqual(p.files.map((f) => f.path).sort(), ['LICENSE', 'README.md', 'dist/cli.js', 'dist/server.js', 'package.json', 'schemas/portparity.schema.json']);
  assert.equal(pkg.bin['port-parity'], 'dist/cli.js');
  assert.ok(readFileSync(CLI, 'utf8').startsWith('#!/usr/bin/env node\n'));
});

test('matrix names the unmarked environment in words and says what it is; JSON keeps its key', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pp-unmarked-'));
  writeFileSync(join(dir, 'api.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  selector: {matchLabels: {app: api}}\n  template:\n    metadata: {labels: {app: api}}\n    spec:\n      containers:\n        - name: api\n          image: api\n          ports: [{containerPort: 8080}]\n');
  const text = run(['matrix', dir]);
  assert.match(text.out, /^service +unmarked \(base\)$/m);
  assert.match(text.out, /^unmarked \(base\): the files no folder or file name marks with an environment/m);
  assert.match(run(['matrix', dir, '--format', 'markdown']).out, /^\| service \| unmarked \(base\) \|$/m);
  assert.deepEqual(JSON.parse(run(['matrix', dir, '--format', 'json']).out).environments, ['default']);
});

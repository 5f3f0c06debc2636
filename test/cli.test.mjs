// The port-parity CLI as CI runs it: exit codes, the report formats, and `fix`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CLI = new URL('../dist/cli.js', import.meta.url).pathname;
const WORKSPACE = new URL('./lsp/workspace', import.meta.url).pathname;
const CHECK_REPORT = new URL('../../shared/tools/check-report.mjs', import.meta.url).pathname;

function run(args, opts = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', ...opts });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function copy() {
  const dir = mkdtempSync(join(tmpdir(), 'pp-cli-'));
  cpSync(WORKSPACE, dir, { recursive: true });
  return dir;
}

test('--help and --version answer and exit 0', () => {
  const h = run(['--help']);
  assert.equal(h.code, 0);
  assert.match(h.out, /port-parity check \[DIR\.\.\.\]/);
  const v = run(['--version']);
  assert.equal(v.code, 0);
  assert.match(v.out, /^\d+\.\d+\.\d+/);
});

test('an unknown option, a missing directory and a missing command are one-line errors with exit 2', () => {
  for (const args of [['check', '--frobnicate'], ['check', '/no/such/dir'], [], ['check', '--format', 'xml']]) {
    const r = run(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.equal(r.err.trim().split('\n').length, 1, r.err);
    assert.match(r.err, /^port-parity: /);
  }
});

test('exit code follows --fail-on: warnings pass by default and fail with --fail-on warning', () => {
  assert.equal(run(['check', WORKSPACE]).code, 0);
  assert.equal(run(['check', WORKSPACE, '--fail-on', 'warning']).code, 1);
  assert.equal(run(['check', WORKSPACE, '--fail-on=never']).code, 0);
});

test('a bad .portparity.yaml is reported with file and line, exit 2', () => {
  const dir = copy();
  writeFileSync(join(dir, '.portparity.yaml'), 'reference: production\nrules:\n  no-such-rule: error\nservices:\n  api: 70000\n');
  const r = run(['check', dir]);
  assert.equal(r.code, 2);
  assert.match(r.err, /\.portparity\.yaml:3:3: unknown rule "no-such-rule"/);
  assert.match(r.err, /\.portparity\.yaml:5:8: services\.api: "70000" is not a port number/);
});

test('a service named like an Object property (constructor) has no contract unless the config gives it one: checked and tabled, no crash', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pp-cli-'));
  writeFileSync(join(dir, 'compose.yaml'), 'services:\n  constructor:\n    image: x\n');
  writeFileSync(join(dir, 'compose.staging.yaml'), 'services:\n  constructor:\n    ports: ["8080:8080"]\n');
  writeFileSync(join(dir, 'compose.prod.yaml'), 'services:\n  constructor:\n    ports: ["8080:9090"]\n');
  const r = run(['check', dir, '--format', 'json']);
  assert.equal(r.err, '');
  assert.ok(JSON.parse(r.out).findings.some((f) => f.rule === 'port-parity' && f.service === 'constructor'), r.out);
  const m = run(['matrix', dir]);
  assert.equal(m.code, 0, m.err);
  assert.match(m.out, /^constructor\s+-\s+8080 ≠\s+9090 \*/m);
  writeFileSync(join(dir, '.portparity.yaml'), 'services:\n  constructor: 9090\n');
  const c = JSON.parse(run(['check', dir, '--format', 'json']).out);
  assert.ok(c.findings.some((f) => f.rule === 'contract' && f.service === 'constructor'), JSON.stringify(c.findings));
});

test('the JSON report has the agreed shape, with 1-based positions relative to the checked folder', (t) => {
  const r = run(['check', WORKSPACE, '--format', 'json']);
  const report = JSON.parse(r.out);
  assert.equal(report.version, 1);
  assert.deepEqual(report.environments, ['local', 'staging', 'production']);
  const f = report.findings.find((x) => x.rule === 'port-parity' && x.file === 'deploy/staging/api.yaml');
  assert.ok(f);
  assert.deepEqual([f.line, f.column, f.endLine, f.endColumn], [16, 30, 16, 34]);
  assert.equal(f.fix.edits[0].newText, '4500');
  const api = report.services.find((s) => s.name === 'api');
  assert.ok(api.ports.some((p) => p.environment === 'production' && p.port === 4500));
  if (!existsSync(CHECK_REPORT)) {
    t.skip('shared/tools/check-report.mjs is not beside this clone: shape checked by the assertions above only');
    return;
  }
  const shape = spawnSync(process.execPath, [CHECK_REPORT], { input: r.out, encoding: 'utf8' });
  assert.equal(shape.status, 0, shape.stdout);
});

test('SARIF output is SARIF 2.1.0 with rules, help URIs and exact regions', () => {
  const r = run(['check', WORKSPACE, '--format', 'sarif']);
  const s = JSON.parse(r.out);
  assert.equal(s.version, '2.1.0');
  const driver = s.runs[0].tool.driver;
  assert.ok(driver.rules.length >= 10);
  for (const rule of driver.rules) assert.match(rule.helpUri, new RegExp(`docs/rules/${rule.id}\\.md$`));
  const res = s.runs[0].results.find((x) => x.ruleId === 'port-parity');
  assert.equal(res.level, 'warning');
  assert.deepEqual(res.locations[0].physicalLocation.region, { startLine: 16, startColumn: 30, endLine: 16, endColumn: 34 });
  assert.equal(driver.rules[res.ruleIndex].id, 'port-parity');
});

test('SARIF URIs are valid: an absolute informationUri, artifact paths percent-encoded, no relative base uri', () => {
  const dir = copy();
  const odd = 'deploy/staging/api v2#1%.yaml';
  writeFileSync(join(dir, odd), readFileSync(join(dir, 'deploy/staging/api.yaml')));
  writeFileSync(join(dir, 'deploy/staging/api.yaml'), '');
  const s = JSON.parse(run(['check', dir, '--format', 'sarif']).out);
  const driver = s.runs[0].tool.driver;
  assert.equal(driver.informationUri, new URL(driver.informationUri).href);
  assert.ok(!driver.informationUri.includes('/../'), driver.informationUri);
  // A base id without a uri: a relative one is not allowed there, and the consumer knows the folder.
  assert.equal(s.runs[0].originalUriBaseIds['%SRCROOT%'].uri, undefined);
  const uris = s.runs[0].results.flatMap((x) => [...x.locations, ...x.relatedLocations].map((l) => l.physicalLocation.artifactLocation.uri));
  assert.ok(uris.includes('deploy/staging/api%20v2%231%25.yaml'), uris.join(' '));
  const json = JSON.parse(run(['check', dir, '--format', 'json']).out);
  assert.deepEqual(new Set(s.runs[0].results.map((x) => decodeURIComponent(x.locations[0].physicalLocation.artifactLocation.uri))), new Set(json.findings.map((f) => f.file)));
});

test('GitHub format prints one workflow annotation per finding', () => {
  const r = run(['check', WORKSPACE, '--format', 'github']);
  const lines = r.out.trim().split('\n');
  assert.ok(lines.length >= 1);
  for (const l of lines) assert.match(l, /^::(error|warning|notice) file=[^,]+,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=port-parity [a-z-]+::.+/);
});

test('text output has no colour codes when not on a terminal', () => {
  const r = run(['check', WORKSPACE]);
  assert.ok(!r.out.includes('\u001b['));
  assert.match(r.out, /deploy\/staging\/api\.yaml\n\s+16:30\s+warning\s+api listens on 8080 in staging but 4500 in production/);
});

test('matrix prints services by environment in text, markdown and json', () => {
  const t = run(['matrix', WORKSPACE]);
  assert.equal(t.code, 0);
  assert.match(t.out, /service\s+local\s+staging\s+production/);
  assert.match(t.out, /api\s+8080 ≠\s+8080 ≠\s+4500 \*/);
  assert.match(run(['matrix', WORKSPACE, '--format', 'markdown']).out, /^\| service \| local \| staging \| production \|/);
  const j = JSON.parse(run(['matrix', WORKSPACE, '--format', 'json']).out);
  assert.equal(j.rows[0].service, 'api');
});

test('explain says how each service was formed: its files per environment and variant, why each joined, and why each is in its environment', () => {
  const dir = new URL('./fixtures/port-parity/invalid-compose-variant-file', import.meta.url).pathname;
  const r = run(['explain', dir]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^api$/m);
  assert.match(r.out, /^ {2}local: ports 8080\n {4}docker-compose\.yml: compose service "api" of the project in \. \[local: what it is \(an unmarked compose project runs locally/m);
  assert.match(r.out, /^ {2}local, variant docker-compose\.images\.yml: ports 3000\n {4}docker-compose\.images\.yml: compose service "api" of the project in \.; a variant: docker-compose\.images\.yml defines the service too/m);
  assert.match(r.out, /^ {2}production \(reference\): ports 8080\n {4}k8s\/prod\/api\.yaml: Deployment api in namespace default, its own container api \[production: its path or name\]$/m);
  const one = run(['explain', new URL('./lsp/workspace', import.meta.url).pathname, '--service', 'api']);
  assert.equal(one.code, 0, one.err);
  assert.match(one.out, /its image: /);
  const none = run(['explain', dir, '--service', 'nope']);
  assert.equal(none.code, 2);
  assert.match(none.err, /no service named nope/);
  assert.equal(run(['check', dir, '--service', 'api']).code, 2);
});

test('check on a folder with no file Port Parity reads says nothing was checked, not that there are no problems', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pp-none-'));
  writeFileSync(join(dir, 'appsettings.json'), '{ "Kestrel": { "Endpoints": { "Http": { "Url": "http://+:8080" } } } }\n');
  const r = run(['check', dir]);
  assert.equal(r.code, 0);
  assert.match(r.out, /^Nothing checked: no file here is one Port Parity reads \(Dockerfile, Compose file/m);
  assert.doesNotMatch(r.out, /No port problems/);
});

test('matrix shows a variant (another compose file defining the service) as a sub-row where its ports differ, and not where they agree', () => {
  const fixtures = new URL('./fixtures/port-parity/', import.meta.url).pathname;
  const differs = run(['matrix', join(fixtures, 'invalid-compose-variant-file')]);
  assert.equal(differs.code, 0);
  assert.match(differs.out, /^api\s+8080\s+8080 \*$/m);
  assert.match(differs.out, /^ {2}↳ docker-compose\.images\.yml\s+3000 ≠\s+-$/m);
  assert.match(differs.out, /1 service \(↳ a variant/);
  const j = JSON.parse(run(['matrix', join(fixtures, 'invalid-compose-variant-file'), '--format', 'json']).out);
  assert.deepEqual(j.rows.map((r) => [r.service, r.variant]), [['api', undefined], ['api', 'docker-compose.images.yml']]);
  const same = run(['matrix', join(fixtures, 'valid-compose-default-name-over-alphabetical')]);
  assert.doesNotMatch(same.out, /↳/);
  assert.match(same.out, /^api\s+8080\s+8080 \*$/m);
});

test('fix --dry-run prints the diff and changes nothing; fix applies it and the drift is gone', () => {
  const dir = copy();
  const before = readFileSync(join(dir, 'deploy/staging/api.yaml'), 'utf8');
  const dry = run(['fix', dir, '--rule', 'port-parity', '--dry-run']);
  assert.equal(dry.code, 0);
  assert.match(dry.out, /--- a\/deploy\/staging\/api\.yaml\n\+\+\+ b\/deploy\/staging\/api\.yaml\n@@ /);
  assert.match(dry.out, /-\s+- containerPort: 8080 # keep in sync with the Dockerfile\n\+\s+- containerPort: 4500 # keep in sync with the Dockerfile/);
  assert.equal(readFileSync(join(dir, 'deploy/staging/api.yaml'), 'utf8'), before);
  const real = run(['fix', dir, '--rule', 'port-parity']);
  assert.equal(real.code, 0);
  assert.equal(readFileSync(join(dir, 'deploy/staging/api.yaml'), 'utf8'), before.replace('containerPort: 8080 #', 'containerPort: 4500 #'));
  const after = JSON.parse(run(['check', dir, '--format', 'json']).out);
  assert.deepEqual(after.findings.filter((f) => f.rule === 'port-parity'), []);
  const again = run(['fix', dir, '--rule', 'port-parity']);
  assert.match(again.out, /Changed 0 files/);
});

test('fix --dry-run on a CRLF file with a BOM prints its changed line at its line number, with no \\r, and fix keeps both', () => {
  const dir = copy();
  const file = join(dir, 'deploy/staging/api.yaml');
  const before = `\ufeff${readFileSync(file, 'utf8').replace(/\n/g, '\r\n')}`;
  writeFileSync(file, before);
  const dry = run(['fix', dir, '--rule', 'port-parity', '--dry-run']);
  assert.equal(dry.code, 0, dry.err);
  const diff = dry.out.slice(dry.out.indexOf('--- a/deploy/staging/api.yaml'));
  assert.match(diff, /^--- a\/deploy\/staging\/api\.yaml\n\+\+\+ b\/deploy\/staging\/api\.yaml\n@@ -13,7 \+13,7 @@\n {9}- name: api\n/);
  assert.match(diff, /\n-\s+- containerPort: 8080 # keep in sync with the Dockerfile\n\+\s+- containerPort: 4500 # keep in sync with the Dockerfile\n/);
  assert.ok(!/\\r|\r/.test(dry.out), dry.out);
  assert.equal(run(['fix', dir, '--rule', 'port-parity']).code, 0);
  assert.equal(readFileSync(file, 'utf8'), before.replace('containerPort: 8080 #', 'containerPort: 4500 #'));
});

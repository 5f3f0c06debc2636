// Helm charts: rendered per environment from their values files, every port traced back to the line that set it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import core from '../../dist/core.js';

const { analyze, extractAll, kindOfPath } = core;

const CHARTS = new URL('./fixtures/helm/', import.meta.url).pathname;
const RULE_FIXTURES = new URL('../fixtures/', import.meta.url).pathname;
const CLI = new URL('../../dist/cli.js', import.meta.url).pathname;

/** Every file of a folder, as the core reads a workspace (paths relative, '/'-separated). */
function load(dir) {
  const files = [];
  const walk = (d) => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else files.push({ path: relative(dir, p).split(sep).join('/'), text: readFileSync(p, 'utf8') });
    }
  };
  walk(dir);
  return files;
}

function chart(name) {
  return load(join(CHARTS, name));
}

/** The renders (one K8sFacts per chart and environment) of a set of files. */
function renders(files) {
  return extractAll(files).filter((f) => f.kind === 'kubernetes' && f.renderedFrom);
}

function render(files, env) {
  const r = renders(files).find((f) => f.env === env);
  assert.ok(r, `a render for ${env}`);
  return r;
}

/** The text a Loc spans, read from the real file. */
function at(files, loc) {
  const f = files.find((x) => x.path === loc.file);
  assert.ok(f, `${loc.file} is a file of the workspace`);
  return f.text.slice(loc.start, loc.end);
}

/** The whole line a Loc starts on, trimmed. */
function lineOf(files, loc) {
  const f = files.find((x) => x.path === loc.file);
  return f.text.split('\n')[loc.line].trim();
}

function container(facts, workload = undefined) {
  const w = workload ? facts.workloads.find((x) => x.name === workload) : facts.workloads[0];
  assert.ok(w, `workload ${workload ?? '(first)'}`);
  return w.containers[0];
}

/** Container ports as [port, name, file, line text, token, literal]. */
function ports(files, c) {
  return c.ports.map((p) => [p.containerPort.port, p.name, p.containerPort.loc.file, lineOf(files, p.containerPort.loc), at(files, p.containerPort.loc), p.containerPort.literal]);
}

test('a chart renders once per environment values file, as <dir>#<env>, rendered from the chart', () => {
  const files = chart('per-env');
  const rs = renders(files);
  assert.deepEqual(rs.map((r) => [r.file, r.env, r.renderedFrom]).sort(), [
    ['deploy/api#production', 'production', 'Helm chart deploy/api'],
    ['deploy/api#staging', 'staging', 'Helm chart deploy/api'],
  ]);
});

test('a port set only in values-prod.yaml points at that line in production and at values.yaml elsewhere', () => {
  const files = chart('per-env');
  assert.deepEqual(ports(files, container(render(files, 'production'))), [[9090, undefined, 'deploy/api/values-prod.yaml', 'port: 9090', '9090', true]]);
  assert.deepEqual(ports(files, container(render(files, 'staging'))), [[8080, undefined, 'deploy/api/values.yaml', 'port: 8080', '8080', true]]);
  // `| quote` keeps the digits' source: the PORT variable's value is the same values line.
  const env = container(render(files, 'production')).env.find((e) => e.name === 'PORT');
  assert.deepEqual([env.value, env.valueLoc.file, at(files, env.valueLoc), env.literal], ['9090', 'deploy/api/values-prod.yaml', '9090', true]);
  const svc = render(files, 'production').services[0];
  assert.deepEqual([svc.ports[0].targetPort.port, svc.ports[0].targetPort.loc.file, at(files, svc.ports[0].targetPort.loc)], [9090, 'deploy/api/values-prod.yaml', '9090']);
});

test('a value written in the template points at the template text, never editable in a chart with several environments', () => {
  const files = chart('per-env');
  const svc = render(files, 'staging').services[0];
  assert.deepEqual([svc.ports[0].port.port, svc.ports[0].port.loc.file, lineOf(files, svc.ports[0].port.loc), at(files, svc.ports[0].port.loc), svc.ports[0].port.literal], [80, 'deploy/api/templates/service.yaml', '- port: 80', '80', false]);
  const w = render(files, 'staging').workloads[0];
  assert.deepEqual([w.name, at(files, w.nameLoc)], ['api', '{{ .Chart.Name }}']);
});

test("a chart's templates and values files stop counting alone, and a template is never reported as broken", () => {
  const files = chart('per-env');
  const facts = extractAll(files);
  for (const p of ['deploy/api/templates/deployment.yaml', 'deploy/api/templates/service.yaml', 'deploy/api/values.yaml', 'deploy/api/values-prod.yaml']) {
    assert.equal(facts.find((f) => f.file === p)?.kind, 'skipped', p);
  }
  const findings = analyze(files).findings;
  assert.deepEqual(findings.filter((f) => f.loc.file.includes('/templates/') && f.rule === 'invalid-port'), []);
});

test('environment values files: values.<env>.yaml, <env>-values.yaml, values/<env>.yaml and env/<env>/values.yaml; a variant is not an environment', () => {
  const files = chart('env-files');
  const got = renders(files).map((r) => [r.env, container(r).ports[0].containerPort.port, container(r).ports[0].containerPort.loc.file]).sort();
  assert.deepEqual(got, [
    ['local', 8003, 'chart/values/dev.yaml'],
    ['production', 8002, 'chart/prod-values.yaml'],
    ['staging', 8001, 'chart/values.staging.yaml'],
    ['test', 8004, 'chart/env/qa/values.yaml'],
  ]);
});

test('a chart with only values.yaml renders once, as a base without environment', () => {
  const files = chart('unknown');
  const rs = renders(files);
  assert.deepEqual(rs.map((r) => [r.file, r.env]), [['chart#base', undefined]]);
});

test('| default and default X .Values.y: the template literal when the value is unset, the values line when set; null deletes a base value', () => {
  const files = chart('default');
  const staging = render(files, 'staging');
  const prod = render(files, 'production');
  // values-staging.yaml sets port: null, which deletes values.yaml's 7000: the default 8080 applies.
  assert.deepEqual(ports(files, container(staging)), [[8080, undefined, 'chart/templates/deployment.yaml', '- containerPort: {{ .Values.port | default 8080 }}', '8080', false]]);
  assert.deepEqual(ports(files, container(prod)), [[9090, undefined, 'chart/values-prod.yaml', 'port: 9090', '9090', true]]);
  const probe = container(prod).probes[0];
  assert.deepEqual([probe.port.port, probe.port.loc.file, at(files, probe.port.loc)], [9090, 'chart/values-prod.yaml', '9090']);
  const sp = (r) => [r.services[0].ports[0].port.port, r.services[0].ports[0].port.loc.file, at(files, r.services[0].ports[0].port.loc)];
  assert.deepEqual(sp(staging), [80, 'chart/templates/service.yaml', '80']);
  assert.deepEqual(sp(prod), [443, 'chart/values-prod.yaml', '443']);
});

test('a port name from values: the container port name, the probe port and the targetPort point at the values line that names it', () => {
  const files = chart('named-port');
  const prod = render(files, 'production');
  const c = container(prod);
  assert.deepEqual([c.ports[0].name, c.ports[0].nameLoc.file, at(files, c.ports[0].nameLoc)], ['http-main', 'chart/values-prod.yaml', 'http-main']);
  assert.deepEqual([c.ports[0].containerPort.port, c.ports[0].containerPort.loc.file, lineOf(files, c.ports[0].containerPort.loc)], [3000, 'chart/values.yaml', 'port: 3000']);
  assert.deepEqual([c.probes[0].port.name, c.probes[0].port.loc.file, at(files, c.probes[0].port.loc)], ['http-main', 'chart/values-prod.yaml', 'http-main']);
  const tp = prod.services[0].ports[0].targetPort;
  assert.deepEqual([tp.name, tp.loc.file, at(files, tp.loc)], ['http-main', 'chart/values-prod.yaml', 'http-main']);
  assert.deepEqual(analyze(files).findings.filter((f) => f.rule !== 'skipped-source'), []);
});

test('range over a list of port maps and over a map: each port at its values line; a list in values-prod.yaml replaces the base list', () => {
  const files = chart('range');
  assert.deepEqual(ports(files, container(render(files, 'staging'))), [
    [8080, 'http', 'chart/values.yaml', 'port: 8080', '8080', true],
    [9100, 'metrics', 'chart/values.yaml', 'port: 9100', '9100', true],
  ]);
  assert.deepEqual(ports(files, container(render(files, 'production'))), [[8443, 'http', 'chart/values-prod.yaml', 'port: 8443', '8443', true]]);
  const sp = (r) => r.services[0].ports.map((p) => [p.name, p.port.port, p.targetPort.name, lineOf(files, p.port.loc)]);
  assert.deepEqual(sp(render(files, 'staging')), [['http', 80, 'http', 'http: 80']]);
  assert.deepEqual(sp(render(files, 'production')), [['http', 443, 'http', 'http: 443']]);
});

test('the chart `helm create` scaffolds: names and labels from _helpers.tpl, toYaml, with and if, hooks left out', () => {
  const files = chart('create');
  for (const env of ['staging', 'production']) {
    const r = render(files, env);
    assert.deepEqual(r.unknowns, [], env);
    assert.deepEqual(r.problems, [], env);
    assert.deepEqual(r.workloads.map((w) => [w.kind, w.name]), [['Deployment', 'myapp']], `${env}: the test hook Pod is not a workload`);
    const w = r.workloads[0];
    assert.equal(at(files, w.nameLoc), '{{ include "myapp.fullname" . }}');
    assert.deepEqual(w.labels, { 'app.kubernetes.io/name': 'myapp', 'app.kubernetes.io/instance': 'myapp' });
    assert.deepEqual(r.services.map((s) => [s.name, s.selector]), [['myapp', w.labels]]);
    const c = w.containers[0];
    assert.equal(c.image, 'nginx:1.16.0');
    assert.deepEqual(c.probes.map((p) => [p.kind, p.port.name]), [['liveness', 'http'], ['readiness', 'http']]);
  }
  assert.deepEqual(ports(files, container(render(files, 'production'))), [[8080, 'http', 'myapp/values-prod.yaml', 'port: 8080', '8080', true]]);
  assert.deepEqual(ports(files, container(render(files, 'staging'))), [[80, 'http', 'myapp/values.yaml', 'port: 80', '80', true]]);
  const svc = render(files, 'staging').services[0].ports[0];
  assert.deepEqual([svc.port.port, svc.targetPort.name, lineOf(files, svc.port.loc)], [80, 'http', 'port: 80']);
  // values.yaml (line 25) is shared by both environments: production is the reference, staging is reported there.
  const f = analyze(files).findings;
  assert.deepEqual(f.map((x) => [x.rule, x.loc.file, x.loc.line + 1, x.fix !== undefined]), [['port-parity', 'myapp/values.yaml', 25, false]]);
});

test('an expression the evaluator cannot follow in a port field is an unknown at the expression, and the port is not guessed', () => {
  const files = chart('unknown');
  const r = renders(files)[0];
  assert.deepEqual(container(r).ports.map((p) => p.containerPort.port), [8080]);
  assert.deepEqual(r.unknowns.map((u) => [u.message, at(files, u.loc)]), [
    ['{{ (lookup "v1" "ConfigMap" "default" "ports").data.admin }} cannot be evaluated here (lookup reads the live cluster, which helm template and Port Parity do not see): this port is not checked', '{{ (lookup "v1" "ConfigMap" "default" "ports").data.admin }}'],
    ['{{ if lookup "monitoring.coreos.com/v1" "ServiceMonitor" "default" "worker" }} cannot be evaluated here (lookup reads the live cluster, which helm template and Port Parity do not see): the ports inside are not checked', '{{- if lookup "monitoring.coreos.com/v1" "ServiceMonitor" "default" "worker" }}'],
  ]);
  const findings = analyze(files).findings;
  assert.deepEqual(findings.map((f) => [f.rule, f.severity]), [['skipped-source', 'info'], ['skipped-source', 'info']]);
});

// ---- the evaluator, on small inline charts ----

const CHART_YAML = { path: 'c/Chart.yaml', text: 'apiVersion: v2\nname: demo\nversion: 0.1.0\nappVersion: "3.1"\n' };

function deployment(portsBlock, extra = '') {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-{{ .Chart.Name }}
spec:
  template:
    metadata:
      labels:
        app: demo
    spec:
      containers:
        - name: demo
          image: "demo:{{ .Chart.AppVersion }}"
${extra}          ports:
${portsBlock}
`;
}

function inline(values, template, more = []) {
  return [CHART_YAML, { path: 'c/values.yaml', text: values }, { path: 'c/templates/deployment.yaml', text: template }, ...more];
}

test('whitespace trimming, comments, .Release.Name and .Chart fields render as Helm renders them', () => {
  const tpl = deployment(`          {{- /* a comment */ -}}
          {{- if .Values.on }}
            - containerPort: {{- " " -}} {{ .Values.port }}
          {{- end }}`);
  const files = inline('on: true\nport: 8080\n', tpl);
  const r = renders(files)[0];
  assert.equal(r.workloads[0].name, 'demo-demo');
  assert.equal(container(r).image, 'demo:3.1');
  assert.deepEqual(ports(files, container(r)), [[8080, undefined, 'c/values.yaml', 'port: 8080', '8080', true]]);
});

test('toYaml | nindent keeps each value of the subtree at its values line', () => {
  const tpl = deployment('            {{- toYaml .Values.ports | nindent 12 }}');
  const files = inline('ports:\n  - name: http\n    containerPort: 8080\n  - name: grpc\n    containerPort: 9090\n    protocol: TCP\n', tpl);
  const c = container(renders(files)[0]);
  assert.deepEqual(ports(files, c), [
    [8080, 'http', 'c/values.yaml', 'containerPort: 8080', '8080', true],
    [9090, 'grpc', 'c/values.yaml', 'containerPort: 9090', '9090', true],
  ]);
  assert.deepEqual([c.ports[1].nameLoc.file, at(files, c.ports[1].nameLoc)], ['c/values.yaml', 'grpc']);
});

test('an include that prints a port from values points at the values line; $ reaches the root inside range and with', () => {
  const helpers = { path: 'c/templates/_helpers.tpl', text: '{{- define "demo.port" -}}\n{{ .Values.http.port | int }}\n{{- end }}\n' };
  const tpl = deployment(`            - containerPort: {{ include "demo.port" . }}
          {{- range .Values.extra }}
            - containerPort: {{ . }}
              name: {{ $.Values.prefix }}{{ . }}
          {{- end }}
          {{- with .Values.http }}
            - containerPort: {{ $.Values.admin | default .port }}
          {{- else }}
            - containerPort: 1
          {{- end }}`);
  const files = inline('http:\n  port: 8080\nextra: [9001]\nprefix: p\nadmin: 7070\n', tpl, [helpers]);
  const c = container(renders(files)[0]);
  assert.deepEqual(ports(files, c).map((p) => p.slice(0, 5)), [
    [8080, undefined, 'c/values.yaml', 'port: 8080', '8080'],
    [9001, 'p9001', 'c/values.yaml', 'extra: [9001]', '9001'],
    [7070, undefined, 'c/values.yaml', 'admin: 7070', '7070'],
  ]);
  assert.equal(kindOfPath('c/templates/_helpers.tpl'), 'helm-helpers');
  assert.equal(extractAll(files).find((f) => f.file === 'c/templates/_helpers.tpl')?.kind, 'skipped');
});

test('if / else if / else and eq, not, and, or choose the branch from each environment values', () => {
  const tpl = deployment(`          {{- if eq .Values.mode "grpc" }}
            - containerPort: 9090
          {{- else if and .Values.tls (not .Values.plain) }}
            - containerPort: 8443
          {{- else if or .Values.plain .Values.legacy }}
            - containerPort: 8080
          {{- else }}
            - containerPort: 80
          {{- end }}`);
  const files = inline('mode: http\ntls: true\nplain: false\n', tpl, [
    { path: 'c/values-dev.yaml', text: 'mode: grpc\n' },
    { path: 'c/values-staging.yaml', text: 'tls: false\nlegacy: true\n' },
    { path: 'c/values-prod.yaml', text: 'tls: null\n' },
  ]);
  const got = Object.fromEntries(renders(files).map((r) => [r.env, container(r).ports.map((p) => p.containerPort.port)]));
  assert.deepEqual(got, { local: [9090], staging: [8080], production: [80] });
  assert.deepEqual(renders(files).flatMap((r) => r.unknowns), []);
});

test('quote, toString and int: a quoted containerPort is a problem at the value that fed it; an int of a quoted value is a port', () => {
  const tpl = deployment(`            - containerPort: {{ .Values.a | quote }}
            - containerPort: {{ .Values.b | int }}
            - containerPort: {{ .Values.c | toString }}`);
  const files = inline('a: 8080\nb: "9090"\nc: 7070\n', tpl);
  const r = renders(files)[0];
  assert.deepEqual(ports(files, container(r)).map((p) => p.slice(0, 5)), [
    [9090, undefined, 'c/values.yaml', 'b: "9090"', '9090'],
    [7070, undefined, 'c/values.yaml', 'c: 7070', '7070'],
  ]);
  assert.deepEqual(r.problems.map((p) => [p.message, p.loc.file, at(files, p.loc)]), [['containerPort "8080" is not a port number (1-65535) (used by {{ .Values.a | quote }} at c/templates/deployment.yaml:15)', 'c/values.yaml', '8080']]);
});

test('a template that does not parse is left unchecked: an unknown where it writes ports, silence elsewhere, never a YAML error', () => {
  const broken = { path: 'c/templates/broken.yaml', text: 'kind: Service\nspec:\n  ports:\n    - port: {{ .Values.port \n' };
  const other = { path: 'c/templates/config.yaml', text: 'kind: ConfigMap\ndata:\n  a: {{ if }}\n' };
  const files = [CHART_YAML, { path: 'c/values.yaml', text: 'port: 80\n' }, broken, other];
  const r = renders(files)[0];
  assert.deepEqual(r.unknowns.map((u) => u.message), ['c/templates/broken.yaml cannot be rendered here (unclosed action): its ports are not checked']);
  assert.deepEqual(analyze(files).findings.map((f) => f.rule), ['skipped-source']);
});

test('a variable set from an expression the evaluator cannot follow carries the reason to the port that uses it', () => {
  const tpl = deployment(`          {{- $port := randInt 8000 9000 }}
            - containerPort: {{ $port }}
            - containerPort: {{ .Values.http.port }}`);
  const files = inline('http:\n  port: 8080\n', tpl);
  const r = renders(files)[0];
  assert.deepEqual(container(r).ports.map((p) => p.containerPort.port), [8080]);
  assert.deepEqual(r.unknowns.map((u) => [u.message, at(files, u.loc)]), [['{{ $port }} cannot be evaluated here (randInt picks a number at install time): this port is not checked', '{{ $port }}']]);
  assert.deepEqual(r.problems, []);
});

test('a missing value in a port field is the chart problem it is; a missing map on the way is an unknown, not a guess', () => {
  const tpl = deployment(`            - containerPort: {{ .Values.port }}
            - containerPort: {{ .Values.missing.port }}`);
  const files = inline('other: 1\n', tpl);
  const r = renders(files)[0];
  assert.deepEqual(r.problems.map((p) => [p.message, p.loc.file]), [['containerPort is missing or empty', 'c/templates/deployment.yaml']]);
  assert.deepEqual(r.unknowns.map((u) => u.message), ['{{ .Values.missing.port }} cannot be evaluated here (.Values.missing is not set): this port is not checked']);
});

test('a field of a parenthesised nil or of a variable holding nil is nil, as in Go: ((.Values.a).b).port guards a missing map', () => {
  const tpl = deployment(`            {{- if (or .Values.port ((.Values.metrics).prometheus).port) }}
            - containerPort: {{ .Values.port | default 9090 }}
            {{- end }}
            {{- $m := .Values.missing }}
            {{- if not $m.port }}
            - containerPort: 9091
            {{- end }}`);
  const files = inline('port: 8080\n', tpl);
  const r = renders(files)[0];
  assert.deepEqual(container(r).ports.map((p) => p.containerPort.port), [8080, 9091]);
  assert.deepEqual(r.unknowns, []);
});

test('subcharts render with the parent values under their name and the globals; a false condition leaves one out', () => {
  const files = [
    { path: 'app/Chart.yaml', text: 'apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n  - name: cache\n    version: 1.0.0\n    condition: cache.enabled\n  - name: db\n    version: 1.0.0\n    condition: db.enabled\n  - name: search\n    version: 1.0.0\n    repository: https://charts.example.com\n' },
    { path: 'app/values.yaml', text: 'cache:\n  enabled: true\n  port: 6380\ndb:\n  enabled: false\nglobal:\n  tier: backend\n' },
    { path: 'app/values-prod.yaml', text: 'cache:\n  port: 6390\n' },
    { path: 'app/templates/app.yaml', text: deployment('            - containerPort: 8080') },
    { path: 'app/charts/cache/Chart.yaml', text: 'apiVersion: v2\nname: cache\nversion: 1.0.0\n' },
    { path: 'app/charts/cache/values.yaml', text: 'port: 6379\n' },
    { path: 'app/charts/cache/templates/cache.yaml', text: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}-cache\n  labels:\n    tier: {{ .Values.global.tier }}\nspec:\n  template:\n    spec:\n      containers:\n        - name: cache\n          ports:\n            - containerPort: {{ .Values.port }}\n' },
    { path: 'app/charts/db/Chart.yaml', text: 'apiVersion: v2\nname: db\nversion: 1.0.0\n' },
    { path: 'app/charts/db/templates/db.yaml', text: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: db\nspec:\n  template:\n    spec:\n      containers:\n        - name: db\n          ports:\n            - containerPort: 5432\n' },
  ];
  const rs = renders(files);
  assert.deepEqual(rs.map((r) => r.file), ['app#production'], 'the subcharts render inside the parent');
  const r = rs[0];
  assert.deepEqual(r.workloads.map((w) => w.name), ['app-app', 'app-cache']);
  const cache = r.workloads[1];
  assert.deepEqual(cache.labels, {}, 'a Deployment without pod template labels');
  assert.deepEqual(ports(files, cache.containers[0]).map((p) => p.slice(0, 5)), [[6390, undefined, 'app/values-prod.yaml', 'port: 6390', '6390']]);
  assert.deepEqual(r.unknowns.map((u) => [u.message, lineOf(files, u.loc)]), [['dependency search is not in app/charts/ (helm dependency build fetches it): what it renders is not checked', '- name: search']]);
});

test('a values file that is not valid YAML is said once, as an unknown at the error', () => {
  const files = inline('port: [8080\n', deployment('            - containerPort: 80'));
  const r = renders(files)[0];
  assert.equal(r.unknowns.length, 1);
  assert.match(r.unknowns[0].message, /^c\/values\.yaml is not valid YAML/);
});

test('with the language server\'s store, an unchanged chart gives back the same facts objects (incremental evaluation sees no change)', () => {
  const files = chart('per-env');
  const store = new core.Store();
  const cached = (fs) => core.extract(fs, undefined, store).facts.filter((f) => f.kind === 'kubernetes' && f.renderedFrom);
  const a = cached(files);
  const b = cached(files.map((f) => ({ ...f })));
  assert.equal(a.length, b.length);
  assert.ok(a.every((x, i) => x === b[i]));
  const edited = files.map((f) => (f.path.endsWith('values-prod.yaml') ? { ...f, text: f.text.replace('9090', '9091') } : f));
  const c = cached(edited);
  assert.notEqual(c.find((r) => r.env === 'production'), a.find((r) => r.env === 'production'));
  assert.deepEqual(c, renders(edited), 'what the store gives back is what a cold run renders');
  // A one-off run (the CLI) keeps nothing between runs.
  assert.notEqual(renders(files)[0], renders(files)[0]);
});

// ---- end to end, through the CLI ----

function cli(args) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function copyCase(rel) {
  const dir = mkdtempSync(join(tmpdir(), 'pp-helm-'));
  cpSync(join(RULE_FIXTURES, rel), dir, { recursive: true });
  return dir;
}

test('CLI check: a port that changes only in values-prod.yaml is a port-parity finding at that values line', () => {
  const dir = copyCase('port-parity/invalid-helm-values-drift');
  const text = cli(['check', dir]);
  assert.equal(text.code, 0, text.err);
  assert.match(text.out, /charts\/api\/values-prod\.yaml\n\s+3:9\s+warning\s+api listens on 9090 in production but 8080 in staging \(charts\/api\/values\.yaml:4\)\s+port-parity/);
  const json = JSON.parse(cli(['check', dir, '--format', 'json']).out);
  assert.deepEqual(json.findings.map((f) => [f.rule, f.file, f.line, f.column]), [['port-parity', 'charts/api/values-prod.yaml', 3, 9]]);
});

test('CLI matrix: the chart environments, each port at its values line', () => {
  const dir = copyCase('port-parity/invalid-helm-values-drift');
  const m = JSON.parse(cli(['matrix', dir, '--format', 'json']).out);
  assert.deepEqual(m.environments, ['staging', 'production']);
  assert.deepEqual(m.rows.map((r) => [r.service, r.cells.map((c) => [c.environment, c.ports, c.status, c.locations[0].file, c.locations[0].line])]), [
    ['api', [['staging', [8080], 'reference', 'charts/api/values.yaml', 4], ['production', [9090], 'differs', 'charts/api/values-prod.yaml', 3]]],
  ]);
  assert.match(cli(['matrix', dir]).out, /api\s+8080 \*\s+9090 ≠/);
});

test('CLI fix edits values-prod.yaml, never a template, and the drift is gone', () => {
  const dir = copyCase('port-parity/invalid-helm-values-drift');
  const before = new Map(load(dir).map((f) => [f.path, f.text]));
  const r = cli(['fix', dir, '--rule', 'port-parity']);
  assert.equal(r.code, 0, r.err);
  const after = new Map(load(dir).map((f) => [f.path, f.text]));
  const changed = [...after].filter(([p, t]) => before.get(p) !== t).map(([p]) => p);
  assert.deepEqual(changed, ['charts/api/values-prod.yaml']);
  assert.equal(after.get('charts/api/values-prod.yaml'), before.get('charts/api/values-prod.yaml').replace('port: 9090', 'port: 8080'));
  const json = JSON.parse(cli(['check', dir, '--format', 'json']).out);
  assert.deepEqual(json.findings, []);
});

test('CLI check on the helm create chart: with production the reference, staging is reported at the shared values.yaml, without a fix', () => {
  const r = cli(['check', join(CHARTS, 'create'), '--format', 'json']);
  const json = JSON.parse(r.out);
  assert.deepEqual(json.findings.map((f) => [f.rule, f.file, f.line, f.message]), [['port-parity', 'myapp/values.yaml', 25, 'myapp listens on 80 in staging but 8080 in production (myapp/values-prod.yaml:3)']]);
  const fix = cli(['fix', join(CHARTS, 'create'), '--dry-run']);
  assert.doesNotMatch(fix.out, /templates\//);
});

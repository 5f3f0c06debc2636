// Issue 15.2: a chart's evaluation is bounded. Includes of the same template with the same argument are
// evaluated once (an include chain that doubles at each level renders in linear time, and right); what
// no memo saves (a doubling chain over fresh `dict`s, a template that includes itself, strings that
// double) stops at the evaluation budget with a skipped-source note at the template line, never a hang.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bombChart, chain } from './bomb.mjs';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '../../dist/cli.js');

function check(t, chart, cmd = 'check') {
  const root = mkdtempSync(join(tmpdir(), 'pp-bomb-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  bombChart(root, chart);
  const r = spawnSync(process.execPath, [CLI, cmd, root, '--format', 'json', ...(cmd === 'check' ? ['--fail-on', 'never'] : [])], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.error, undefined, 'the CLI did not finish within 30 s');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  return JSON.parse(r.stdout);
}

const notes = (report) => report.findings.filter((f) => f.rule === 'skipped-source');

test('an include chain that doubles 35 times, with empty output, is checked at once and leaves the port as it is', (t) => {
  const report = check(t, { helpers: chain((n) => `{{ include "${n}" . }}{{ include "${n}" . }}`), port: '8080{{ include "d0" . }}' });
  assert.deepEqual(notes(report), []);
  assert.deepEqual(report.findings.filter((f) => f.rule === 'service-target-port'), []);
});

test('a doubling chain with output renders right: each level joins its two includes, over $ and .Values', (t) => {
  // d34 is .Values.digit; each level is its include twice, cut to 5 characters: d0 is 11111.
  const report = check(t, { helpers: chain((n) => `{{ printf "%s%s" (include "${n}" .) (include "${n}" $) | trunc 5 }}`, '{{ .Values.digit }}'), port: '{{ include "d0" . }}' }, 'matrix');
  const cells = JSON.stringify(report);
  assert.match(cells, /11111/);
  // The Service's targetPort 8080 now has no container: the port 11111 was read.
  const check2 = check(t, { helpers: chain((n) => `{{ printf "%s%s" (include "${n}" .) (include "${n}" $) | trunc 5 }}`, '{{ .Values.digit }}'), port: '{{ include "d0" . }}' });
  assert.ok(check2.findings.some((f) => f.rule === 'service-target-port' && /11111/.test(f.message)), JSON.stringify(check2.findings));
});

test('a doubling chain over fresh dicts (no memo helps) stops at the evaluation budget with a note at the template line', (t) => {
  const report = check(t, { helpers: chain((n) => `{{ include "${n}" (dict "x" .) }}{{ include "${n}" (dict "x" .) }}`), port: '8080{{ include "d0" . }}' });
  const n = notes(report);
  assert.equal(n.length, 1, JSON.stringify(report.findings));
  assert.equal(n[0].file, 'chart/templates/deployment.yaml');
  assert.equal(n[0].line, 18);
  assert.match(n[0].message, /^\{\{ include "d0" \. \}\} cannot be evaluated here \(the chart exceeds Port Parity's evaluation budget: it needs more than [\d,]+ evaluation steps\): the ports of chart\/templates\/deployment\.yaml are not checked, nor those of the 1 template after it$/);
});

test('a template that includes itself stops at the depth bound with a note, as helm stops with an error', (t) => {
  const report = check(t, { helpers: '{{- define "loop" -}}{{ include "loop" . }}{{- end -}}\n', port: '{{ include "loop" . }}' });
  const n = notes(report);
  assert.equal(n.length, 1, JSON.stringify(report.findings));
  assert.equal(n[0].line, 18);
  assert.match(n[0].message, /template "loop" is included more than 100 deep .*exceeded max depth/);
});

test('strings that double (printf, replace), values nested on themselves (printed, toJson, toYaml) and values nested too deep stop at the output bound or the budget with a note at the template line', (t) => {
  const cases = [
    '{{- define "grow" -}}{{ $s := "xxxxxxxx" }}{{ range until 40 }}{{ $s = printf "%s%s" $s $s }}{{ end }}{{ $s }}{{- end -}}',
    '{{- define "grow" -}}{{ $s := "xxxxxxxx" }}{{ range until 40 }}{{ $s = replace "x" "xx" $s }}{{ end }}{{ $s }}{{- end -}}',
    '{{- define "grow" -}}{{ $l := list 1 2 }}{{ range until 60 }}{{ $l = list $l $l }}{{ end }}{{ toJson $l }}{{- end -}}',
    '{{- define "grow" -}}{{ $l := list 1 2 }}{{ range until 60 }}{{ $l = list $l $l }}{{ end }}{{ $l }}{{- end -}}',
    '{{- define "grow" -}}{{ $l := dict "a" 1 }}{{ range until 60 }}{{ $l = dict "a" $l "b" $l }}{{ end }}{{ toYaml $l }}{{- end -}}',
    // Nested 10,000 deep: more than the engine's stack holds.
    '{{- define "grow" -}}{{ $l := list 1 }}{{ range until 10000 }}{{ $l = list $l }}{{ end }}{{ toJson $l }}{{- end -}}',
  ];
  for (const helpers of cases) {
    const report = check(t, { helpers: `${helpers}\n`, port: '8080{{ include "grow" . }}' });
    const n = notes(report);
    assert.equal(n.length, 1, `${helpers}: ${JSON.stringify(report.findings)}`);
    assert.match(n[0].message, /^\{\{ include "grow" \. \}\} cannot be evaluated here \(the chart exceeds Port Parity's evaluation budget: .*(characters|evaluation steps|beyond what the evaluator can hold)/, helpers);
  }
});

test('the include memo is per chart: a subchart\'s missing name helper still falls back to the subchart\'s own name', (t) => {
  const root = mkdtempSync(join(tmpdir(), 'pp-bomb-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  // The port is 80 and the length of the name: bomb gives 804, child 805.
  const port = '80{{ len (include "app.fullname" (print "x")) }}';
  bombChart(root, { helpers: '', port });
  mkdirSync(join(root, 'chart/charts/child/templates'), { recursive: true });
  writeFileSync(join(root, 'chart/charts/child/Chart.yaml'), 'apiVersion: v2\nname: child\nversion: 0.1.0\n');
  writeFileSync(join(root, 'chart/charts/child/templates/deployment.yaml'), `apiVersion: apps/v1
kind: Deployment
metadata:
  name: child
spec:
  template:
    spec:
      containers:
        - name: child
          ports:
            - containerPort: ${port}
`);
  const r = spawnSync(process.execPath, [CLI, 'matrix', root], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^bomb +804\b/m);
  assert.match(r.stdout, /^child +805\b/m);
});

// The chart evaluator's function library: every function of Go's text/template, Sprig v3 and Helm is
// computed, evaluated by the renderer, or declared unknown by design (nothing is missed by omission), and
// the functions compute what Go, Sprig and Helm compute.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import core from '../dist/core.js';

const { extractAll, helmFunctionKind } = core;

// Go's text/template builtins (pkg.go.dev/text/template#hdr-Functions).
const GO_BUILTINS = ['and', 'call', 'html', 'index', 'slice', 'js', 'len', 'not', 'or', 'print', 'printf', 'println', 'urlquery', 'eq', 'ne', 'lt', 'le', 'gt', 'ge'];

// Sprig v3, by the sections of its documentation (masterminds.github.io/sprig), with the `must…` variants and older spellings.
const SPRIG = {
  strings: ['trim', 'trimAll', 'trimall', 'trimSuffix', 'trimPrefix', 'upper', 'lower', 'title', 'untitle', 'repeat', 'substr', 'nospace', 'trunc', 'abbrev', 'abbrevboth', 'initials', 'randAlphaNum', 'randAlpha', 'randNumeric', 'randAscii', 'wrap', 'wrapWith', 'contains', 'hasPrefix', 'hasSuffix', 'quote', 'squote', 'cat', 'indent', 'nindent', 'replace', 'plural', 'snakecase', 'camelcase', 'kebabcase', 'swapcase', 'shuffle', 'regexMatch', 'mustRegexMatch', 'regexFindAll', 'mustRegexFindAll', 'regexFind', 'mustRegexFind', 'regexReplaceAll', 'mustRegexReplaceAll', 'regexReplaceAllLiteral', 'mustRegexReplaceAllLiteral', 'regexSplit', 'mustRegexSplit', 'regexQuoteMeta', 'hello'],
  stringLists: ['join', 'splitList', 'split', 'splitn', 'sortAlpha', 'toStrings'],
  integerMath: ['add', 'add1', 'sub', 'div', 'mod', 'mul', 'max', 'min', 'biggest', 'floor', 'ceil', 'round', 'randInt'],
  integerSlices: ['until', 'untilStep', 'seq'],
  floatMath: ['addf', 'add1f', 'subf', 'divf', 'mulf', 'maxf', 'minf'],
  dates: ['now', 'ago', 'date', 'dateInZone', 'date_in_zone', 'duration', 'durationRound', 'unixEpoch', 'dateModify', 'mustDateModify', 'date_modify', 'must_date_modify', 'htmlDate', 'htmlDateInZone', 'toDate', 'mustToDate'],
  defaults: ['default', 'empty', 'coalesce', 'all', 'any', 'fromJson', 'mustFromJson', 'toJson', 'mustToJson', 'toPrettyJson', 'mustToPrettyJson', 'toRawJson', 'mustToRawJson', 'ternary'],
  encoding: ['b64enc', 'b64dec', 'b32enc', 'b32dec'],
  lists: ['list', 'tuple', 'first', 'mustFirst', 'rest', 'mustRest', 'last', 'mustLast', 'initial', 'mustInitial', 'append', 'mustAppend', 'push', 'mustPush', 'prepend', 'mustPrepend', 'concat', 'reverse', 'mustReverse', 'uniq', 'mustUniq', 'without', 'mustWithout', 'has', 'mustHas', 'compact', 'mustCompact', 'slice', 'mustSlice', 'chunk', 'mustChunk'],
  dicts: ['dict', 'get', 'set', 'unset', 'hasKey', 'pluck', 'dig', 'merge', 'mustMerge', 'mergeOverwrite', 'mustMergeOverwrite', 'keys', 'pick', 'omit', 'values', 'deepCopy', 'mustDeepCopy'],
  typeConversion: ['atoi', 'float64', 'int', 'int64', 'toDecimal', 'toString', 'toStrings'],
  paths: ['base', 'dir', 'clean', 'ext', 'isAbs', 'osBase', 'osClean', 'osDir', 'osExt', 'osIsAbs'],
  flowControl: ['fail'],
  uuid: ['uuidv4'],
  os: ['env', 'expandenv'],
  semver: ['semver', 'semverCompare'],
  reflection: ['typeOf', 'typeIs', 'typeIsLike', 'kindOf', 'kindIs', 'deepEqual'],
  crypto: ['sha1sum', 'sha256sum', 'adler32sum', 'htpasswd', 'derivePassword', 'genPrivateKey', 'buildCustomCert', 'genCA', 'genCAWithKey', 'genSelfSignedCert', 'genSelfSignedCertWithKey', 'genSignedCert', 'genSignedCertWithKey', 'encryptAES', 'decryptAES', 'randBytes', 'bcrypt'],
  network: ['getHostByName'],
  url: ['urlParse', 'urlJoin'],
};

// Helm's own (helm.sh/docs/chart_template_guide/function_list and pkg/engine/funcs.go).
const HELM = ['include', 'tpl', 'required', 'lookup', 'toYaml', 'mustToYaml', 'toYamlPretty', 'fromYaml', 'fromYamlArray', 'toJson', 'mustToJson', 'fromJson', 'fromJsonArray', 'toToml', 'fromToml'];

test('every function of Go templates, Sprig v3 and Helm is computed, evaluated by the renderer, or unknown by design', () => {
  const all = [...GO_BUILTINS, ...Object.values(SPRIG).flat(), ...HELM];
  const missing = all.filter((name) => helmFunctionKind(name) === undefined);
  assert.deepEqual(missing, []);
  // What cannot be known before install is declared so, never computed as a guess.
  assert.deepEqual(['lookup', 'getHostByName', 'randInt', 'call', 'env', 'expandenv'].map(helmFunctionKind), Array(6).fill('unknown-by-design'));
  assert.deepEqual(['include', 'tpl', 'and', 'or'].map(helmFunctionKind), Array(4).fill('renderer'));
  assert.equal(helmFunctionKind('noSuchFunction'), undefined);
});

// ---- what the functions compute, through a chart's render

const CHART = { path: 'c/Chart.yaml', text: 'apiVersion: v2\nname: demo\nversion: 0.1.0\n' };

/** The chart's render of `body` (a template's text) with `values`, and any extra files. */
function render(values, body, extra = []) {
  const files = [CHART, { path: 'c/values.yaml', text: values }, { path: 'c/templates/t.yaml', text: body }, ...extra];
  const r = extractAll(files).find((f) => f.kind === 'kubernetes' && f.renderedFrom);
  assert.ok(r, 'a render of the chart');
  return r;
}

/** What each expression renders to (as a ConfigMap's data), and the render's notes. */
function evaluate(values, exprs, prelude = '') {
  const data = exprs.map((e, i) => `  k${i}: {{ ${e} | toString | toJson }}`).join('\n');
  const r = render(values, `${prelude}apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: t\ndata:\n${data}\n`);
  const got = Object.fromEntries((r.configMaps[0]?.data ?? []).map((d) => [d.name, d.value]));
  return { out: exprs.map((_, i) => got[`k${i}`]), notes: r.unknowns.map((u) => u.message) };
}

function check(values, cases, prelude = '') {
  const { out, notes } = evaluate(values, cases.map(([e]) => e), prelude);
  assert.deepEqual(notes, []);
  assert.deepEqual(out.map((v, i) => [cases[i][0], v]), cases.map(([e, want]) => [e, want]));
}

test('strings: case, trimming, quoting, printf, regular expressions, lists of strings', () => {
  check('name: my-App_v2\n', [
    ['upper .Values.name', 'MY-APP_V2'],
    ['trimSuffix "_v2" .Values.name', 'my-App'],
    ['"  x  " | trim', 'x'],
    ['trunc 3 .Values.name', 'my-'],
    ['snakecase "FooBar"', 'foo_bar'],
    ['kebabcase "FooBar"', 'foo-bar'],
    ['camelcase "foo_bar"', 'FooBar'],
    ['title "hello world"', 'Hello World'],
    ['printf "%s:%d" "h" 8080', 'h:8080'],
    ['printf "%05d|%-4s|%x|%.2f|%v" 42 "ab" 255 3.14159 nil', '00042|ab  |ff|3.14|<nil>'],
    ['print "a" 1 2 "b"', 'a1 2b'],
    ['regexReplaceAll "(\\\\w+)-(\\\\d+)" "api-8080" "${2}:$1"', '8080:api'],
    ['regexFind "[0-9]+" "port 9090 now"', '9090'],
    ['join "," (list "a" "b" 3)', 'a,b,3'],
    ['splitList ":" "a:b:c" | last', 'c'],
    ['(split "/" "x/y")._1', 'y'],
    ['sortAlpha (list "b" "a") | first', 'a'],
    ['substr 1 3 "abcd"', 'bc'],
    ['repeat 3 "ab"', 'ababab'],
    ['quote 8080', '"8080"'],
    ['html "<a>"', '&lt;a&gt;'],
    ['urlquery "a b&c"', 'a+b%26c'],
    ['b64enc "port" | b64dec', 'port'],
    ['b32enc "hi"', 'NBUQ===='],
    ['sha256sum "x" | trunc 8', '2d711642'],
  ]);
});

test('numbers, conversions, comparisons, semver and reflection compute as in Go and Sprig', () => {
  check('port: 8080\nv: "1.2.3"\n', [
    ['add .Values.port 1', '8081'],
    ['sub .Values.port 80', '8000'],
    ['div 7 2', '3'],
    ['mod 7 2', '1'],
    ['mul 2 3 4', '24'],
    ['max 1 9 3', '9'],
    ['mulf 1.5 2', '3'],
    ['int "42"', '42'],
    ['atoi "x"', '0'],
    ['toString nil', '<nil>'],
    ['len (until 5)', '5'],
    ['seq 3', '1 2 3'],
    ['eq .Values.port 8080.0', 'true'],
    ['lt 1 2', 'true'],
    ['semverCompare ">=1.2.0 <2" .Values.v', 'true'],
    ['semverCompare "^1.3" .Values.v', 'false'],
    ['semverCompare "~1.2.0" "1.2.9"', 'true'],
    ['semverCompare ">= 1.21-0" .Capabilities.KubeVersion.Version', 'true'],
    ['(semver .Values.v).Minor', '2'],
    ['kindOf .Values.port', 'float64'],
    ['kindOf (int .Values.port)', 'int'],
    ['typeOf (list)', '[]interface {}'],
    ['kindIs "map" .Values', 'true'],
    ['.Capabilities.APIVersions.Has "apps/v1"', 'true'],
    ['.Capabilities.APIVersions.Has "monitoring.coreos.com/v1"', 'false'],
    ['(deepCopy .).Capabilities.APIVersions.Has "policy/v1"', 'true'],
  ]);
});

test('dicts change in place ($_ := set), copies do not; merge keeps, mergeOverwrite replaces; dig, pick, omit, pluck, keys', () => {
  const prelude = [
    '{{- $d := dict "a" 1 }}',
    '{{- $_ := set $d "b" 2 }}',
    '{{- $c := deepCopy .Values.ports }}',
    '{{- $_ := set $c.http "port" 9000 }}',
    '{{- $_ := unset $d "a" }}',
    '{{- $m := merge (dict "x" 1) (dict "x" 2 "y" 3) }}',
    '{{- $o := mergeOverwrite (dict "x" 1 "n" (dict "p" 1 "q" 1)) (dict "x" 2 "n" (dict "p" 2)) }}',
    '',
  ].join('\n');
  check('ports:\n  http:\n    port: 8080\n', [
    ['toJson $d', '{"b":2}'],
    ['$c.http.port', '9000'],
    ['.Values.ports.http.port', '8080'],
    ['toJson $m', '{"x":1,"y":3}'],
    ['toJson $o', '{"n":{"p":2,"q":1},"x":2}'],
    ['dig "ports" "http" "port" 0 .Values', '8080'],
    ['dig "ports" "grpc" "port" 50051 .Values', '50051'],
    ['pick (dict "a" 1 "b" 2) "b" | toJson', '{"b":2}'],
    ['omit (dict "a" 1 "b" 2) "b" | toJson', '{"a":1}'],
    ['pluck "a" (dict "a" 1) (dict "b" 2) (dict "a" 3) | toJson', '[1,3]'],
    ['keys (dict "b" 1 "a" 2) | sortAlpha | join ","', 'a,b'],
    ['get (dict "a" "x") "missing"', ''],
    ['hasKey .Values.ports "http"', 'true'],
    ['list 1 2 2 3 | uniq | toJson', '[1,2,3]'],
    ['without (list 1 2 3) 2 | toJson', '[1,3]'],
    ['has 2 (list 1 2)', 'true'],
    ['compact (list "" "a" nil) | toJson', '["a"]'],
    ['slice (list 1 2 3) 1 | toJson', '[2,3]'],
    ['concat (list 1) (list 2) | toJson', '[1,2]'],
    ['chunk 2 (list 1 2 3) | toJson', '[[1,2],[3]]'],
  ], prelude);
});

test('tpl, include of a template file, fromYaml/toYaml/toToml/fromJson round trips', () => {
  check('host: api\nmsg: "{{ .Values.host }}:8080"\n', [
    ['tpl .Values.msg .', 'api:8080'],
    ['tpl "{{ add 1 2 }}" .', '3'],
    ['(fromYaml "a: 1\\nb: [x]").b | first', 'x'],
    ['toYaml (dict "b" 1 "a" (list "x"))', 'a:\n- x\nb: 1'],
    ['toToml (dict "a" 1 "t" (dict "p" "x"))', 'a = 1\n\n[t]\np = "x"\n'],
    ['(fromJson "{\\"p\\": 8080}").p', '8080'],
    ['(fromToml "p = 8080").p', '8080'],
    ['fromJsonArray "[1,2]" | len', '2'],
    ['(urlParse "http://u@h:81/p?q=1").host', 'h:81'],
    ['base "a/b.txt"', 'b.txt'],
    ['ext "a/b.txt"', '.txt'],
    ['.Template.Name', 'demo/templates/t.yaml'],
    ['.Template.BasePath', 'demo/templates'],
    ['uuidv4 | len', '36'],
  ]);
});

test('toYaml writes each string as go-yaml does: plain, single-quoted, double-quoted where it reads as another type, literal blocks; tpl reads it back', () => {
  check("labels:\n  name: '{{ .Values.host }}'\n  url: http://h:8080/x\nhost: api\n", [
    ['toYaml (dict "a" "{{ .x }}" "b" "it\'s" "c" "- x" "d" "a: b" "e" "a #b")', "a: '{{ .x }}'\nb: it's\nc: '- x'\nd: 'a: b'\ne: 'a #b'"],
    ['toYaml (dict "u" "http://h:8080" "w" "a,b[c]" "t" "x:y")', 't: x:y\nu: http://h:8080\nw: a,b[c]'],
    ['toYaml (dict "p" "8080" "b" "yes" "e" "" "n" "null" "y" "yEs" "f" "1.5")', 'b: "yes"\ne: ""\nf: "1.5"\n"n": "null"\np: "8080"\n"y": yEs'],
    ['toYaml (dict "c" "a\\nb\\n" "d" "a\\nb" "k" "a\\n\\n")', 'c: |\n  a\n  b\nd: |-\n  a\n  b\nk: |+\n  a\n'],
    ['toYaml (list (dict "c" " a\\nb") "x \\ny" "tab\\tx")', '- c: |2-\n     a\n    b\n- "x \\ny"\n- "tab\\tx"'],
    ['tpl (toYaml .Values.labels) . | fromYaml | toJson', '{"name":"api","url":"http://h:8080/x"}'],
  ]);
});

test('.Files reads the chart files Port Parity reads; a file it does not read is a note naming it, never an empty string', () => {
  const body = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: t\ndata:\n  a: {{ (.Files.Get "conf/app.yaml" | fromYaml).port | toString | quote }}\n  b: {{ .Files.Get "conf/nginx.conf" | quote }}\n  c: {{ (.Files.Glob "conf/*.yaml").AsConfig | fromYaml | keys | join "," | quote }}\n';
  const r = render('{}\n', body, [{ path: 'c/conf/app.yaml', text: 'port: 7000\n' }]);
  assert.deepEqual(r.configMaps[0].data.map((d) => [d.name, d.value]), [['a', '7000'], ['c', 'app.yaml']], 'b is left out, not an empty string');
  assert.deepEqual(r.unknowns.map((u) => [u.message, u.loc.line]), [['{{ .Files.Get "conf/nginx.conf" | quote }} cannot be evaluated here (.Files: c/conf/nginx.conf is not a file Port Parity reads in the chart): what it writes is left out of the render', 6]]);
});

test('lookup, fail and an unknown function are said at the template line that needs them, even away from ports; the ports after them are still read', () => {
  const body = [
    '{{- define "demo.secret" -}}{{ (lookup "v1" "Secret" "ns" "s").data.password }}{{- end -}}',
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: api',
    '  annotations:',
    '    secret: {{ include "demo.secret" . | quote }}',
    '    other: {{ noSuchFunction 1 }}',
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    '        - name: api',
    '          ports:',
    '            - containerPort: {{ .Values.port }}',
    '',
  ].join('\n');
  const r = render('port: 8080\n', body);
  assert.deepEqual(r.workloads[0].containers[0].ports.map((p) => p.containerPort.port), [8080]);
  assert.deepEqual(r.unknowns.map((u) => [u.loc.line, u.message.replace(/ \(needed by .*?\)/, ' (needed by …)')]), [
    [0, '{{ (lookup "v1" "Secret" "ns" "s").data.password }} cannot be evaluated here (lookup reads the live cluster, which helm template and Port Parity do not see) (needed by …): what it writes is left out of the render'],
    [7, "{{ noSuchFunction 1 }} cannot be evaluated here (noSuchFunction is not a function Port Parity knows (nor Go's templates, Sprig or Helm)): what it writes is left out of the render"],
  ]);
});

test('a pod spec written by a named template that fails is said at the line inside it, and the chart says it renders no workload port', () => {
  const body = [
    '{{- define "demo.pod" -}}',
    'containers:',
    '  - name: api',
    '    image: {{ required "image is required" .Values.image }}',
    '    ports:',
    '      - containerPort: 8080',
    '{{- end -}}',
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: api',
    'spec:',
    '  template:',
    '    spec:',
    '      {{- include "demo.pod" . | nindent 6 }}',
    '',
  ].join('\n');
  const r = render('port: 8080\n', body);
  assert.deepEqual(r.workloads.flatMap((w) => w.containers), []);
  const notes = r.unknowns.map((u) => [u.loc.file, u.loc.line, u.message]);
  assert.equal(notes.length, 2, JSON.stringify(notes));
  assert.deepEqual(notes[0].slice(0, 2), ['c/templates/t.yaml', 3]);
  assert.match(notes[0][2], /^\{\{ required "image is required" \.Values\.image \}\} cannot be evaluated here \(required value is not set: image is required\) \(needed by \{\{ include "demo\.pod" \. \| nindent 6 \}\} at c\/templates\/t\.yaml:15\)/);
  assert.deepEqual(notes[1].slice(0, 2), ['c/Chart.yaml', 0]);
  assert.match(notes[1][2], /^Helm chart c renders no workload with ports with its default values, though c\/templates\/t\.yaml can write workloads/);
});

/** 35 nested defines, each `step` then including the next twice (2^35 includes without a memo). */
function nested(step, leaf) {
  const defs = Array.from({ length: 35 }, (_, i) => `{{define "${i}"}}${step}{{include "${i + 1}" .}}{{include "${i + 1}" .}}{{end}}`).join('');
  return { path: 'c/templates/_deep.tpl', text: `${defs}{{define "35"}}${leaf}{{end}}\n` };
}

const COUNT = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: t\ndata:\n  n: {{ include "0" . | len | quote }}\n';

test('35 nested defines that each include the next twice: an include of the same name and argument is evaluated once', () => {
  // The last writes nothing, so neither does any: only the memo keeps the render from 2^35 includes.
  const deep = nested('', '');
  assert.ok(deep.text.length < 2048, `${deep.text.length} bytes`);
  const r = render('{}\n', COUNT, [deep]);
  assert.deepEqual(r.configMaps[0].data.map((d) => d.value), ['0']);
  assert.deepEqual(r.unknowns, []);
});

test('an include chain whose output doubles at each level stops at the output bound, with a note at the action', () => {
  const deep = nested('', 'x');
  assert.ok(deep.text.length < 2048, `${deep.text.length} bytes`);
  const r = render('{}\n', COUNT, [deep]);
  assert.deepEqual(r.configMaps, []);
  assert.deepEqual(r.unknowns.map((u) => [u.loc.file, u.loc.line]), [['c/templates/t.yaml', 5]]);
  assert.match(r.unknowns[0].message, /^\{\{ include "0" \. \| len \| quote \}\} cannot be evaluated here \(the chart exceeds Port Parity's evaluation budget: .*more than 4,000,000 characters\)/);
});

test('an include chain that changes its dict at each level (no memo can hold) stops at the step budget, with a note', () => {
  const r = render('{}\n', COUNT, [nested('{{ $_ := set . "k" 1 }}', '')]);
  assert.deepEqual(r.configMaps, []);
  assert.equal(r.unknowns.length, 1);
  assert.match(r.unknowns[0].message, /evaluation budget: it needs more than 1,000,000 evaluation steps\)/);
});

test('an include memoised before a dict it reads changes is evaluated again after the change', () => {
  const defs = { path: 'c/templates/_h.tpl', text: '{{ define "port" }}{{ .port }}{{ end }}\n' };
  const body = '{{- $d := dict "port" 80 }}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: t\ndata:\n  a: {{ include "port" $d | quote }}\n{{- $_ := set $d "port" 81 }}\n  b: {{ include "port" $d | quote }}\n';
  const r = render('{}\n', body, [defs]);
  assert.deepEqual(r.configMaps[0].data.map((d) => [d.name, d.value]), [['a', '80'], ['b', '81']]);
});

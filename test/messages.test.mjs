// Rules declare their messages (meta.messages, ESLint's way) and report a message id with data: every id a
// rule uses is declared, every declared message is reported by some fixture, every placeholder is given,
// and the reports carry the ids (JSON messageId; SARIF message.id with the rule's messageStrings).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import api from '../dist/api.js';
import { fixtureCases, run } from './fixture-cases.mjs';

const { RULES, RULE_META, analyze, formatMessage, jsonReport, placeholders, readWorkspace, sarifReport } = api;
const RULES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'server', 'src', 'core', 'rules');
const FORMATS_DIR = join(RULES_DIR, '..', 'formats');

/** Every fixture workspace analysed once, with its findings of every rule. */
const analyses = fixtureCases().map((c) => {
  const ws = readWorkspace(c.dir);
  return { c, analysis: run(ws.files, ws.config, c.dir) };
});

test('every fix a finding offers is one port-parity fix can apply: its rule is fixable, or has suggestions (fix --unsafe); each rule with suggestions shows one', () => {
  const shown = new Set();
  for (const { c, analysis } of analyses) for (const f of analysis.findings) {
    if (!f.fix) continue;
    const m = RULE_META.get(f.rule);
    assert.ok(m.fixable || m.hasSuggestions, `test/fixtures/${c.rule}/${c.name}: ${f.rule} offers "${f.fix.title}" but its meta is neither fixable nor hasSuggestions, so the CLI could not apply it`);
    if (m.hasSuggestions) shown.add(f.rule);
  }
  const declared = RULES.filter((r) => r.meta.hasSuggestions).map((r) => r.meta.id);
  assert.ok(declared.length > 0);
  assert.deepEqual(declared.filter((id) => !shown.has(id)), [], 'rules declaring hasSuggestions whose fixtures offer no fix');
});

test('a message is its template with each {{placeholder}} given by data, spaces inside the braces allowed', () => {
  const meta = { id: 'demo', messages: { moved: '{{service}} listens on {{ from }}{{in}} but {{to}} ({{service}})' } };
  assert.equal(formatMessage(meta, 'moved', { service: 'api', from: 8080, to: 4500, in: ' in staging' }), 'api listens on 8080 in staging but 4500 (api)');
  assert.equal(formatMessage(meta, 'moved', { service: 'api', from: 8080, to: 4500, in: '' }), 'api listens on 8080 but 4500 (api)');
  assert.deepEqual(placeholders(meta.messages.moved), ['service', 'from', 'in', 'to']);
  // A value that looks like a placeholder is put in as it is, not filled again.
  assert.equal(formatMessage({ id: 'demo', messages: { m: '{{a}}-{{b}}' } }, 'm', { a: '{{b}}', b: 'x' }), '{{b}}-x');
});

test('an undeclared message id, a placeholder without a value and a value without a placeholder throw', () => {
  const meta = { id: 'demo', messages: { moved: '{{service}} moved' } };
  assert.throws(() => formatMessage(meta, 'gone', { service: 'api' }), /rule demo has no message "gone" \(it declares moved\)/);
  // Not an own message: an inherited property is no template.
  assert.throws(() => formatMessage(meta, 'toString', {}), /has no message "toString"/);
  assert.throws(() => formatMessage(meta, 'moved', {}), /message "moved": no value for \{\{service\}\}/);
  assert.throws(() => formatMessage(meta, 'moved', { service: 'api', port: 1 }), /message "moved" has no placeholder for port/);
});

test('a finding whose message id its rule does not declare is left out with a note naming the rule and place; the rule\'s other findings stay', (t) => {
  const at = (line) => ({ file: 'compose.yaml', start: line * 10, end: line * 10 + 4, line, col: 0, endLine: line, endCol: 4 });
  const meta = { id: 'zz-demo', description: 'A rule of this test only.', defaultSeverity: 'info', fixable: false, movesPorts: false, alignable: false, messages: { said: '{{what}} said' } };
  const demo = {
    meta, id: meta.id, description: meta.description, defaultSeverity: meta.defaultSeverity, fixable: false,
    check: () => [{ rule: 'zz-demo', messageId: 'unsaid', data: {}, loc: at(1), related: [] }, { rule: 'zz-demo', messageId: 'said', data: { what: 'it' }, loc: at(2), related: [] }],
  };
  const notes = [];
  t.mock.method(console, 'error', (m) => notes.push(String(m)));
  // The engine's list is the registry's array: the demo rule joins it for this one analysis.
  RULES.push(demo);
  let found;
  try {
    found = analyze([], undefined).findings.filter((f) => f.rule === 'zz-demo');
  } finally {
    RULES.pop();
  }
  assert.deepEqual(found.map((f) => [f.messageId, f.message, f.loc.line]), [['said', 'it said', 2]]);
  assert.deepEqual(notes, ['port-parity: finding of zz-demo at compose.yaml:2 left out: rule zz-demo has no message "unsaid" (it declares said)']);
});

for (const rule of RULES) {
  // A rule is the core's (server/src/core/rules/) or a format plug-in's (server/src/core/formats/<id>/rules/).
  const file = [join(RULES_DIR, `${rule.id}.ts`), ...readdirSync(FORMATS_DIR).map((f) => join(FORMATS_DIR, f, 'rules', `${rule.id}.ts`))].find((p) => existsSync(p));
  const source = readFileSync(file, 'utf8');
  const shown = relative(join(RULES_DIR, '..', '..', '..', '..'), file);
  const declared = Object.keys(rule.meta.messages);

  test(`${rule.id} declares its messages by camelCase id, frozen, each a template with well-formed placeholders`, () => {
    assert.ok(declared.length > 0, `${rule.id}: meta.messages is empty`);
    assert.ok(Object.isFrozen(rule.meta.messages), `${rule.id}: meta.messages is frozen`);
    for (const [id, template] of Object.entries(rule.meta.messages)) {
      assert.match(id, /^[a-z][a-zA-Z0-9]*$/, `${rule.id}: message id "${id}" is camelCase`);
      assert.equal(typeof template, 'string');
      assert.ok(template.trim().length > 0, `${rule.id}.${id} is empty`);
      // What is left once the placeholders are gone holds no brace pair: a misspelt placeholder would stay in the text.
      assert.doesNotMatch(template.replace(/\{\{\s*[A-Za-z_$][\w$]*\s*\}\}/g, ''), /\{\{|\}\}/, `${rule.id}.${id}: a placeholder is not {{name}}`);
    }
  });

  // Source level: a message id is a quoted camelCase word with a capital ('portDiffers'); the rule's file names each.
  test(`${rule.id} uses every message it declares, and declares every message id its source names`, () => {
    const used = new Set([...source.matchAll(/'([a-z][a-z0-9]*[A-Z][A-Za-z0-9]*)'/g)].map((m) => m[1]));
    for (const id of declared) assert.ok(used.has(id), `${shown} declares message "${id}" but never reports it`);
    for (const id of used) assert.ok(declared.includes(id), `${shown} reports message "${id}", which its meta does not declare`);
  });
}

test('every finding of every fixture names a declared message, and its text is that template filled with its data', () => {
  let n = 0;
  for (const { c, analysis } of analyses) {
    for (const f of analysis.findings) {
      const meta = RULE_META.get(f.rule);
      assert.ok(Object.hasOwn(meta.messages, f.messageId), `${c.rule}/${c.name}: ${f.rule} reports undeclared message "${f.messageId}"`);
      const full = formatMessage(meta, f.messageId, f.data);
      assert.ok(f.message === full || (f.message.includes('… (') && full.startsWith(f.message.slice(0, f.message.lastIndexOf('… (')))), `${c.rule}/${c.name}: ${f.message}`);
      n++;
    }
  }
  assert.ok(n > 100, `only ${n} findings in the fixtures`);
});

test('the fixtures report every message every rule declares', () => {
  const covered = new Set(analyses.flatMap(({ analysis }) => analysis.findings.map((f) => `${f.rule}.${f.messageId}`)));
  const missing = RULES.flatMap((r) => Object.keys(r.meta.messages).map((id) => `${r.id}.${id}`)).filter((k) => !covered.has(k));
  assert.deepEqual(missing, [], `no fixture reports ${missing.join(', ')}: add an invalid-* case that does`);
});

/** A SARIF consumer's reading of a message string: `{n}` is argument n, `{{` and `}}` are braces. */
function sarifText(format, args) {
  return format.replace(/\{\{|\}\}|\{(\d+)\}/g, (m, n) => (n === undefined ? m[0] : args[Number(n)]));
}

test('SARIF declares each rule\'s messages as messageStrings, and each result\'s id and arguments rebuild its text', () => {
  const runs = analyses.map(({ analysis }) => ({ analysis, path: (file) => file }));
  const log = sarifReport(runs, '0.0.0');
  const { driver } = log.runs[0].tool;
  for (const r of driver.rules) assert.deepEqual(Object.keys(r.messageStrings), Object.keys(RULE_META.get(r.id).messages), r.id);
  assert.ok(log.runs[0].results.length > 100);
  for (const res of log.runs[0].results) {
    const rule = driver.rules[res.ruleIndex];
    assert.equal(rule.id, res.ruleId);
    const format = rule.messageStrings[res.message.id]?.text;
    assert.ok(format !== undefined, `${res.ruleId}: message id ${res.message.id} is not in the rule's messageStrings`);
    assert.ok(res.message.arguments.every((a) => typeof a === 'string'));
    assert.equal(sarifText(format, res.message.arguments), res.message.text);
  }
});

test('the JSON report gives each finding its messageId', () => {
  const runs = analyses.map(({ analysis }) => ({ analysis, path: (file) => file }));
  const findings = jsonReport(runs).findings;
  assert.ok(findings.length > 100);
  for (const f of findings) assert.ok(Object.hasOwn(RULE_META.get(f.rule).messages, f.messageId), `${f.rule}: ${f.messageId}`);
});

// Tests about the rules and their tests: every rule is documented, described and covered by fixtures
// that must fire and fixtures that must not; the registry is sorted and its ids are well formed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import api from '../dist/api.js';

const { DOCS_URL, RULES, RULE_IDS, RULE_META } = api;
const META_KEYS = ['alignable', 'defaultSeverity', 'description', 'docs', 'fixable', 'hasSuggestions', 'id', 'messages', 'movesPorts'];
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURES = join(ROOT, 'test', 'fixtures');

function caseFolders(rule) {
  const dir = join(FIXTURES, rule);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((n) => statSync(join(dir, n)).isDirectory());
}

test('RULES is not empty', () => {
  assert.ok(RULES.length > 0);
});

test('rule ids are kebab-case and unique', () => {
  const ids = RULES.map((r) => r.id);
  for (const id of ids) assert.match(id, /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, `rule id "${id}" is kebab-case`);
  assert.equal(new Set(ids).size, ids.length, `duplicate ids in ${ids.join(', ')}`);
});

test('RULES is sorted by id', () => {
  const ids = RULES.map((r) => r.id);
  assert.deepEqual(ids, [...ids].sort((a, b) => a.localeCompare(b)));
});

test('RULE_IDS and RULE_META are read from the rules\' meta, in the order of RULES', () => {
  assert.deepEqual([...RULE_IDS], RULES.map((r) => r.meta.id));
  assert.deepEqual([...RULE_META.keys()], RULES.map((r) => r.meta.id));
  for (const r of RULES) assert.equal(RULE_META.get(r.meta.id), r.meta);
});

test('every fixture folder names a rule of RULES', () => {
  const ids = new Set(RULES.map((r) => r.id));
  const folders = existsSync(FIXTURES) ? readdirSync(FIXTURES).filter((n) => statSync(join(FIXTURES, n)).isDirectory()) : [];
  for (const f of folders) assert.ok(ids.has(f), `test/fixtures/${f} is not a rule id`);
});

for (const rule of RULES) {
  test(`${rule.id} has a description`, () => {
    assert.equal(typeof rule.description, 'string');
    assert.ok(rule.description.trim().length > 10, `${rule.id}: the description says what the rule finds`);
  });

  test(`${rule.id} has a default severity`, () => {
    assert.ok(['error', 'warning', 'info'].includes(rule.defaultSeverity), `${rule.id}: defaultSeverity is ${rule.defaultSeverity}`);
  });

  test(`${rule.id} is documented in docs/rules/${rule.id}.md`, () => {
    assert.ok(existsSync(join(ROOT, 'docs', 'rules', `${rule.id}.md`)), `docs/rules/${rule.id}.md is missing`);
  });

  test(`${rule.id} declares complete meta: id, description, default severity, fixable, movesPorts, alignable, hasSuggestions, messages, and its page as docs`, () => {
    const m = rule.meta;
    assert.deepEqual(Object.keys(m).sort(), META_KEYS);
    assert.ok(Object.isFrozen(m), `${rule.id}: meta is frozen`);
    for (const k of ['fixable', 'movesPorts', 'alignable', 'hasSuggestions']) assert.equal(typeof m[k], 'boolean', `${rule.id}: meta.${k}`);
    assert.ok(!(m.fixable && m.hasSuggestions), `${rule.id}: a fix is alignment (fixable) or a judgement (hasSuggestions), not both`);
    assert.equal(m.docs, `${DOCS_URL}${m.id}.md`);
    assert.ok(!m.movesPorts || m.fixable, `${rule.id}: a rule whose fixes move ports is fixable`);
    // The registry's shorthand agrees with the meta it copies.
    assert.deepEqual([rule.id, rule.description, rule.defaultSeverity, rule.fixable], [m.id, m.description, m.defaultSeverity, m.fixable]);
  });

  test(`docs/rules/${rule.id}.md says why it matters and shows an example${rule.meta.fixable ? ', and how it is fixed' : ''}`, () => {
    const page = readFileSync(join(ROOT, 'docs', 'rules', `${rule.id}.md`), 'utf8');
    for (const h of ['## Why it matters', '## Example', ...(rule.meta.fixable ? ['## Fix'] : [])]) assert.match(page, new RegExp(`^${h}$`, 'm'), `docs/rules/${rule.id}.md has no "${h}"`);
  });

  test(`docs/rules/${rule.id}.md and the table in docs/rules/README.md give the severity and fixability the meta declares`, () => {
    const page = readFileSync(join(ROOT, 'docs', 'rules', `${rule.id}.md`), 'utf8');
    assert.match(page, new RegExp(`^- \\**Default severity:?\\**:? \\**${rule.meta.defaultSeverity}\\**$`, 'm'), `docs/rules/${rule.id}.md states the default severity ${rule.meta.defaultSeverity}`);
    const row = readFileSync(join(ROOT, 'docs', 'rules', 'README.md'), 'utf8').split('\n').find((l) => l.startsWith(`| [${rule.id}](${rule.id}.md) |`));
    assert.ok(row, `docs/rules/README.md has a row for ${rule.id}`);
    const [, , severity, fixable] = row.split('|').map((c) => c.trim());
    assert.equal(severity, rule.meta.defaultSeverity);
    assert.equal(fixable.startsWith('yes'), rule.meta.fixable, `docs/rules/README.md: ${rule.id} fixable "${fixable}"`);
  });

  if (rule.meta.fixable) {
    test(`${rule.id} is fixable, and some invalid fixture lists the fixes it offers (fixes.json)`, () => {
      assert.ok(caseFolders(rule.id).some((c) => c.startsWith('invalid-') && existsSync(join(FIXTURES, rule.id, c, 'fixes.json'))), `test/fixtures/${rule.id}/invalid-*/fixes.json is missing`);
    });
  }

  test(`${rule.id} has fixtures that must fire and fixtures that must stay silent`, () => {
    const cases = caseFolders(rule.id);
    assert.ok(cases.some((c) => c.startsWith('valid-')), `test/fixtures/${rule.id}/valid-* is missing`);
    assert.ok(cases.some((c) => c.startsWith('invalid-')), `test/fixtures/${rule.id}/invalid-* is missing`);
    for (const c of cases) assert.match(c, /^(valid|invalid)-[a-z0-9]+(-[a-z0-9]+)*$/, `test/fixtures/${rule.id}/${c} is named valid-<what> or invalid-<what>`);
  });
}

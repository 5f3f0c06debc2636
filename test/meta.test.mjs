// Tests about the rules and their tests: every rule is documented, described and covered by fixtures
// that must fire and fixtures that must not; the registry is sorted and its ids are well formed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import api from '../dist/api.js';

const { RULES } = api;
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

  test(`${rule.id} has fixtures that must fire and fixtures that must stay silent`, () => {
    const cases = caseFolders(rule.id);
    assert.ok(cases.some((c) => c.startsWith('valid-')), `test/fixtures/${rule.id}/valid-* is missing`);
    assert.ok(cases.some((c) => c.startsWith('invalid-')), `test/fixtures/${rule.id}/invalid-* is missing`);
    for (const c of cases) assert.match(c, /^(valid|invalid)-[a-z0-9]+(-[a-z0-9]+)*$/, `test/fixtures/${rule.id}/${c} is named valid-<what> or invalid-<what>`);
  });
}

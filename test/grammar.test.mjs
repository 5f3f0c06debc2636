// The dotenv TextMate grammar, tested with vscode-tmgrammar-test (VS Code's own tokenizer) against the
// assertions in test/grammar/*.test.env, through the manifest's `contributes.grammars`. A grammar with
// a broken rule must make the same run fail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const TOOL = join(ROOT, 'node_modules', 'vscode-tmgrammar-test', 'dist', 'unit.js');
const CASES = readdirSync(join(ROOT, 'test', 'grammar')).filter((f) => f.endsWith('.test.env')).sort().map((f) => join('test', 'grammar', f));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const GRAMMAR = JSON.parse(readFileSync(join(ROOT, 'syntaxes', 'dotenv.tmLanguage.json'), 'utf8'));

/** Runs the tool; a hang (a grammar or an assertion the tool loops on) fails after 60 s. */
function run(config, cases = CASES) {
  const r = spawnSync(process.execPath, [TOOL, '--compact', '--config', config, ...cases], { cwd: ROOT, encoding: 'utf8', timeout: 60000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}`, timedOut: r.error?.code === 'ETIMEDOUT' };
}

/** A manifest like ours whose grammar is `grammar`, in a temporary folder. */
function configWith(grammar) {
  const dir = mkdtempSync(join(tmpdir(), 'pp-grammar-'));
  writeFileSync(join(dir, 'dotenv.tmLanguage.json'), JSON.stringify(grammar));
  const contributes = { languages: pkg.contributes.languages, grammars: pkg.contributes.grammars.map((g) => ({ ...g, path: './dotenv.tmLanguage.json' })) };
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ contributes }));
  return join(dir, 'package.json');
}

test('there are grammar test cases for comments, interpolation and ports', () => {
  assert.deepEqual(CASES.map((c) => c.split('/').pop()), ['basics.test.env', 'interpolation.test.env', 'ports.test.env']);
  for (const c of CASES) assert.match(readFileSync(join(ROOT, c), 'utf8'), /^# SYNTAX TEST "source\.dotenv"/);
});

test('the manifest contributes the dotenv language and grammar', () => {
  const lang = pkg.contributes.languages.find((l) => l.id === 'dotenv');
  assert.ok(lang, 'language dotenv');
  assert.deepEqual(lang.filenames, ['.env']);
  assert.deepEqual(lang.filenamePatterns, ['.env.*']);
  const conf = JSON.parse(readFileSync(join(ROOT, lang.configuration), 'utf8'));
  assert.equal(conf.comments.lineComment, '#');
  const g = pkg.contributes.grammars.find((x) => x.language === 'dotenv');
  assert.equal(g.scopeName, 'source.dotenv');
  assert.equal(JSON.parse(readFileSync(join(ROOT, g.path), 'utf8')).scopeName, 'source.dotenv');
});

test('every grammar test case passes with VS Code\'s tokenizer', () => {
  const r = run(join(ROOT, 'package.json'));
  assert.equal(r.timedOut, false, 'vscode-tmgrammar-test did not finish within 60 s');
  assert.equal(r.code, 0, r.out);
  for (const c of CASES) assert.ok(r.out.includes(`${c} run successfuly`), `${c} ran:\n${r.out}`);
});

test('a grammar that no longer highlights ports fails the port cases', () => {
  const broken = structuredClone(GRAMMAR);
  broken.repository['port-number'].name = 'constant.numeric.dotenv';
  broken.repository['port-default'].name = 'constant.numeric.dotenv';
  const r = run(configWith(broken), ['test/grammar/ports.test.env']);
  assert.notEqual(r.code, 0, r.out);
  assert.match(r.out, /Missing required scopes: \[ constant\.numeric\.port\.dotenv \]/);
});

test('a grammar that reads single-quoted values like double-quoted ones fails the basics', () => {
  const broken = structuredClone(GRAMMAR);
  broken.repository['string-single'].patterns = broken.repository['string-double'].patterns;
  const r = run(configWith(broken), ['test/grammar/basics.test.env']);
  assert.notEqual(r.code, 0, r.out);
  assert.match(r.out, /Prohibited scopes: \[ (constant\.character\.escape|meta\.interpolation)\.dotenv \]/);
});

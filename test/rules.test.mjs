// Rule fixtures: every test/fixtures/<rule>/<case>/ is a tiny workspace; its expected.json lists the
// findings of that rule, exactly. valid-* cases must stay silent, invalid-* cases must report, and
// every fix of an invalid case must remove its finding while touching nothing outside its edits.
// Beside expected.json, an invalid case's fixes.json pins which findings offer a fix and its edits
// (an empty list says on purpose that no fix is offered, e.g. for a file shared with other environments).
//
//   node --test test/rules.test.mjs                       check
//   UPDATE_FIXTURES=1 node --test test/rules.test.mjs     rewrite expected.json (review every diff by eye)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import api from '../dist/api.js';
import { FIXTURES, fixtureCases, run } from './fixture-cases.mjs';

const { applyEdits, readWorkspace } = api;

const UPDATE = process.env.UPDATE_FIXTURES === '1';

/** A finding as expected.json spells it: 1-based, end exclusive, as `check --format json` prints it. */
function plain(f) {
  return { rule: f.rule, file: f.loc.file, line: f.loc.line + 1, column: f.loc.col + 1, endLine: f.loc.endLine + 1, endColumn: f.loc.endCol + 1, message: f.message };
}

/** A finding's fix as fixes.json spells it: where the finding is, the title, and every edit (1-based). */
function plainFix(f) {
  const at = (l) => ({ file: l.file, line: l.line + 1, column: l.col + 1, endLine: l.endLine + 1, endColumn: l.endCol + 1 });
  const { file, line, column } = at(f.loc);
  return { file, line, column, title: f.fix.title, edits: f.fix.edits.map((e) => ({ ...at(e.loc), newText: e.newText })) };
}

function byPosition(a, b) {
  return a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.endLine - b.endLine || a.endColumn - b.endColumn || a.message.localeCompare(b.message);
}

/** The case's one-line description (README.md), for the test name. */
function describeCase(dir) {
  const readme = join(dir, 'README.md');
  if (!existsSync(readme)) return '';
  const line = readFileSync(readme, 'utf8').split(/\r?\n/).find((l) => l.trim() !== '');
  return line ? line.replace(/^#+\s*/, '').trim() : '';
}

/** Applies edits file by file to a copy of the workspace texts; returns the new texts and what each file got. */
function applyAll(texts, edits) {
  const byFile = new Map();
  for (const e of edits) byFile.set(e.loc.file, [...(byFile.get(e.loc.file) ?? []), e]);
  const next = new Map(texts);
  const applied = new Map();
  for (const [file, list] of byFile) {
    const before = next.get(file);
    assert.ok(before !== undefined, `the fix edits ${file}, which is not a file of the workspace`);
    const r = applyEdits(before, list);
    next.set(file, r.text);
    applied.set(file, r.applied);
  }
  return { texts: next, applied };
}

/**
 * The new text equals the old one outside the edited ranges, byte for byte (quotes, comments and
 * line endings included), and every replaced range is a bare token: no quote, comment or line break.
 */
function assertOnlyEditedRanges(file, before, after, edits) {
  const sorted = [...edits].sort((a, b) => a.loc.start - b.loc.start);
  let pos = 0;
  let outPos = 0;
  for (const e of sorted) {
    const keep = before.slice(pos, e.loc.start);
    assert.equal(after.slice(outPos, outPos + keep.length), keep, `${file}: text before offset ${e.loc.start} changed`);
    outPos += keep.length;
    const replaced = before.slice(e.loc.start, e.loc.end);
    assert.doesNotMatch(replaced, /["'#\r\n]/, `${file}: the fix replaces ${JSON.stringify(replaced)}, which spans more than a token`);
    if (e.loc.start === e.loc.end && /\n/.test(e.newText)) {
      // A whole line inserted (an EXPOSE a Dockerfile lacks): at a line start (or after a final line without
      // its break), in the file's own line endings, and nothing but a directive's words.
      const eol = /\r\n/.test(before) ? '\r\n' : '\n';
      const atLineStart = e.loc.start === 0 || before[e.loc.start - 1] === '\n';
      const lines = atLineStart ? e.newText : e.newText.replace(new RegExp(`^${eol}`), '');
      assert.ok(atLineStart || e.newText.startsWith(eol), `${file}: a line inserted mid-line at ${e.loc.start}`);
      assert.ok(lines.endsWith(eol) && lines.split(eol).slice(0, -1).every((l) => l !== '' && !/["'#\r\n]/.test(l)), `${file}: the fix inserts ${JSON.stringify(e.newText)}, not whole lines in the file's line endings`);
    } else assert.doesNotMatch(e.newText, /["'#\r\n]/, `${file}: the fix inserts ${JSON.stringify(e.newText)}`);
    assert.equal(after.slice(outPos, outPos + e.newText.length), e.newText, `${file}: the edit at ${e.loc.start} is not what was applied`);
    outPos += e.newText.length;
    pos = e.loc.end;
  }
  assert.equal(after.slice(outPos), before.slice(pos), `${file}: text after the last edit changed`);
}

const sameSpot = (a, b) => a.rule === b.rule && a.loc.file === b.loc.file && a.loc.line === b.loc.line && a.loc.col === b.loc.col;

const cases = fixtureCases();

test('fixtures exist', () => {
  assert.ok(cases.length > 0, `no fixture cases under ${FIXTURES}`);
});

for (const c of cases) {
  const kind = c.name.startsWith('valid-') ? 'valid' : c.name.startsWith('invalid-') ? 'invalid' : undefined;
  const about = describeCase(c.dir);
  const label = `${c.rule} › ${c.name}`;

  test(`${label} ${kind === 'valid' ? 'reports nothing' : 'reports what expected.json lists'}${about ? `: ${about}` : ''}`, () => {
    assert.ok(kind, `${c.dir}: a case folder is named valid-* or invalid-*`);
    const ws = readWorkspace(c.dir);
    assert.deepEqual(ws.configProblems.map((p) => p.message), [], 'the fixture config reads cleanly');
    assert.ok(ws.files.length > 0, 'the case has files the linter reads');
    const found = run(ws.files, ws.config, c.dir).findings.filter((f) => f.rule === c.rule).map(plain).sort(byPosition);
    const expectedFile = join(c.dir, 'expected.json');
    if (UPDATE) writeFileSync(expectedFile, `${JSON.stringify(found, null, 2)}\n`);
    assert.ok(existsSync(expectedFile), `${expectedFile} is missing (run with UPDATE_FIXTURES=1 and review it)`);
    const expected = JSON.parse(readFileSync(expectedFile, 'utf8'));
    assert.deepEqual(found, expected);
    if (kind === 'valid') assert.equal(found.length, 0, 'a valid-* case reports nothing of its rule');
    else assert.ok(found.length > 0, 'an invalid-* case reports at least one finding of its rule');
  });

  if (kind !== 'invalid') continue;
  const ws = readWorkspace(c.dir);
  const texts = new Map(ws.files.map((f) => [f.path, f.text]));
  const analysis = run(ws.files, ws.config, c.dir);
  const fixed = analysis.findings.filter((f) => f.rule === c.rule && f.fix);

  test(`${label} offers the fixes fixes.json lists`, () => {
    const found = fixed.map(plainFix).sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.title.localeCompare(b.title));
    const fixesFile = join(c.dir, 'fixes.json');
    if (UPDATE) writeFileSync(fixesFile, `${JSON.stringify(found, null, 2)}\n`);
    assert.ok(existsSync(fixesFile), `${fixesFile} is missing (run with UPDATE_FIXTURES=1 and review it)`);
    assert.deepEqual(found, JSON.parse(readFileSync(fixesFile, 'utf8')));
  });

  for (const f of fixed) {
    const p = plain(f);
    test(`${label} fix "${f.fix.title}" removes the finding at ${p.file}:${p.line}:${p.column} and edits only its ranges`, () => {
      const { texts: after, applied } = applyAll(texts, f.fix.edits);
      for (const [file, edits] of applied) assertOnlyEditedRanges(file, texts.get(file), after.get(file), edits);
      assert.ok([...applied.values()].some((l) => l.length > 0), 'the fix applies at least one edit');
      const again = run(ws.files.map((x) => ({ path: x.path, text: after.get(x.path) })), ws.config, c.dir);
      const still = again.findings.filter((g) => sameSpot(g, f));
      assert.deepEqual(still.map(plain), [], 'the finding is gone after the fix');
    });
  }

  if (fixed.length === 0) continue;
  test(`${label} fixing twice changes nothing more`, () => {
    const first = applyAll(texts, fixed.flatMap((f) => f.fix.edits)).texts;
    const again = run(ws.files.map((x) => ({ path: x.path, text: first.get(x.path) })), ws.config, c.dir);
    const rest = again.findings.filter((g) => g.rule === c.rule && g.fix);
    const second = applyAll(first, rest.flatMap((g) => g.fix.edits)).texts;
    for (const [file, text] of second) assert.equal(text, first.get(file), `${file} changed on the second fix`);
  });
}

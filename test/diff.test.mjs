// `port-parity fix`'s unified diff (cli/diff.ts over jsdiff): hunks, line ends, BOMs, a missing last line end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyPatch } from 'diff';
import api from '../dist/api.js';

const { unifiedDiff } = api;
const lines = (n, at, text) => Array.from({ length: n }, (_, i) => (i === at ? text : `line ${i + 1}`));

test('a changed line gets a hunk with three lines of context either side, under --- a/ and +++ b/ headers', () => {
  const before = `${lines(12, 5, 'port: 8080').join('\n')}\n`;
  const after = before.replace('8080', '4500');
  const d = unifiedDiff('deploy/api.yaml', before, after);
  assert.equal(d, '--- a/deploy/api.yaml\n+++ b/deploy/api.yaml\n@@ -3,7 +3,7 @@\n line 3\n line 4\n line 5\n-port: 8080\n+port: 4500\n line 7\n line 8\n line 9\n');
  assert.equal(applyPatch(before, d), after);
});

test('an unchanged file has an empty diff', () => {
  assert.equal(unifiedDiff('a.yaml', 'x: 1\n', 'x: 1\n'), '');
});

test('changes further apart than twice the context are separate hunks with their own line numbers', () => {
  const before = `${Array.from({ length: 30 }, (_, i) => (i === 2 || i === 25 ? `port${i}: 8080` : `line ${i + 1}`)).join('\n')}\n`;
  const after = before.replaceAll('8080', '4500');
  const d = unifiedDiff('f', before, after);
  assert.deepEqual(d.split('\n').filter((l) => l.startsWith('@@')), ['@@ -1,6 +1,6 @@', '@@ -23,7 +23,7 @@']);
  assert.equal(applyPatch(before, d), after);
});

test('a file without a line end after its last line says so, on the side that lacks it', () => {
  const before = 'a: 1\nport: 8080';
  const after = 'a: 1\nport: 4500';
  const d = unifiedDiff('f', before, after);
  assert.equal(d, '--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a: 1\n-port: 8080\n\\ No newline at end of file\n+port: 4500\n\\ No newline at end of file\n');
  assert.equal(applyPatch(before, d), after);
  // Unchanged last line without a line end: the context line carries the mark.
  const d2 = unifiedDiff('f', 'port: 8080\nend', 'port: 4500\nend');
  assert.equal(d2, '--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n-port: 8080\n+port: 4500\n end\n\\ No newline at end of file\n');
});

test('a CRLF file diffs by its lines and prints no carriage returns; the patch applies to the CRLF file', () => {
  const before = `${lines(8, 4, 'port: 8080').join('\r\n')}\r\n`;
  const after = before.replace('8080', '4500');
  const d = unifiedDiff('f', before, after);
  assert.ok(!d.includes('\r'), JSON.stringify(d));
  assert.match(d, /^@@ -2,7 \+2,7 @@\n line 2\n line 3\n line 4\n-port: 8080\n\+port: 4500\n line 6\n/m);
  assert.equal(applyPatch(before, d), after);
});

test('a file of lone CRs has its lines counted as the core counts them', () => {
  const before = 'a\rb\rport: 8080\rc\r';
  const d = unifiedDiff('f', before, before.replace('8080', '4500'));
  assert.equal(d, '--- a/f\n+++ b/f\n@@ -1,4 +1,4 @@\n a\n b\n-port: 8080\n+port: 4500\n c\n');
});

test('when only line ends changed, the diff shows them instead of nothing', () => {
  assert.equal(unifiedDiff('f', 'a\r\nb\n', 'a\nb\n'), '--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n-a\r\n+a\n b\n');
});

test('a BOM stays on the first line only: no spurious change, line numbers as in the file, and the patch applies', () => {
  const before = `\ufeff${lines(6, 0, 'port: 8080').join('\n')}\n`;
  const after = before.replace('8080', '4500');
  const d = unifiedDiff('f', before, after);
  assert.equal(d, '--- a/f\n+++ b/f\n@@ -1,4 +1,4 @@\n-\ufeffport: 8080\n+\ufeffport: 4500\n line 2\n line 3\n line 4\n');
  assert.equal(applyPatch(before, d), after);
  // A BOM file changed further down: line 1 is plain context, the change is on its own line number.
  const b2 = `\ufeff${lines(10, 7, 'port: 8080').join('\r\n')}`;
  const d2 = unifiedDiff('f', b2, b2.replace('8080', '4500'));
  assert.match(d2, /^@@ -5,6 \+5,6 @@\n line 5\n line 6\n line 7\n-port: 8080\n\+port: 4500\n line 9\n line 10\n\\ No newline at end of file\n$/m);
});

test('show rewrites the text of every printed line, never the headers or the +/- marks', () => {
  const before = 'url: http://u:secret@db:5432\nport: 8080\n';
  const d = unifiedDiff('f', before, before.replace('8080', '4500'), 3, (l) => l.replace(/:[^:@]*@/, ':****@'));
  assert.equal(d, '--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n url: http://u:****@db:5432\n-port: 8080\n+port: 4500\n');
});

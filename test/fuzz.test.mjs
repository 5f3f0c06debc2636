// A fixed-seed run of test/fuzz.mjs over the project's own workspaces: random edits never make the
// analysis throw, and the language server's incremental path always equals a cold analysis; and the
// on-disk cycle: random edits written to a copy, then fix, fix again and check.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { fixCycles, fuzz } from './fuzz.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

test('2,000 random edits of the examples and the fixtures: no throw, and incremental equals cold', () => {
  const r = fuzz({ roots: [`${root}examples`, `${root}test/fixtures`, `${root}test/unit/fixtures`], seed: 20261127, runs: 2000 });
  assert.equal(r.runs, 2000);
  assert.deepEqual(r.problems, []);
});

test('300 runs of three edits in a row on one store, files appearing and going among them: incremental equals cold at every step', () => {
  const r = fuzz({ roots: [`${root}examples`, `${root}test/fixtures`, `${root}test/unit/fixtures`], seed: 20261203, runs: 300, steps: 3, structural: true });
  assert.equal(r.runs, 300);
  assert.deepEqual(r.problems, []);
});

test('40 on-disk cycles (random edits, fix, fix, check): the second fix changes nothing, nothing outside the copy changes, check answers', () => {
  const r = fixCycles({ roots: [`${root}examples`, `${root}test/fixtures`, `${root}test/unit/fixtures`], seed: 20261203, runs: 40 });
  assert.equal(r.runs, 40);
  assert.deepEqual(r.problems, []);
});

// The client's matrix feed (client/src/matrixFeed.ts): what the status bar, the panel and the
// extension's whenMatrix API hear of the server's matrices.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import lib from '../dist/client-lib.js';

const { MatrixFeed } = lib;
const matrix = (errors) => ({ environments: ['production'], rows: [], findings: { errors, warnings: 0, infos: 0 } });

test('each listener hears every matrix, in order, and latest is the last one', () => {
  const feed = new MatrixFeed();
  const heard = [];
  feed.listen((m) => heard.push(['a', m.findings.errors]));
  feed.listen((m) => heard.push(['b', m.findings.errors]));
  assert.equal(feed.latest(), undefined);
  feed.update(matrix(1));
  feed.update(matrix(2));
  assert.deepEqual(heard, [['a', 1], ['b', 1], ['a', 2], ['b', 2]]);
  assert.equal(feed.latest().findings.errors, 2);
});

test('when resolves with the current matrix if it satisfies, else with the first later one that does', async () => {
  const feed = new MatrixFeed();
  feed.update(matrix(3));
  assert.equal((await feed.when((m) => m.findings.errors === 3)).findings.errors, 3);
  const later = feed.when((m) => m.findings.errors === 0);
  feed.update(matrix(1));
  feed.update(matrix(0));
  feed.update(matrix(5));
  assert.equal((await later).findings.errors, 0);
});

test('when rejects, saying so, if no matrix satisfies it in time', async () => {
  const feed = new MatrixFeed();
  const never = feed.when(() => false, 1);
  feed.update(matrix(1));
  await assert.rejects(never, /no matching matrix within 1 ms/);
});

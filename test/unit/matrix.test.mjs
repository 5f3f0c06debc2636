// The matrix says what port-parity says: a cell differs exactly where the rule reports that service in
// that environment, over every fixture workspace, so "N drifting" and the findings never disagree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import api from '../../dist/api.js';
import { fixtureCases, run } from '../fixture-cases.mjs';

const { buildMatrix, readWorkspace } = api;

for (const c of fixtureCases()) {
  test(`the matrix's differing cells are port-parity's findings in ${c.rule}/${c.name}`, () => {
    const ws = readWorkspace(c.dir);
    // The rule turned off reports nothing while the table still shows the drift.
    if (ws.config.rules['port-parity'] === 'off') return;
    const a = run(ws.files, ws.config, c.dir);
    const m = buildMatrix(a.model);
    const contract = new Set([...a.model.services.values()].filter((s) => s.contract).map((s) => s.name));
    const cells = new Set(m.rows.filter((r) => !contract.has(r.service)).flatMap((r) => r.cells.filter((x) => x.status === 'differs').map((x) => `${r.service}|${x.environment}`)));
    const reported = new Set([...a.findings, ...a.suppressed].filter((f) => f.rule === 'port-parity').flatMap((f) => f.environment.split(',').map((e) => `${f.service}|${e}`)));
    assert.deepEqual([...cells].sort(), [...reported].sort());
  });
}

test('a moved health check to a port staging lacks is a drifting row, shown alike in text and JSON', () => {
  const dir = new URL('../fixtures/port-parity/invalid-kustomize-probe-moved-to-added-port', import.meta.url).pathname;
  const ws = readWorkspace(dir);
  const m = buildMatrix(run(ws.files, ws.config, dir).model);
  assert.deepEqual(m.rows.map((r) => [r.service, r.drift, r.cells.map((x) => [x.environment, x.ports, x.status])]), [['api', true, [['staging', [8080], 'differs'], ['production', [8443, 8080], 'reference']]]]);
});

test('ports only one environment declares, checked nowhere, leave the row agreeing', () => {
  const dir = new URL('../fixtures/port-parity/valid-port-added-in-one-environment', import.meta.url).pathname;
  const ws = readWorkspace(dir);
  const m = buildMatrix(run(ws.files, ws.config, dir).model);
  assert.deepEqual(m.rows.map((r) => [r.service, r.drift, r.cells.map((x) => x.status)]), [['api', false, ['agree', 'agree', 'reference']]]);
});

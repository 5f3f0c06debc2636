// The language server's optional `helm template` render: off until the setting is on AND the workspace
// is trusted; helm (a stand-in, see ../helm-fake.mjs) runs on full evaluations only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fakeHelmWorkspace } from '../helm-fake.mjs';
import { LspClient } from './harness.mjs';

const codes = (ds) => ds.map((d) => d.code);

test('portParity.helm.render runs helm only once the workspace is trusted, and its disagreements become diagnostics', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'pp-lsp-helm-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const { ws, bin, log } = fakeHelmWorkspace(root);
  const client = new LspClient();
  await client.start(ws, {
    configuration: { helm: { render: true } },
    initializationOptions: { trusted: false },
    env: { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH}` },
  });
  t.after(() => client.stop().catch(() => undefined));
  // Untrusted: the chart is checked by the evaluator alone (its skipped-source note), helm never runs.
  await client.diagnosticsFor('charts/api/templates/deployment.yaml', (ds) => codes(ds).includes('skipped-source'));
  assert.equal(existsSync(log), false, 'helm ran in an untrusted workspace');
  assert.ok(![...client.diagnostics.values()].flat().some((d) => d.code === 'helm-template-mismatch'));

  await client.notify('portParity/trusted');
  const prod = await client.diagnosticsFor('charts/api/values-prod.yaml', (ds) => codes(ds).includes('helm-template-mismatch'), 'helm-template-mismatch on values-prod.yaml');
  assert.match(prod.find((d) => d.code === 'helm-template-mismatch').message, /env PORT as 9095/);
  // Helm runs in the background, one chart environment after the other; each result brings an evaluation.
  const runs = () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').length : 0);
  await client.until(() => runs() >= 2, 'both environments rendered by helm');
  assert.equal(runs(), 2, 'one helm run per chart environment');

  // An unsaved edit in the chart: helm reads the disk, so the chart is not compared until it is saved, and helm does not run again.
  const uri = `file://${join(ws, 'charts/api/values-staging.yaml')}`;
  const text = readFileSync(join(ws, 'charts/api/values-staging.yaml'), 'utf8');
  await client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  await client.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: `${text}# edited\n` }] });
  await client.diagnosticsFor('charts/api/values-prod.yaml', (ds) => !codes(ds).includes('helm-template-mismatch'), 'the comparison set aside while the chart has unsaved edits');
  assert.equal(readFileSync(log, 'utf8').trim().split('\n').length, 2);
});

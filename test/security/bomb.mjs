// Charts for the evaluation-budget tests (issue 15.2): a Deployment whose containerPort is a template
// expression, a Service beside it, and the _helpers.tpl under test; and what their server tests share.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { uriOf } from '../lsp/harness.mjs';

/** A chart whose Deployment's containerPort is `{{ <port> }}`, with `helpers` as its _helpers.tpl. */
export function bombChart(root, { helpers, port, values = 'digit: 1\n' }) {
  const dir = join(root, 'chart');
  mkdirSync(join(dir, 'templates'), { recursive: true });
  writeFileSync(join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: bomb\nversion: 0.1.0\n');
  writeFileSync(join(dir, 'values.yaml'), values);
  writeFileSync(join(dir, 'templates', '_helpers.tpl'), helpers);
  writeFileSync(join(dir, 'templates', 'deployment.yaml'), `apiVersion: apps/v1
kind: Deployment
metadata:
  name: bomb
spec:
  selector:
    matchLabels:
      app: bomb
  template:
    metadata:
      labels:
        app: bomb
    spec:
      containers:
        - name: bomb
          image: bomb
          ports:
            - containerPort: ${port}
`);
  writeFileSync(join(dir, 'templates', 'service.yaml'), `apiVersion: v1
kind: Service
metadata:
  name: bomb
spec:
  selector:
    app: bomb
  ports:
    - port: 80
      targetPort: 8080
`);
}

/** 35 defines, each including the next twice: 2^35 includes without a memo. */
export function chain(body, last = '') {
  const lines = [];
  for (let i = 0; i < 34; i++) lines.push(`{{- define "d${i}" -}}${body(`d${i + 1}`)}{{- end -}}`);
  lines.push(`{{- define "d34" -}}${last}{{- end -}}`);
  return `${lines.join('\n')}\n`;
}

/** Stops the server and removes the workspace; a server stuck in an evaluation never answers shutdown: it is killed, the test fails rather than hangs. */
export async function stopServer(client, root) {
  let timer;
  const stopped = await Promise.race([client.stop().then(() => true), new Promise((r) => (timer = setTimeout(() => r(false), 5000)))]);
  clearTimeout(timer);
  if (!stopped) client.proc.kill();
  rmSync(root, { recursive: true, force: true });
}

/** A hover on the fixture's docker-compose.yml published port (test/lsp/workspace); its latency in ms. `mayBeEmpty`: before the first analysis, no answer is right too. */
export async function timedHover(client, root, mayBeEmpty = false) {
  const lines = readFileSync(join(root, 'docker-compose.yml'), 'utf8').split('\n');
  const line = lines.findIndex((l) => l.includes('18080'));
  const s = performance.now();
  const h = await client.request('textDocument/hover', { textDocument: { uri: uriOf(root, 'docker-compose.yml') }, position: { line, character: lines[line].indexOf('18080') + 2 } });
  if (h !== null || !mayBeEmpty) assert.match(h.contents.value, /host-published port, not internal/);
  return performance.now() - s;
}

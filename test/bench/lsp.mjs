// Editor figures: the language server on the synthetic monorepo, spoken to over stdio as an editor would.
//
//   node test/bench/lsp.mjs                # manifests at N=1000 and N=50, charts, overlays and kustomization at N=1000, 100 edits each
//   node test/bench/lsp.mjs --variants overlays --services 2000 --edits 50
//
// Measured: time to the first diagnostics after `initialize`, the latency from one didChange to the
// republished diagnostics (minus the server's 200 ms debounce), hover latency, and the server's memory.
// The edited file per variant: a staging manifest, a chart's staging values file, a staging overlay's patch,
// and (`--variants kustomization`, on the overlays tree) that overlay's kustomization.
// Reported, never asserted: the exit code is 0 whether the targets are met or not.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { ensureMonorepo, treeDir } from './generate.mjs';
import { LspClient, uriOf } from '../lsp/harness.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DEBOUNCE_MS = 200;
const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const EDITS = arg('edits', 100);
const vi = process.argv.indexOf('--variants');
const variants = vi > 0 ? process.argv[vi + 1].split(',') : ['manifests', 'charts', 'overlays', 'kustomization'];
// The scaling comparison (N=1000 against N=50) is made on the manifests variant.
const runs = process.argv.includes('--services') ? variants.map((v) => [v, arg('services', 1000)]) : variants.flatMap((v) => (v === 'manifests' ? [[v, 1000], [v, 50]] : [[v, 1000]]));

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

/**
 * What an edit is in each variant: a file of one clean service, text that makes it drift (edit i) and
 * what its diagnostics say then. Even edits drift, odd ones restore the file, so every edit changes
 * that file's diagnostics; `hover` is a line to hover on.
 */
const EDIT_PLANS = {
  // A plain manifest: staging's containerPort.
  manifests: {
    target: 'deploy/staging/svc-7.yaml',
    drift: (text, port) => text.replace(/containerPort: \d+/, `containerPort: ${port}`),
    says: (port) => `listens on ${port} in staging`,
    hover: /containerPort: \d+/,
  },
  // A chart's staging values: the service port its container listens on (helm create's chart).
  charts: {
    target: 'services/svc-1/chart/values-staging.yaml',
    drift: (text, port) => `${text.trimEnd()}\nservice:\n  port: ${port}\n`,
    says: (port) => `listens on ${port} in staging`,
    hover: /^\s*port: \d+/,
    hoverFile: 'services/svc-1/chart/values.yaml',
  },
  // A staging overlay's strategic merge patch: a PORT the container does not listen on.
  overlays: {
    target: 'services/svc-1/k8s/overlays/staging/deployment-patch.yaml',
    drift: (text, port) => text.replace('          env:\n', `          env:\n            - name: PORT\n              value: "${port}"\n`),
    says: (port) => `PORT=${port} but`,
    hover: /containerPort: \d+/,
    hoverFile: 'services/svc-1/k8s/base/deployment.yaml',
  },
  // The same overlay's kustomization (overlays tree): an inline JSON patch that adds a PORT.
  kustomization: {
    tree: 'overlays',
    target: 'services/svc-1/k8s/overlays/staging/kustomization.yaml',
    drift: (text, port) => `${text.trimEnd()}\n  - target:\n      kind: Deployment\n    patch: |-\n      - op: add\n        path: /spec/template/spec/containers/0/env/-\n        value: {name: PORT, value: "${port}"}\n`,
    says: (port) => `PORT=${port} but`,
    hover: /containerPort: \d+/,
    hoverFile: 'services/svc-1/k8s/base/deployment.yaml',
  },
};

async function measure(variant, n) {
  const plan = EDIT_PLANS[variant];
  const tree = plan.tree ?? variant;
  const dir = treeDir(join(ROOT, '.bench'), tree, n);
  ensureMonorepo(dir, { services: n, variant: tree });
  const client = new LspClient();
  const t0 = performance.now();
  await client.start(dir);
  const target = plan.target;
  // The first matrix notification follows the first complete publication of diagnostics.
  await client.until(() => client.matrixEvents > 0, 'the first evaluation', 600000);
  const firstDiagnostics = performance.now() - t0;

  const uri = uriOf(dir, target);
  const base = readFileSync(join(dir, target), 'utf8');
  if (plan.drift(base, 1) === base) throw new Error(`the ${variant} edit does not apply to ${target}`);
  client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: base } });
  await new Promise((r) => setTimeout(r, DEBOUNCE_MS + 100));
  const latencies = [];
  for (let i = 0; i < EDITS; i++) {
    const port = 20000 + i;
    const text = i % 2 === 0 ? plan.drift(base, port) : base;
    const want = (d) => (i % 2 === 0 ? d.some((x) => x.message.includes(plan.says(port))) : !d.some((x) => x.message.includes(plan.says(port - 1))));
    const sent = performance.now();
    client.notify('textDocument/didChange', { textDocument: { uri, version: i + 2 }, contentChanges: [{ text }] });
    await client.diagnosticsFor(target, want, `diagnostics after edit ${i}`);
    latencies.push(performance.now() - sent - DEBOUNCE_MS);
  }
  const hoverFile = plan.hoverFile ?? target;
  const hoverUri = uriOf(dir, hoverFile);
  const hoverText = readFileSync(join(dir, hoverFile), 'utf8');
  const lines = hoverText.split('\n');
  const line = lines.findIndex((l) => plan.hover.test(l));
  const character = lines[line].search(/\d/);
  const hovers = [];
  for (let i = 0; i < 50; i++) {
    const t = performance.now();
    const h = await client.request('textDocument/hover', { textDocument: { uri: hoverUri }, position: { line, character } });
    hovers.push(performance.now() - t);
    if (!h) throw new Error('no hover');
  }
  const rss = Number(readFileSync(`/proc/${client.proc.pid}/status`, 'utf8').match(/VmHWM:\s+(\d+)/)?.[1] ?? 0) / 1024;
  const modes = client.logs.filter((l) => l.startsWith('evaluated')).slice(-EDITS);
  const incremental = modes.filter((l) => l.includes('incremental')).length;
  await client.stop();
  return {
    variant,
    services: n,
    firstDiagnosticsMs: Math.round(firstDiagnostics),
    editMedianMs: +pct(latencies, 50).toFixed(1),
    editP95Ms: +pct(latencies, 95).toFixed(1),
    hoverMedianMs: +pct(hovers, 50).toFixed(2),
    hoverP95Ms: +pct(hovers, 95).toFixed(2),
    peakRssMb: Math.round(rss),
    incrementalEvaluations: `${incremental}/${modes.length}`,
  };
}

for (const [v] of runs) if (!EDIT_PLANS[v]) throw new Error(`unknown variant ${v} (${Object.keys(EDIT_PLANS).join(', ')})`);
const results = [];
for (const [v, n] of runs) results.push(await measure(v, n));
console.log('\nLanguage server (edit latency is from didChange to republished diagnostics, minus the 200 ms debounce)');
console.log('variant    services  first diagnostics  edit median  edit p95  hover median  hover p95  peak RSS  incremental');
for (const r of results) {
  console.log(`${r.variant.padEnd(11)}${String(r.services).padEnd(10)}${`${r.firstDiagnosticsMs} ms`.padEnd(19)}${`${r.editMedianMs} ms`.padEnd(13)}${`${r.editP95Ms} ms`.padEnd(10)}${`${r.hoverMedianMs} ms`.padEnd(14)}${`${r.hoverP95Ms} ms`.padEnd(11)}${`${r.peakRssMb} MB`.padEnd(10)}${r.incrementalEvaluations}`);
}
const verdict = (ok) => (ok ? 'target met' : 'target MISSED');
for (const v of variants) {
  const mine = results.filter((r) => r.variant === v);
  const big = mine.find((r) => r.services === 1000) ?? mine[0];
  const small = mine.find((r) => r.services === 50);
  console.log(`${v}: edit p95 under 50 ms at ${big.services} services: ${big.editP95Ms} ms — ${verdict(big.editP95Ms < 50)}`);
  console.log(`${v}: hover under 10 ms at ${big.services} services: p95 ${big.hoverP95Ms} ms — ${verdict(big.hoverP95Ms < 10)}`);
  if (small) console.log(`${v}: edit latency at 1000 within 1.5x of 50 services: median ${big.editMedianMs} vs ${small.editMedianMs} ms (${(big.editMedianMs / Math.max(small.editMedianMs, 0.1)).toFixed(2)}x) — ${verdict(big.editMedianMs <= 1.5 * small.editMedianMs)}`);
}
console.log(`BENCH_LSP ${JSON.stringify(results)}`);

// Editor figures: the language server on the synthetic monorepo, spoken to over stdio as an editor would.
//
//   node test/bench/lsp.mjs                # N=1000 and N=50, 100 edits each
//   node test/bench/lsp.mjs --services 2000 --edits 50
//
// Measured: time to the first diagnostics after `initialize`, the latency from one didChange to the
// republished diagnostics (minus the server's 200 ms debounce), hover latency, and the server's memory.
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
const sizes = process.argv.includes('--services') ? [arg('services', 1000)] : [1000, 50];

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

async function measure(n) {
  // The manifests variant: the edited file is a plain manifest (deploy/staging/svc-7.yaml).
  const dir = treeDir(join(ROOT, '.bench'), 'manifests', n);
  ensureMonorepo(dir, { services: n, variant: 'manifests' });
  const client = new LspClient();
  const t0 = performance.now();
  await client.start(dir);
  const target = 'deploy/staging/svc-7.yaml';
  // The first matrix notification follows the first complete publication of diagnostics.
  await client.until(() => client.matrixEvents > 0, 'the first evaluation', 600000);
  const firstDiagnostics = performance.now() - t0;

  const uri = uriOf(dir, target);
  const base = readFileSync(join(dir, target), 'utf8');
  const m = /containerPort: (\d+)/.exec(base);
  client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: base } });
  await new Promise((r) => setTimeout(r, DEBOUNCE_MS + 100));
  const latencies = [];
  for (let i = 0; i < EDITS; i++) {
    // Alternate between a drift and the original port, so every edit changes this file's diagnostics.
    const port = i % 2 === 0 ? 20000 + i : Number(m[1]);
    const text = base.replace(m[0], `containerPort: ${port}`);
    const want = (d) => (i % 2 === 0 ? d.some((x) => x.message.includes(`listens on ${port} in staging`)) : !d.some((x) => x.message.includes(`listens on ${20000 + i - 1} in staging`)));
    const sent = performance.now();
    client.notify('textDocument/didChange', { textDocument: { uri, version: i + 2 }, contentChanges: [{ text }] });
    await client.diagnosticsFor(target, want, `diagnostics after edit ${i}`);
    latencies.push(performance.now() - sent - DEBOUNCE_MS);
  }
  const lines = base.split('\n');
  const line = lines.findIndex((l) => l.includes('containerPort'));
  const hovers = [];
  for (let i = 0; i < 50; i++) {
    const t = performance.now();
    const h = await client.request('textDocument/hover', { textDocument: { uri }, position: { line, character: lines[line].indexOf('containerPort') + 16 } });
    hovers.push(performance.now() - t);
    if (!h) throw new Error('no hover');
  }
  const rss = Number(readFileSync(`/proc/${client.proc.pid}/status`, 'utf8').match(/VmHWM:\s+(\d+)/)?.[1] ?? 0) / 1024;
  const modes = client.logs.filter((l) => l.startsWith('evaluated')).slice(-EDITS);
  const incremental = modes.filter((l) => l.includes('incremental')).length;
  await client.stop();
  return {
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

const results = [];
for (const n of sizes) results.push(await measure(n));
console.log('\nLanguage server (edit latency is from didChange to republished diagnostics, minus the 200 ms debounce)');
console.log('services  first diagnostics  edit median  edit p95  hover median  hover p95  peak RSS  incremental');
for (const r of results) {
  console.log(`${String(r.services).padEnd(10)}${`${r.firstDiagnosticsMs} ms`.padEnd(19)}${`${r.editMedianMs} ms`.padEnd(13)}${`${r.editP95Ms} ms`.padEnd(10)}${`${r.hoverMedianMs} ms`.padEnd(14)}${`${r.hoverP95Ms} ms`.padEnd(11)}${`${r.peakRssMb} MB`.padEnd(10)}${r.incrementalEvaluations}`);
}
const big = results.find((r) => r.services === 1000) ?? results[0];
const small = results.find((r) => r.services === 50);
const verdict = (ok) => (ok ? 'target met' : 'target MISSED');
console.log(`edit p95 under 50 ms at ${big.services} services: ${big.editP95Ms} ms — ${verdict(big.editP95Ms < 50)}`);
console.log(`hover under 10 ms at ${big.services} services: p95 ${big.hoverP95Ms} ms — ${verdict(big.hoverP95Ms < 10)}`);
if (small) console.log(`edit latency at 1000 within 1.5x of 50 services: median ${big.editMedianMs} vs ${small.editMedianMs} ms (${(big.editMedianMs / Math.max(small.editMedianMs, 0.1)).toFixed(2)}x) — ${verdict(big.editMedianMs <= 1.5 * small.editMedianMs)}`);
console.log(`BENCH_LSP ${JSON.stringify(results)}`);

// CPU profile of the check on the benchmark monorepo, summarised by function and mapped back to the
// TypeScript sources through dist/api.js.map: which functions of server/src/core take the time.
//
//   node test/bench/profile.mjs [--variant manifests|charts|overlays] [--services N] [--runs R] [--top K] [--keep]
//
// The profile runs the same child as bench.mjs (`--child check`) under `node --cpu-prof`; the raw
// .cpuprofile is left in .bench/profiles/ (open it in Chrome DevTools) when --keep is given.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureMonorepo, treeDir, VARIANTS } from './generate.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');

function parseArgs(argv) {
  const a = { variant: 'manifests', services: 1000, runs: 3, top: 25, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    if (k === '--variant') a.variant = argv[++i];
    else if (k === '--services') a.services = Number(argv[++i]);
    else if (k === '--runs') a.runs = Number(argv[++i]);
    else if (k === '--top') a.top = Number(argv[++i]);
    else if (k === '--keep') a.keep = true;
    else {
      console.error(`profile: unknown argument ${k}`);
      process.exit(2);
    }
  }
  if (!VARIANTS.includes(a.variant)) {
    console.error(`profile: --variant must be one of ${VARIANTS.join(', ')}`);
    process.exit(2);
  }
  return a;
}

/** Maps generated positions of bundled files to their sources, one source map per bundle. */
function sourceMapper() {
  const maps = new Map();
  const mapFor = (file) => {
    if (!maps.has(file)) {
      let sm;
      try {
        sm = new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')));
      } catch {
        sm = undefined;
      }
      maps.set(file, sm);
    }
    return maps.get(file);
  };
  return (url, line, col) => {
    if (!url) return undefined;
    const file = url.startsWith('file://') ? fileURLToPath(url) : url;
    const rel = relative(ROOT, file);
    if (!rel.startsWith('dist/')) return { file: rel.startsWith('..') ? file : rel, line: line + 1 };
    const sm = mapFor(file);
    const e = sm?.findEntry(line, col);
    if (!e || !e.originalSource) return { file: rel, line: line + 1 };
    const src = e.originalSource.startsWith('file://') ? fileURLToPath(e.originalSource) : resolve(dirname(file), e.originalSource);
    return { file: relative(ROOT, src), line: e.originalLine + 1 };
  };
}

function area(file) {
  if (!file) return 'V8/runtime';
  if (file.startsWith('server/src/core/')) return 'core';
  if (file.startsWith('server/src/cli/')) return 'cli';
  if (file.startsWith('server/src/host/')) return 'host';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  if (nm) return nm[1];
  if (file.startsWith('node:') || !file.includes('/')) return 'node internals';
  if (file.startsWith('test/bench/')) return 'bench harness';
  return file;
}

export function summarise(profile, top = 25) {
  const locate = sourceMapper();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const info = new Map();
  const keyOf = (n) => {
    if (!info.has(n.id)) {
      const cf = n.callFrame;
      const where = cf.url ? locate(cf.url, cf.lineNumber, cf.columnNumber) : undefined;
      const name = cf.functionName || (cf.url ? '(anonymous)' : cf.functionName);
      const label = where ? `${name} ${where.file}:${where.line}` : name || '(unknown)';
      info.set(n.id, { key: label, area: cf.url ? area(where?.file) : name.startsWith('(') ? name : 'V8/runtime', file: where?.file });
    }
    return info.get(n.id);
  };
  const self = new Map();
  const inclusive = new Map();
  const areas = new Map();
  const coreInclusive = new Map();
  let total = 0;
  const deltas = profile.timeDeltas ?? [];
  profile.samples.forEach((id, k) => {
    // A sample's time is the gap to the next one.
    const dt = (deltas[k + 1] ?? deltas[k] ?? 0) / 1000;
    total += dt;
    const leaf = byId.get(id);
    const li = keyOf(leaf);
    self.set(li.key, (self.get(li.key) ?? 0) + dt);
    areas.set(li.area, (areas.get(li.area) ?? 0) + dt);
    const seen = new Set();
    let innermostCore;
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const i = keyOf(byId.get(cur));
      if (!innermostCore && i.area === 'core') innermostCore = i.key;
      if (seen.has(i.key)) continue;
      seen.add(i.key);
      inclusive.set(i.key, (inclusive.get(i.key) ?? 0) + dt);
    }
    // Time attributed to the innermost core function on the stack (its own work plus the libraries it calls).
    if (innermostCore) coreInclusive.set(innermostCore, (coreInclusive.get(innermostCore) ?? 0) + dt);
  });
  const sorted = (m) => [...m].sort((a, b) => b[1] - a[1]);
  const pct = (ms) => `${((100 * ms) / total).toFixed(1)}%`.padStart(6);
  const fmt = (ms) => `${ms.toFixed(0).padStart(7)} ms`;
  const lines = [];
  lines.push(`profile: ${total.toFixed(0)} ms sampled`);
  lines.push('\nself time by area:');
  for (const [k, v] of sorted(areas).slice(0, 12)) lines.push(`  ${fmt(v)} ${pct(v)}  ${k}`);
  lines.push(`\ntop ${top} functions by self time:`);
  for (const [k, v] of sorted(self).slice(0, top)) lines.push(`  ${fmt(v)} ${pct(v)}  ${k}`);
  const isCore = (k) => / server\/src\/core\//.test(k);
  lines.push(`\ntop ${top} core functions by inclusive time (callees included):`);
  for (const [k, v] of sorted(inclusive).filter(([k]) => isCore(k)).slice(0, top)) lines.push(`  ${fmt(v)} ${pct(v)}  ${k}`);
  lines.push(`\ntop ${top} core functions by time under them until the next core frame (own work + library calls):`);
  for (const [k, v] of sorted(coreInclusive).slice(0, top)) lines.push(`  ${fmt(v)} ${pct(v)}  ${k}`);
  return lines.join('\n');
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const dir = treeDir(join(ROOT, '.bench'), args.variant, args.services);
  ensureMonorepo(dir, { services: args.services, variant: args.variant });
  const out = join(ROOT, '.bench', 'profiles');
  mkdirSync(out, { recursive: true });
  const started = Date.now();
  const r = spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', out, '--cpu-prof-interval', '250', '--expose-gc', join(HERE, 'bench.mjs'), '--child', 'check', '--dir', dir, '--runs', String(args.runs), '--warmup', '1'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) {
    console.error(r.stderr);
    process.exit(1);
  }
  const file = readdirSync(out)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(out, f))
    .filter((f) => statSync(f).mtimeMs >= started - 1000)
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  if (!file) {
    console.error('profile: no .cpuprofile written');
    process.exit(1);
  }
  console.log(`\nCPU profile of the check, ${args.variant} N=${args.services}, ${args.runs} run(s) after 1 warm-up (${relative(ROOT, file)})`);
  console.log(summarise(JSON.parse(readFileSync(file, 'utf8')), args.top));
  if (!args.keep) rmSync(file);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();

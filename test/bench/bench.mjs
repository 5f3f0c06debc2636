// Benchmark: the full check against a parse-only floor on a synthetic monorepo, with peak memory and the CLI end to end.
//
//   npm run bench                                  # N=1000 and N=50, 5 runs after 1 warm-up each
//   node --expose-gc test/bench/bench.mjs --services 2000 --compare 0 --runs 3 --no-cli
//   node --expose-gc test/bench/bench.mjs --profile   # also a CPU profile of the check (see profile.mjs)
//
// Each measurement runs in a fresh child process (`--child floor|check`), so that the peak RSS
// (process.resourceUsage().maxRSS) belongs to that phase alone. Timings are reported, never asserted:
// the exit code is 0 whether the targets are met or not (2 only for a usage or setup error).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { DRIFTS, ensureMonorepo, GENERATOR_VERSION, readManifest } from './generate.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const API = join(ROOT, 'dist/api.js');
const CLI = join(ROOT, 'dist/cli.js');
const require = createRequire(import.meta.url);

const TARGET_RATIO = 1.5;
const TARGET_MB = 400;
const MB = 1024 * 1024;

function usage(message) {
  console.error(`bench: ${message}
usage: node --expose-gc test/bench/bench.mjs [--services N] [--compare N|0] [--runs R] [--warmup W] [--no-cli] [--profile]`);
  process.exit(2);
}

function parseArgs(argv) {
  const a = { services: 1000, compare: 50, runs: 5, warmup: 1, cli: true, profile: false, child: undefined, dir: undefined };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const num = () => {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 0) usage(`${k} needs a whole number`);
      return v;
    };
    if (k === '--services') a.services = num();
    else if (k === '--compare') a.compare = num();
    else if (k === '--runs') a.runs = num();
    else if (k === '--warmup') a.warmup = num();
    else if (k === '--no-cli') a.cli = false;
    else if (k === '--profile') a.profile = true;
    else if (k === '--child') a.child = argv[++i];
    else if (k === '--dir') a.dir = argv[++i];
    else usage(`unknown argument ${k}`);
  }
  if (a.services < 1) usage('--services must be at least 1');
  if (a.runs < 1) usage('--runs must be at least 1');
  return a;
}

const median = (xs) => {
  const s = [...xs].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const round = (x, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

function gc() {
  if (typeof globalThis.gc === 'function') globalThis.gc();
}

// ---------------------------------------------------------------------------------------------
// Children: one phase each, printing one `CHILD {...}` line.

/** Runs `fn` warm-up + runs times; each run returns named durations in ms (and `total`). */
/** `before`: drops what the previous run kept, so that two runs' data never live at once. */
function repeat(runs, warmup, fn, before = () => {}) {
  const samples = [];
  for (let k = 0; k < warmup + runs; k++) {
    before();
    gc();
    const s = fn();
    if (k >= warmup) samples.push(s);
  }
  const out = {};
  for (const key of Object.keys(samples[0])) out[key] = round(median(samples.map((s) => s[key])));
  out.samples = samples.map((s) => round(s.total));
  return out;
}

function memory(keep) {
  gc();
  const heapRetained = process.memoryUsage().heapUsed;
  keep.length = 0;
  gc();
  const heapBaseline = process.memoryUsage().heapUsed;
  return {
    maxRssMB: round(process.resourceUsage().maxRSS / 1024),
    heapAfterGcMB: round(heapRetained / MB),
    heapBaselineMB: round(heapBaseline / MB),
  };
}

function childFloor(dir, runs, warmup) {
  const api = require(API);
  const { LineCounter, parseAllDocuments } = require('yaml');
  const { DockerfileParser } = require('dockerfile-ast');
  const keep = [];
  let counts;
  const timing = repeat(runs, warmup, () => {
    const t0 = performance.now();
    const ws = api.readWorkspace(dir);
    const t1 = performance.now();
    const c = { files: ws.files.length, yaml: 0, dockerfile: 0, dotenv: 0, yamlDocs: 0, instructions: 0, lines: 0 };
    for (const f of ws.files) {
      const kind = api.kindOfPath(f.path);
      if (kind === 'yaml' || kind === 'compose') {
        // The options the core passes (server/src/core/yaml.ts parseYaml).
        const docs = parseAllDocuments(f.text, { lineCounter: new LineCounter(), keepSourceTokens: false, uniqueKeys: false, prettyErrors: false });
        c.yaml++;
        c.yamlDocs += Array.isArray(docs) ? docs.length : 0;
      } else if (kind === 'dockerfile') {
        c.dockerfile++;
        c.instructions += DockerfileParser.parse(f.text).getInstructions().length;
      } else if (kind === 'dotenv') {
        c.dotenv++;
        c.lines += f.text.split(/\r\n|\r|\n/).length;
      }
    }
    const t2 = performance.now();
    counts = c;
    keep[0] = ws;
    return { total: t2 - t0, walk: t1 - t0, parse: t2 - t1 };
  }, () => {
    keep.length = 0;
  });
  return { phase: 'floor', ...timing, counts, ...memory(keep) };
}

function childCheck(dir, runs, warmup) {
  const api = require(API);
  const keep = [];
  let result;
  let ws;
  const timing = repeat(runs, warmup, () => {
    const t0 = performance.now();
    ws = api.readWorkspace(dir);
    const t1 = performance.now();
    result = api.analyze(ws.files, ws.config);
    const t2 = performance.now();
    return { total: t2 - t0, walk: t1 - t0, analyze: t2 - t1 };
  }, () => {
    ws = undefined;
    result = undefined;
  });
  // Where analyze's time goes: extraction (parsing included) against the model and the rules.
  const split = repeat(Math.min(runs, 3), 0, () => {
    const t0 = performance.now();
    const facts = api.extractAll(ws.files, ws.config);
    const t1 = performance.now();
    api.analyzeFacts(facts, ws.config);
    const t2 = performance.now();
    return { total: t2 - t0, extract: t1 - t0, modelAndRules: t2 - t1 };
  });
  const byRule = {};
  for (const f of result.findings) byRule[f.rule] = (byRule[f.rule] ?? 0) + 1;
  const found = result.findings.map((f) => ({ rule: f.rule, file: f.loc.file, service: f.service }));
  const counts = {
    files: ws.files.length,
    findings: result.findings.length,
    suppressed: result.suppressed.length,
    skippedFacts: result.facts.filter((f) => f.kind === 'skipped').length,
    services: result.model.services.size,
    environments: result.model.envs,
    byRule,
  };
  keep.push(ws, result);
  ws = undefined;
  result = undefined;
  return { phase: 'check', ...timing, extract: split.extract, modelAndRules: split.modelAndRules, counts, found, ...memory(keep) };
}

function runChild(phase, dir, args, extraNodeArgs = []) {
  const r = spawnSync(process.execPath, [...extraNodeArgs, '--expose-gc', fileURLToPath(import.meta.url), '--child', phase, '--dir', dir, '--runs', String(args.runs), '--warmup', String(args.warmup)], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 256 * MB,
  });
  const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith('CHILD '));
  if (r.status !== 0 || !line) {
    console.error(r.stderr);
    throw new Error(`the ${phase} child failed (exit ${r.status}${r.signal ? `, ${r.signal}` : ''})`);
  }
  return JSON.parse(line.slice('CHILD '.length));
}

// ---------------------------------------------------------------------------------------------
// Parent.

function runCli(dir) {
  const rel = relative(ROOT, dir) || '.';
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [CLI, 'check', rel, '--format', 'json'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 512 * MB });
  const wallMs = round(performance.now() - t0);
  let findings;
  try {
    findings = JSON.parse(r.stdout).findings.length;
  } catch {
    findings = undefined;
  }
  return { command: `node dist/cli.js check ${rel} --format json`, wallMs, exitCode: r.status, signal: r.signal ?? undefined, findings, stderr: (r.stderr ?? '').trim().slice(0, 500) || undefined };
}

/** Which planted drifts produced their expected finding, and how many findings concern no planted service. */
function plantedCheck(planted, found) {
  const missed = planted.filter((p) => !found.some((f) => f.rule === p.rule && f.file === p.file));
  const services = new Set(planted.map((p) => p.service));
  const unexpected = found.filter((f) => !services.has(f.service) && !planted.some((p) => p.file === f.file));
  return { planted: planted.length, detected: planted.length - missed.length, missed, unexpected: unexpected.length };
}

function measure(services, args) {
  const dir = join(ROOT, '.bench', `mono-${services}`);
  const t0 = performance.now();
  const gen = ensureMonorepo(dir, { services });
  const genMs = round(performance.now() - t0);
  process.stderr.write(`bench: N=${services}: ${gen.generated ? `generated in ${genMs} ms` : 'tree up to date'} (${gen.manifest.files} files); measuring...\n`);
  const floor = runChild('floor', dir, args);
  const check = runChild('check', dir, args);
  const cli = args.cli ? runCli(dir) : undefined;
  const { found, ...checkRest } = check;
  const ratio = round(check.total / floor.total, 2);
  return {
    services,
    dir: relative(ROOT, dir),
    generated: gen.generated,
    treeFiles: gen.manifest.files,
    nodeModulesFiles: gen.manifest.nodeModulesFiles,
    floor,
    check: checkRest,
    ratio,
    drifts: plantedCheck(readManifest(dir)?.planted ?? [], found),
    cli,
    targets: {
      ratio: { target: `<= ${TARGET_RATIO}`, value: ratio, met: ratio <= TARGET_RATIO },
      peakRss: { target: `< ${TARGET_MB} MB`, value: check.maxRssMB, met: check.maxRssMB < TARGET_MB },
      heapAfterGc: { target: `< ${TARGET_MB} MB`, value: check.heapAfterGcMB, met: check.heapAfterGcMB < TARGET_MB },
    },
  };
}

function table(rows, headers) {
  const cells = [headers, ...rows].map((r) => r.map((c) => (c === undefined ? '-' : String(c))));
  const widths = headers.map((_, k) => Math.max(...cells.map((r) => r[k].length)));
  const line = (r) => r.map((c, k) => (k === 0 ? c.padEnd(widths[k]) : c.padStart(widths[k]))).join('  ');
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

function report(results, args) {
  const cols = results.map((r) => `N=${r.services}`);
  const row = (label, f) => [label, ...results.map(f)];
  console.log(`\nPort Parity benchmark: median of ${args.runs} run(s) after ${args.warmup} warm-up, node ${process.version}, generator v${GENERATOR_VERSION}\n`);
  console.log(table([
    row('files in tree (node_modules)', (r) => `${r.treeFiles} (${r.nodeModulesFiles})`),
    row('files read by the check', (r) => r.check.counts.files),
    row('  yaml+compose / Dockerfile / .env', (r) => `${r.floor.counts.yaml} / ${r.floor.counts.dockerfile} / ${r.floor.counts.dotenv}`),
    row('parse-only floor (ms)', (r) => r.floor.total),
    row('  walk + read (ms)', (r) => r.floor.walk),
    row('  parse (ms)', (r) => r.floor.parse),
    row('full check (ms)', (r) => r.check.total),
    row('  walk + read (ms)', (r) => r.check.walk),
    row('  analyze (ms)', (r) => r.check.analyze),
    row('    extractAll (ms)', (r) => r.check.extract),
    row('    model + rules (ms)', (r) => r.check.modelAndRules),
    row('check runs (ms)', (r) => r.check.samples.join(' ')),
    row(`ratio check/floor (<= ${TARGET_RATIO})`, (r) => `${r.ratio.toFixed(2)}x`),
    row('findings (suppressed)', (r) => `${r.check.counts.findings} (${r.check.counts.suppressed})`),
    row('planted drifts detected', (r) => `${r.drifts.detected}/${r.drifts.planted}`),
    row('findings off planted services', (r) => r.drifts.unexpected),
    row('services / environments', (r) => `${r.check.counts.services} / ${r.check.counts.environments.join(',')}`),
    row('floor peak RSS (MB)', (r) => r.floor.maxRssMB),
    row(`check peak RSS (MB, < ${TARGET_MB})`, (r) => r.check.maxRssMB),
    row('check heap after gc, result held (MB)', (r) => r.check.heapAfterGcMB),
    row('check heap after gc, released (MB)', (r) => r.check.heapBaselineMB),
    row('CLI wall time (ms)', (r) => r.cli?.wallMs),
    row('CLI exit code / findings', (r) => (r.cli ? `${r.cli.exitCode} / ${r.cli.findings}` : undefined)),
  ], ['', ...cols]));
  console.log('\nfindings by rule:');
  console.log(table(
    [...new Set(results.flatMap((r) => Object.keys(r.check.counts.byRule)))].sort().map((rule) => [rule, ...results.map((r) => r.check.counts.byRule[rule] ?? 0)]),
    ['rule', ...cols],
  ));
  console.log('\ntargets:');
  for (const r of results) {
    for (const [name, t] of Object.entries(r.targets)) {
      const shown = name === 'ratio' ? `${t.value.toFixed(2)}x` : `${t.value} MB`;
      console.log(`  N=${String(r.services).padEnd(6)} ${name.padEnd(12)} ${shown.padStart(10)}  (${t.target})  ${t.met ? 'target met' : 'target MISSED'}`);
    }
    for (const m of r.drifts.missed) console.log(`  N=${r.services}: planted ${m.kind} in ${m.service} gave no ${m.rule} finding at ${m.file}`);
    if (r.cli && r.cli.findings !== r.check.counts.findings) console.log(`  N=${r.services}: the CLI reported ${r.cli.findings} findings, in-process ${r.check.counts.findings}${r.cli.stderr ? `: ${r.cli.stderr}` : ''}`);
  }
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.child) {
    if (!args.dir) usage('--child needs --dir');
    const out = args.child === 'floor' ? childFloor(args.dir, args.runs, args.warmup) : args.child === 'check' ? childCheck(args.dir, args.runs, args.warmup) : usage(`unknown phase ${args.child}`);
    console.log(`CHILD ${JSON.stringify(out)}`);
    return;
  }
  if (!existsSync(API) || !existsSync(CLI)) usage('dist/api.js or dist/cli.js is missing: run `npm run bench` (it builds first) or `node esbuild.mjs`');
  if (typeof globalThis.gc !== 'function') process.stderr.write('bench: run with --expose-gc for the heap figures (npm run bench does)\n');
  const sizes = [...new Set([args.services, args.compare].filter((n) => n > 0))];
  const results = sizes.map((n) => measure(n, args));
  report(results, args);
  const missed = results.some((r) => !r.targets.ratio.met || !r.targets.peakRss.met || !r.targets.heapAfterGc.met);
  if (args.profile || missed) {
    const hint = `node test/bench/profile.mjs --services ${args.services}`;
    if (args.profile) {
      const r = spawnSync(process.execPath, [join(HERE, 'profile.mjs'), '--services', String(args.services)], { cwd: ROOT, stdio: 'inherit' });
      if (r.status !== 0) console.log(`profile.mjs failed (exit ${r.status})`);
    } else console.log(`\nA target was missed: \`${hint}\` shows where the check spends its time.`);
  }
  const json = {
    node: process.version,
    generatorVersion: GENERATOR_VERSION,
    driftKinds: DRIFTS.map((d) => d.kind),
    runs: args.runs,
    warmup: args.warmup,
    results: results.map((r) => ({
      services: r.services,
      files: r.check.counts.files,
      treeFiles: r.treeFiles,
      floorMs: r.floor.total,
      floorWalkMs: r.floor.walk,
      floorParseMs: r.floor.parse,
      checkMs: r.check.total,
      checkWalkMs: r.check.walk,
      analyzeMs: r.check.analyze,
      extractMs: r.check.extract,
      modelAndRulesMs: r.check.modelAndRules,
      checkSamplesMs: r.check.samples,
      ratio: r.ratio,
      findings: r.check.counts.findings,
      byRule: r.check.counts.byRule,
      plantedDetected: r.drifts.detected,
      planted: r.drifts.planted,
      floorMaxRssMB: r.floor.maxRssMB,
      maxRssMB: r.check.maxRssMB,
      heapAfterGcMB: r.check.heapAfterGcMB,
      cli: r.cli && { wallMs: r.cli.wallMs, exitCode: r.cli.exitCode, findings: r.cli.findings },
      targets: Object.fromEntries(Object.entries(r.targets).map(([k, t]) => [k, t.met ? 'met' : 'MISSED'])),
    })),
  };
  console.log(`BENCH ${JSON.stringify(json)}`);
}

try {
  main();
} catch (e) {
  console.error(`bench: ${e.stack ?? e}`);
  process.exit(2);
}

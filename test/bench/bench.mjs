// Benchmark: the full check against a parse-only floor on a synthetic monorepo, with peak memory and the CLI end to end.
//
//   npm run bench                                  # N=1000 and N=50, 5 runs after 1 warm-up each
//   node --expose-gc test/bench/bench.mjs --services 2000 --compare 0 --runs 3 --no-cli
//   node --expose-gc test/bench/bench.mjs --profile   # also a CPU profile of the check (see profile.mjs)
//
// The measurements run in child processes: the timings in one (floor and check interleaved), the
// memory of each phase in a fresh one, so that the peak RSS (process.resourceUsage().maxRSS) belongs to
// that phase alone. Timings are reported, never asserted: the exit code is 0 whether the targets are
// met or not (2 only for a usage or setup error).
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
  const a = { services: 1000, compare: 50, runs: 5, warmup: 1, cli: true, profile: false, child: undefined, dir: undefined, phase: 'check' };
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
    else if (k === '--phase') a.phase = argv[++i];
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
// Children, each printing one `CHILD {...}` line:
//   time   floor and check runs interleaved, the order alternating run by run, so that load from
//          elsewhere on the machine weighs on both alike; then extractAll/analyzeFacts apart.
//   mem    one floor or one check run (`--phase`) in a fresh process: its maxRSS is that phase's alone.
//   check  check runs only (what profile.mjs profiles).

function summarise(samples) {
  const out = {};
  for (const key of Object.keys(samples[0])) out[key] = round(median(samples.map((s) => s[key])));
  out.samples = samples.map((s) => round(s.total));
  return out;
}

/** CPU time (user + system, all threads: GC included) since `from`: steadier than wall time on a busy machine. */
function cpuMs(from) {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1000;
}

/** The floor: the check's walk, then each file through the parser the core uses for it, and nothing else. */
function floorRunner(api, dir) {
  const { LineCounter, parseAllDocuments } = require('yaml');
  const { DockerfileParser } = require('dockerfile-ast');
  return () => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const ws = api.readWorkspace(dir);
    const t1 = performance.now();
    const counts = { files: ws.files.length, yaml: 0, dockerfile: 0, dotenv: 0, other: 0, yamlDocs: 0, instructions: 0, lines: 0 };
    for (const f of ws.files) {
      const kind = api.kindOfPath(f.path);
      if (kind === 'yaml' || kind === 'compose') {
        // The options the core passes (server/src/core/yaml.ts, parseYaml).
        const docs = parseAllDocuments(f.text, { lineCounter: new LineCounter(), keepSourceTokens: false, uniqueKeys: false, prettyErrors: false });
        counts.yaml++;
        counts.yamlDocs += Array.isArray(docs) ? docs.length : 0;
      } else if (kind === 'dockerfile') {
        counts.dockerfile++;
        counts.instructions += DockerfileParser.parse(f.text).getInstructions().length;
      } else if (kind === 'dotenv') {
        counts.dotenv++;
        counts.lines += f.text.split(/\r\n|\r|\n/).length;
      } else counts.other++;
    }
    const t2 = performance.now();
    return { times: { total: t2 - t0, walk: t1 - t0, parse: t2 - t1, cpu: cpuMs(c0) }, counts, keep: [ws] };
  };
}

/** The full check, as the CLI runs it: readWorkspace + analyze. */
function checkRunner(api, dir) {
  return () => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const ws = api.readWorkspace(dir);
    const t1 = performance.now();
    const result = api.analyze(ws.files, ws.config);
    const t2 = performance.now();
    return { times: { total: t2 - t0, walk: t1 - t0, analyze: t2 - t1, cpu: cpuMs(c0) }, ws, result, keep: [ws, result] };
  };
}

function describeCheck(ws, result) {
  const byRule = {};
  for (const f of result.findings) byRule[f.rule] = (byRule[f.rule] ?? 0) + 1;
  return {
    counts: {
      files: ws.files.length,
      findings: result.findings.length,
      suppressed: result.suppressed.length,
      skippedFacts: result.facts.filter((f) => f.kind === 'skipped').length,
      services: result.model.services.size,
      environments: result.model.envs,
      byRule,
    },
    found: result.findings.map((f) => ({ rule: f.rule, file: f.loc.file, service: f.service })),
  };
}

function childTime(dir, runs, warmup) {
  const api = require(API);
  const floor = floorRunner(api, dir);
  const check = checkRunner(api, dir);
  const floorSamples = [];
  const checkSamples = [];
  let floorCounts;
  for (let k = 0; k < warmup + runs; k++) {
    for (const which of k % 2 ? ['check', 'floor'] : ['floor', 'check']) {
      gc();
      const r = which === 'floor' ? floor() : check();
      if (which === 'floor') floorCounts = r.counts;
      if (k >= warmup) (which === 'floor' ? floorSamples : checkSamples).push(r.times);
    }
  }
  // Where analyze's time goes: extraction (parsing included) against the model and the rules.
  gc();
  const ws = api.readWorkspace(dir);
  const split = [];
  let analysis;
  for (let k = 0; k < Math.min(runs, 3); k++) {
    analysis = undefined;
    gc();
    const t0 = performance.now();
    const facts = api.extractAll(ws.files, ws.config);
    const t1 = performance.now();
    analysis = api.analyzeFacts(facts, ws.config);
    const t2 = performance.now();
    split.push({ total: t2 - t0, extract: t1 - t0, modelAndRules: t2 - t1 });
  }
  const pairRatios = checkSamples.map((c, k) => c.total / floorSamples[k].total);
  const parts = summarise(split);
  return {
    floor: { ...summarise(floorSamples), counts: floorCounts },
    check: { ...summarise(checkSamples), extract: parts.extract, modelAndRules: parts.modelAndRules },
    pairRatioMedian: round(median(pairRatios), 2),
    ...describeCheck(ws, analysis),
  };
}

function childMem(dir, phase) {
  const api = require(API);
  const r = (phase === 'floor' ? floorRunner : checkRunner)(api, dir)();
  const keep = r.keep;
  r.keep = undefined;
  gc();
  const heapRetained = process.memoryUsage().heapUsed;
  keep.length = 0;
  r.ws = undefined;
  r.result = undefined;
  gc();
  return {
    phase,
    ms: round(r.times.total),
    maxRssMB: round(process.resourceUsage().maxRSS / 1024),
    heapAfterGcMB: round(heapRetained / MB),
    heapReleasedMB: round(process.memoryUsage().heapUsed / MB),
  };
}

function childCheck(dir, runs, warmup) {
  const api = require(API);
  const check = checkRunner(api, dir);
  const samples = [];
  for (let k = 0; k < warmup + runs; k++) {
    gc();
    const r = check();
    if (k >= warmup) samples.push(r.times);
  }
  return { phase: 'check', ...summarise(samples) };
}

function runChild(child, dir, args, extra = []) {
  const r = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--child', child, '--dir', dir, '--runs', String(args.runs), '--warmup', String(args.warmup), ...extra], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 256 * MB,
  });
  const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith('CHILD '));
  if (r.status !== 0 || !line) {
    console.error(r.stderr);
    throw new Error(`the ${child} ${extra.join(' ')} child failed (exit ${r.status}${r.signal ? `, ${r.signal}` : ''})`);
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
  const time = runChild('time', dir, args);
  const floorMem = runChild('mem', dir, args, ['--phase', 'floor']);
  const checkMem = runChild('mem', dir, args, ['--phase', 'check']);
  const cli = args.cli ? runCli(dir) : undefined;
  const floor = { ...time.floor, ...floorMem };
  const check = { ...time.check, counts: time.counts, ...checkMem };
  const ratio = round(check.total / floor.total, 2);
  return {
    services,
    dir: relative(ROOT, dir),
    generated: gen.generated,
    treeFiles: gen.manifest.files,
    nodeModulesFiles: gen.manifest.nodeModulesFiles,
    floor,
    check,
    ratio,
    pairRatioMedian: time.pairRatioMedian,
    drifts: plantedCheck(readManifest(dir)?.planted ?? [], time.found),
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
    row('    extractAll (ms, separate runs)', (r) => r.check.extract),
    row('    model + rules (ms, separate runs)', (r) => r.check.modelAndRules),
    row('floor runs (ms)', (r) => r.floor.samples.join(' ')),
    row('check runs (ms)', (r) => r.check.samples.join(' ')),
    row(`ratio check/floor (<= ${TARGET_RATIO})`, (r) => `${r.ratio.toFixed(2)}x`),
    row('  median of run-by-run ratios', (r) => `${r.pairRatioMedian.toFixed(2)}x`),
    row('floor / check CPU time (ms)', (r) => `${r.floor.cpu} / ${r.check.cpu}`),
    row('  ratio by CPU time', (r) => `${(r.check.cpu / r.floor.cpu).toFixed(2)}x`),
    row('findings (suppressed)', (r) => `${r.check.counts.findings} (${r.check.counts.suppressed})`),
    row('planted drifts detected', (r) => `${r.drifts.detected}/${r.drifts.planted}`),
    row('findings off planted services', (r) => r.drifts.unexpected),
    row('services / environments', (r) => `${r.check.counts.services} / ${r.check.counts.environments.join(',')}`),
    row('floor peak RSS (MB)', (r) => r.floor.maxRssMB),
    row(`check peak RSS (MB, < ${TARGET_MB})`, (r) => r.check.maxRssMB),
    row('check heap after gc, result held (MB)', (r) => r.check.heapAfterGcMB),
    row('check heap after gc, released (MB)', (r) => r.check.heapReleasedMB),
    row('single check run in the mem child (ms)', (r) => r.check.ms),
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
    if (r.floor.counts.files !== r.check.counts.files) console.log(`  N=${r.services}: the floor parsed ${r.floor.counts.files} files, the check read ${r.check.counts.files}`);
    if (r.cli && r.cli.findings !== r.check.counts.findings) console.log(`  N=${r.services}: the CLI reported ${r.cli.findings} findings, in-process ${r.check.counts.findings}${r.cli.stderr ? `: ${r.cli.stderr}` : ''}`);
  }
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.child) {
    if (!args.dir) usage('--child needs --dir');
    const children = {
      time: () => childTime(args.dir, args.runs, args.warmup),
      mem: () => childMem(args.dir, args.phase),
      check: () => childCheck(args.dir, args.runs, args.warmup),
    };
    if (!children[args.child]) usage(`unknown child ${args.child}`);
    const out = children[args.child]();
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
      floorCpuMs: r.floor.cpu,
      checkCpuMs: r.check.cpu,
      cpuRatio: round(r.check.cpu / r.floor.cpu, 2),
      checkMs: r.check.total,
      checkWalkMs: r.check.walk,
      analyzeMs: r.check.analyze,
      extractMs: r.check.extract,
      modelAndRulesMs: r.check.modelAndRules,
      checkSamplesMs: r.check.samples,
      ratio: r.ratio,
      pairRatioMedian: r.pairRatioMedian,
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

// Benchmark: the full check against a parse-only floor on a synthetic monorepo, with peak memory and the CLI end to end.
//
//   npm run bench                                  # manifests at N=1000 and N=50 (5 runs after 1 warm-up),
//                                                  # charts and overlays at N=1000 (5 runs after 1 warm-up)
//   node --expose-gc test/bench/bench.mjs --variants charts --services 200
//   node --expose-gc test/bench/bench.mjs --variants manifests --services 2000 --compare 0 --runs 3 --no-cli
//   node --expose-gc test/bench/bench.mjs --profile   # also a CPU profile of the check (see profile.mjs)
//
// Variants (test/bench/generate.mjs): `manifests` (plain staging and production manifests), `charts` (a
// Helm chart per service) and `overlays` (a Kustomize base and staging/production overlays per service),
// each with the same Dockerfiles, .env files and compose stacks. `--compare N` adds a small tree of the
// manifests variant for the scaling comparison; `--variant-runs R` sets the runs of the other variants.
//
// The measurements run in child processes: the timings in one (floor and check interleaved), the
// memory of each phase in a fresh one, so that the peak RSS (process.resourceUsage().maxRSS) belongs to
// that phase alone. Timings are reported, never asserted: the exit code is 0 whether the targets are
// met or not (2 only for a usage or setup error).
//
// A check run keeps no parse or render for the next one: the language server's caches (renders of charts and
// overlays, parsed kustomizations) live with its facts cache, which the CLI and this bench do not pass.
// Only the JIT is warm after the first run; the "single check run in the mem child" row (a fresh
// process) is the cold figure.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DRIFTS_BY_VARIANT, ensureMonorepo, GENERATOR_VERSION, readManifest, treeDir, VARIANTS } from './generate.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const API = join(ROOT, 'dist/api.js');
const CLI = join(ROOT, 'dist/cli.js');
const require = createRequire(import.meta.url);

// The floor parses with the build of `yaml` the core is bundled with (esbuild.mjs: its ES module build).
const YAML = await import(pathToFileURL(join(ROOT, 'node_modules/yaml/browser/index.js')).href);

const TARGET_RATIO = 1.5;
const TARGET_MB = 400;
const MB = 1024 * 1024;

function usage(message) {
  console.error(`bench: ${message}
usage: node --expose-gc test/bench/bench.mjs [--variants ${VARIANTS.join(',')}] [--services N] [--compare N|0] [--runs R] [--variant-runs R] [--warmup W] [--no-cli] [--profile]`);
  process.exit(2);
}

function parseArgs(argv) {
  const a = { variants: [...VARIANTS], services: 1000, compare: 50, runs: 5, variantRuns: 5, warmup: 1, cli: true, profile: false, child: undefined, dir: undefined, phase: 'check' };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const num = () => {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 0) usage(`${k} needs a whole number`);
      return v;
    };
    if (k === '--variants' || k === '--variant') {
      a.variants = [...new Set((argv[++i] ?? '').split(',').map((v) => v.trim()).filter(Boolean))];
      const bad = a.variants.filter((v) => !VARIANTS.includes(v));
      if (bad.length || a.variants.length === 0) usage(`${k} takes a comma-separated list of ${VARIANTS.join(', ')}`);
    } else if (k === '--services') a.services = num();
    else if (k === '--compare') a.compare = num();
    else if (k === '--runs') a.runs = num();
    else if (k === '--variant-runs') a.variantRuns = num();
    else if (k === '--warmup') a.warmup = num();
    else if (k === '--no-cli') a.cli = false;
    else if (k === '--profile') a.profile = true;
    else if (k === '--child') a.child = argv[++i];
    else if (k === '--dir') a.dir = argv[++i];
    else if (k === '--phase') a.phase = argv[++i];
    else usage(`unknown argument ${k}`);
  }
  if (a.services < 1) usage('--services must be at least 1');
  if (a.runs < 1 || a.variantRuns < 1) usage('--runs and --variant-runs must be at least 1');
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

/**
 * Chart files, as the engine sees them: `inChart` for a path in a folder holding a Chart.yaml (or below
 * one), `isTemplate` for one in the `templates/` folder of the chart that owns it (the deepest).
 */
function chartPaths(files) {
  const charts = new Set();
  for (const f of files) if (basename(f.path) === 'Chart.yaml') charts.add(dirname(f.path));
  const owner = (p) => {
    if (charts.size === 0) return undefined;
    for (let d = dirname(p); ; d = dirname(d)) {
      if (charts.has(d)) return d;
      if (d === '.' || d === '/' || d === '') return undefined;
    }
  };
  return {
    inChart: (p) => owner(p) !== undefined,
    isTemplate: (p) => {
      const d = owner(p);
      return d !== undefined && (d === '.' ? p : p.slice(d.length + 1)).startsWith('templates/');
    },
  };
}

/**
 * The floor: the check's walk, then each file through the parser the core uses for it, and nothing else.
 *
 * A Helm chart's templates are Go templates: their YAML exists only once they are expanded with an
 * environment's values. So for charts the floor is what it costs to have every chart environment's
 * manifests as YAML trees, the way `gcc -fsyntax-only` preprocesses before it parses: values files and
 * Chart.yaml through `yaml`, templates through the core's template parser, each environment's templates
 * expanded by the core's evaluator and the output through `yaml` (the core's `expandCharts`). Reading
 * facts from those trees, mapping them back to values lines, the model and the rules are above it.
 * `readOnly` is the stricter floor the first benchmark used: templates only read (lines counted), never
 * expanded; it is printed beside the other for charts.
 *
 * Kustomizations, bases and patches are YAML files like any other: the floor parses each once, and
 * building the overlays (merging patches into bases) is above it.
 */
function floorRunner(api, dir, { readOnly = false, keep = () => true } = {}) {
  const { LineCounter, parseAllDocuments } = YAML;
  const { DockerfileParser } = require('dockerfile-ast');
  return () => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const ws = kept(api.readWorkspace(dir), keep);
    const t1 = performance.now();
    const counts = { files: ws.files.length, yaml: 0, dockerfile: 0, dotenv: 0, template: 0, chartFiles: 0, renders: 0, other: 0, yamlDocs: 0, instructions: 0, lines: 0, templateLines: 0 };
    const { inChart, isTemplate } = chartPaths(ws.files);
    for (const f of ws.files) {
      const kind = api.kindOfPath(f.path);
      if (!readOnly && (kind === 'yaml' || kind === 'helm-helpers') && inChart(f.path)) {
        // Read below, by expandCharts, as the check reads them.
        counts.chartFiles++;
        if (isTemplate(f.path)) counts.template++;
      } else if ((kind === 'yaml' || kind === 'helm-helpers') && isTemplate(f.path)) {
        counts.template++;
        counts.templateLines += f.text.split(/\r\n|\r|\n/).length;
      } else if (kind === 'yaml' || kind === 'compose') {
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
    if (!readOnly && counts.chartFiles) {
      const e = api.expandCharts(ws.files, api.envMatcher(ws.config.environments).envOf);
      counts.renders = e.renders;
      counts.yamlDocs += e.docs;
    }
    const t2 = performance.now();
    return { times: { total: t2 - t0, walk: t1 - t0, parse: t2 - t1, cpu: cpuMs(c0) }, counts, ws, keep: [ws] };
  };
}

/** The workspace with only the files `keep` accepts (the walk and the reads are the same). */
function kept(ws, keep) {
  return { ...ws, files: ws.files.filter((f) => keep(f.path)) };
}

/** Not a kustomization file: the overlays tree read as if it had none (each file a plain manifest). */
const notKustomization = (p) => !/(^|\/)(kustomization\.ya?ml|Kustomization)$/.test(p);

/** The full check, as the CLI runs it: readWorkspace + analyze. */
function checkRunner(api, dir, keep = () => true) {
  return () => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const ws = kept(api.readWorkspace(dir), keep);
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
  const readOnlySamples = [];
  const plainFloorSamples = [];
  const plainCheckSamples = [];
  let floorCounts;
  let runReadOnly = false;
  let runPlain = false;
  const extra = {
    readOnly: [floorRunner(api, dir, { readOnly: true }), readOnlySamples],
    plainFloor: [floorRunner(api, dir, { keep: notKustomization }), plainFloorSamples],
    plainCheck: [checkRunner(api, dir, notKustomization), plainCheckSamples],
  };
  for (let k = 0; k < warmup + runs; k++) {
    const order = k % 2 ? ['check', 'floor'] : ['floor', 'check'];
    // A tree with charts also measures the stricter floor that only reads templates.
    if (runReadOnly) order.push('readOnly');
    // A tree with kustomizations also measures floor and check without them: what building the
    // environments costs, against every file read once as a plain manifest.
    if (runPlain) order.push(...(k % 2 ? ['plainCheck', 'plainFloor'] : ['plainFloor', 'plainCheck']));
    for (const which of order) {
      gc();
      const r = which === 'floor' ? floor() : which === 'check' ? check() : extra[which][0]();
      if (which === 'floor') {
        floorCounts = r.counts;
        runReadOnly = r.counts.chartFiles > 0;
        runPlain = r.ws.files.some((f) => !notKustomization(f.path));
      }
      if (k >= warmup) (which === 'floor' ? floorSamples : which === 'check' ? checkSamples : extra[which][1]).push(r.times);
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
    floor: { ...summarise(floorSamples), counts: floorCounts, readOnly: readOnlySamples.length ? summarise(readOnlySamples) : undefined },
    check: { ...summarise(checkSamples), extract: parts.extract, modelAndRules: parts.modelAndRules },
    plain: plainFloorSamples.length ? { floor: summarise(plainFloorSamples), check: summarise(plainCheckSamples) } : undefined,
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

/**
 * Which planted drifts produced their expected finding, and the findings that concern no planted service
 * and no file a drift was planted in or expected at.
 */
function plantedCheck(planted, found) {
  const missed = planted.filter((p) => !found.some((f) => f.rule === p.rule && f.file === p.file));
  const services = new Set(planted.map((p) => p.service));
  const files = new Set(planted.flatMap((p) => [p.file, p.plantedIn ?? p.file]));
  const unexpected = found.filter((f) => !services.has(f.service) && !files.has(f.file));
  return { planted: planted.length, detected: planted.length - missed.length, missed, unexpected: unexpected.length, unexpectedFindings: unexpected.slice(0, 20) };
}

function measure(variant, services, args) {
  const dir = treeDir(join(ROOT, '.bench'), variant, services);
  const runs = variant === 'manifests' ? args.runs : args.variantRuns;
  const childArgs = { ...args, runs };
  const t0 = performance.now();
  const gen = ensureMonorepo(dir, { services, variant });
  const genMs = round(performance.now() - t0);
  process.stderr.write(`bench: ${variant} N=${services}: ${gen.generated ? `generated in ${genMs} ms` : 'tree up to date'} (${gen.manifest.files} files); measuring ${runs} run(s)...\n`);
  const time = runChild('time', dir, childArgs);
  const floorMem = runChild('mem', dir, childArgs, ['--phase', 'floor']);
  const checkMem = runChild('mem', dir, childArgs, ['--phase', 'check']);
  const cli = args.cli ? runCli(dir) : undefined;
  const floor = { ...time.floor, ...floorMem };
  const check = { ...time.check, counts: time.counts, ...checkMem };
  const ratio = round(check.total / floor.total, 2);
  const readOnlyRatio = floor.readOnly ? round(check.total / floor.readOnly.total, 2) : undefined;
  // Before a single environment is built: the check of every file as a plain manifest, plus parsing
  // the kustomizations (what the floor spends on them). No overlay check can cost less.
  const plain = time.plain && { ...time.plain, before: round(time.plain.check.total + floor.total - time.plain.floor.total) };
  if (plain) plain.beforeRatio = round(plain.before / floor.total, 2);
  return {
    variant,
    services,
    label: `${variant} N=${services}`,
    runs,
    dir: relative(ROOT, dir),
    generated: gen.generated,
    treeFiles: gen.manifest.files,
    nodeModulesFiles: gen.manifest.nodeModulesFiles,
    floor,
    check,
    ratio,
    readOnlyRatio,
    plain,
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

const FLOOR_NOTE = {
  manifests: 'floor: the walk, then every YAML and compose file through `yaml`, every Dockerfile through dockerfile-ast, every .env split into lines',
  charts: 'floor: as for manifests, and each chart as `gcc -fsyntax-only` treats C: values files and Chart.yaml through `yaml`, templates through the core\'s template parser, each environment\'s templates expanded by the core\'s evaluator and the output through `yaml`; reading facts from the renders, mapping them to values lines, the model and the rules are above it. The stricter floor that only reads templates (lines counted) is printed too',
  overlays: 'floor: as for manifests: bases, overlays, kustomizations and patches are all YAML files through `yaml`',
};

function variantTable(results) {
  const cols = results.map((r) => `N=${r.services}`);
  const row = (label, f) => [label, ...results.map(f)];
  return table([
    row('files in tree (node_modules)', (r) => `${r.treeFiles} (${r.nodeModulesFiles})`),
    row('files read by the check', (r) => r.check.counts.files),
    row('  yaml+compose / Dockerfile / .env / templates', (r) => `${r.floor.counts.yaml} / ${r.floor.counts.dockerfile} / ${r.floor.counts.dotenv} / ${r.floor.counts.template ?? 0}`),
    row('  chart renders (environment x template) in the floor', (r) => r.floor.counts.renders ?? 0),
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
    row('floor with templates only read (ms)', (r) => r.floor.readOnly?.total),
    row('  ratio check/that floor (not the target)', (r) => (r.readOnlyRatio === undefined ? undefined : `${r.readOnlyRatio.toFixed(2)}x`)),
    row('without the kustomizations: floor / check (ms)', (r) => (r.plain ? `${r.plain.floor.total} / ${r.plain.check.total}` : undefined)),
    row('  that check + parsing the kustomizations (ms)', (r) => r.plain?.before),
    row('  its ratio to the floor: no environment built yet', (r) => (r.plain ? `${r.plain.beforeRatio.toFixed(2)}x` : undefined)),
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
  ], ['', ...cols]);
}

function report(results, args) {
  console.log(`\nPort Parity benchmark: node ${process.version}, generator v${GENERATOR_VERSION}, ${args.warmup} warm-up run(s) before the measured ones`);
  for (const variant of [...new Set(results.map((r) => r.variant))]) {
    const rs = results.filter((r) => r.variant === variant);
    console.log(`\n== ${variant}: median of ${rs[0].runs} run(s)`);
    console.log(`(${FLOOR_NOTE[variant]})\n`);
    console.log(variantTable(rs));
    console.log(`\n${variant}: findings by rule:`);
    console.log(table(
      [...new Set(rs.flatMap((r) => Object.keys(r.check.counts.byRule)))].sort().map((rule) => [rule, ...rs.map((r) => r.check.counts.byRule[rule] ?? 0)]),
      ['rule', ...rs.map((r) => `N=${r.services}`)],
    ));
    console.log(`\n${variant}: targets:`);
    for (const r of rs) {
      for (const [name, t] of Object.entries(r.targets)) {
        const shown = name === 'ratio' ? `${t.value.toFixed(2)}x` : `${t.value} MB`;
        console.log(`  N=${String(r.services).padEnd(6)} ${name.padEnd(12)} ${shown.padStart(10)}  (${t.target})  ${t.met ? 'target met' : 'target MISSED'}`);
      }
      for (const m of r.drifts.missed) console.log(`  N=${r.services}: planted ${m.kind} in ${m.service} gave no ${m.rule} finding at ${m.file}`);
      for (const f of r.drifts.unexpectedFindings) console.log(`  N=${r.services}: finding off the planted services: ${f.rule} at ${f.file}${f.service ? ` (${f.service})` : ''}`);
      if (r.floor.counts.files !== r.check.counts.files) console.log(`  N=${r.services}: the floor parsed ${r.floor.counts.files} files, the check read ${r.check.counts.files}`);
      if (r.cli && r.cli.findings !== r.check.counts.findings) console.log(`  N=${r.services}: the CLI reported ${r.cli.findings} findings, in-process ${r.check.counts.findings}${r.cli.stderr ? `: ${r.cli.stderr}` : ''}`);
    }
  }
  if (results.length > 1) {
    console.log('\nsummary:');
    console.log(table(results.map((r) => [
      r.variant,
      r.services,
      r.check.counts.files,
      r.floor.total,
      r.check.total,
      `${r.ratio.toFixed(2)}x ${r.targets.ratio.met ? 'met' : 'MISSED'}`,
      `${r.check.maxRssMB} ${r.targets.peakRss.met ? 'met' : 'MISSED'}`,
      `${r.drifts.detected}/${r.drifts.planted}`,
      r.drifts.unexpected,
    ]), ['variant', 'N', 'files read', 'floor ms', 'check ms', `ratio (<= ${TARGET_RATIO})`, `peak RSS MB (< ${TARGET_MB})`, 'drifts found', 'other findings']));
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
  // The small tree of the scaling comparison is of the manifests variant only (as in lsp.mjs).
  const plan = args.variants.flatMap((v) => (v === 'manifests' ? [...new Set([args.services, args.compare].filter((n) => n > 0))] : [args.services]).map((n) => [v, n]));
  const results = plan.map(([v, n]) => measure(v, n, args));
  report(results, args);
  const missed = results.some((r) => !r.targets.ratio.met || !r.targets.peakRss.met || !r.targets.heapAfterGc.met);
  if (args.profile || missed) {
    const worst = [...results].sort((x, y) => y.ratio - x.ratio)[0];
    const hint = `node test/bench/profile.mjs --variant ${worst.variant} --services ${worst.services}`;
    if (args.profile) {
      const r = spawnSync(process.execPath, [join(HERE, 'profile.mjs'), '--variant', worst.variant, '--services', String(worst.services)], { cwd: ROOT, stdio: 'inherit' });
      if (r.status !== 0) console.log(`profile.mjs failed (exit ${r.status})`);
    } else console.log(`\nA target was missed: \`${hint}\` shows where the check spends its time.`);
  }
  const json = {
    node: process.version,
    generatorVersion: GENERATOR_VERSION,
    variants: args.variants,
    driftKinds: Object.fromEntries(args.variants.map((v) => [v, DRIFTS_BY_VARIANT[v].map((d) => d.kind)])),
    runs: args.runs,
    variantRuns: args.variantRuns,
    warmup: args.warmup,
    results: results.map((r) => ({
      variant: r.variant,
      services: r.services,
      runs: r.runs,
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
      readOnlyFloorMs: r.floor.readOnly?.total,
      readOnlyRatio: r.readOnlyRatio,
      withoutKustomizations: r.plain && { floorMs: r.plain.floor.total, checkMs: r.plain.check.total, beforeEnvironmentsMs: r.plain.before, beforeEnvironmentsRatio: r.plain.beforeRatio },
      pairRatioMedian: r.pairRatioMedian,
      findings: r.check.counts.findings,
      byRule: r.check.counts.byRule,
      plantedDetected: r.drifts.detected,
      planted: r.drifts.planted,
      unexpectedFindings: r.drifts.unexpected,
      floorCounts: { yaml: r.floor.counts.yaml, dockerfile: r.floor.counts.dockerfile, dotenv: r.floor.counts.dotenv, templates: r.floor.counts.template ?? 0, chartRenders: r.floor.counts.renders ?? 0 },
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

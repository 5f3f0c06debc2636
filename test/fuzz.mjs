// Mutation fuzzing of the core: random edits of real files (a line dropped, repeated or re-indented, a
// number or a value replaced, a stray YAML character) must never make the analysis throw, and the
// language server's path (a store primed on the files before, the extraction that runs again what read
// the edited files, then the incremental evaluation) must give what a cold analysis gives.
//
//   node test/fuzz.mjs DIR... [--seconds N] [--runs N] [--seed S]    (e.g. on ../shared/corpus)
//   node test/fuzz.mjs DIR... --fix [--runs N] [--seed S]            the on-disk fix → fix → check cycle
//
// Each folder under the given ones (three levels down) is a workspace, and so is each given folder as
// a whole: many projects read as one is where names collide. test/fuzz.test.mjs runs a fixed seed.
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import api from '../dist/api.js';

function workspaces(roots) {
  const out = [];
  const walk = (d, depth) => {
    out.push(d);
    if (depth >= 3) return;
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (n !== 'node_modules' && !n.startsWith('.') && statSync(p).isDirectory()) walk(p, depth + 1);
    }
  };
  for (const r of roots) walk(r, 0);
  return out;
}

const key = (f) => `${f.rule} ${f.severity} ${f.loc.file}:${f.loc.start}-${f.loc.end} ${f.message}`;

/** A seeded random source and the edits it makes. */
function randomEdits(seed) {
  let s = seed;
  const rnd = (n) => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return n > 0 ? s % n : 0;
  };
  const pick = (list) => list[rnd(list.length)];
  const mutate = (text) => {
    const lines = text.split('\n');
    const i = rnd(lines.length);
    const line = lines[i] ?? '';
    switch (rnd(7)) {
      case 0: lines.splice(i, 1); break;
      case 1: lines.splice(i, 0, pick(lines) ?? ''); break;
      case 2: lines[i] = line.replace(/\d+/, () => pick(['0', '-1', '99999', 'abc', '', '{{ .Values.x }}', '"8080"', '$(PORT)', '${PORT}', 'null', '[]', '{}'])); break;
      case 3: lines[i] = line.replace(/:\s*\S.*$/, () => pick([': ', ': []', ': {}', ': null', ': ~', ': [1, 2]', ': {a: b}', ': |', ': "x"', ': http://api:9090', ': redis:6380', ': web', ': backend', ': "127.0.0.1"', ': production'])); break;
      case 4: lines[i] = ' '.repeat(rnd(6)) + line.trimStart(); break;
      case 5: {
        const c = rnd(line.length + 1);
        lines[i] = line.slice(0, c) + pick(['{', '[', ':', '-', '"', "'", '#', '&a', '*a', '!!int', '\t', '$']) + line.slice(c);
        break;
      }
      default: lines.splice(i, rnd(4) + 1);
    }
    return lines.join('\n');
  };
  return { rnd, pick, mutate };
}

/**
 * Files that appear or go, for `structural` runs: one dropped, a copy of one beside another (a file a
 * kustomization or a chart may list), or a `.env` where there was none (which Compose reads).
 */
function reshape(files, rnd, pick) {
  const at = (f, name) => (posix.dirname(f.path) === '.' ? name : `${posix.dirname(f.path)}/${name}`);
  const add = (path, text) => {
    if (!files.some((f) => f.path === path)) files.push({ path, text });
  };
  switch (rnd(4)) {
    case 0:
      if (files.length > 1) files.splice(rnd(files.length), 1);
      break;
    case 1: {
      const like = pick(files);
      add(at(pick(files), `added-${rnd(100)}${posix.extname(like.path) || '.yaml'}`), like.text);
      break;
    }
    case 2:
      add(at(pick(files), '.env'), pick(['PORT=8081\n', 'WEB_PORT=3001\nAPI_PORT=9091\n', 'PORT=\n']));
      break;
    default:
  }
}

/**
 * Runs `runs` random edits (or for `seconds`); returns what went wrong, one entry per distinct problem.
 * `steps`: edits made one after another on the same store and state; `structural`: files also appear and go.
 */
export function fuzz({ roots, seed = 1, runs = Infinity, seconds = Infinity, maxFiles = 400, steps = 1, structural = false }) {
  const { rnd, pick, mutate } = randomEdits(seed);
  const cases = workspaces(roots).map((dir) => ({ dir, ws: api.readWorkspace(dir) })).filter((c) => c.ws.files.length > 0 && c.ws.files.length <= maxFiles);
  const problems = new Map();
  const until = Date.now() + seconds * 1000;
  let done = 0;
  while (done < runs && Date.now() < until && cases.length) {
    const { dir, ws } = pick(cases);
    let before = ws.files;
    let store;
    let state;
    for (let step = 0; step < steps; step++) {
      const files = before.map((f) => ({ ...f }));
      for (let m = 1 + rnd(3); m > 0; m--) {
        const f = pick(files);
        f.text = mutate(f.text);
      }
      if (structural) reshape(files, rnd, pick);
      const was = new Map(before.map((f) => [f.path, f.text]));
      const changed = files.filter((f) => f.text !== was.get(f.path));
      const gone = [...was.keys()].filter((p) => !files.some((f) => f.path === p));
      try {
        const cold = api.analyze(files, ws.config);
        if (!store) {
          store = new api.Store();
          state = api.fullState(api.extract(before, ws.config, store).facts, ws.config);
        }
        const next = api.extract(files, ws.config, store);
        const quick = next.looked === 'edited';
        state = api.updateState(state, next.facts, ws.config, { maxShare: 1, changed: next.changed });
        const a = [...state.analysis.findings.map(key), '--', ...state.analysis.suppressed.map(key)];
        const b = [...cold.findings.map(key), '--', ...cold.suppressed.map(key)];
        if (a.join('\n') !== b.join('\n')) {
          const what = `${dir}: after editing ${changed.map((f) => f.path).join(', ')}${gone.length ? ` and removing ${gone.join(', ')}` : ''} (step ${step + 1}, ${quick ? 'the units that read them' : 'every unit'}, ${state.last.mode})`;
          if (!problems.has(what)) problems.set(what, { what, incrementalOnly: a.filter((x) => !b.includes(x)), coldOnly: b.filter((x) => !a.includes(x)), edits: changed });
          break;
        }
      } catch (e) {
        const what = `${dir}: ${String(e.stack).split('\n').slice(0, 3).join(' | ')}`;
        if (!problems.has(what)) problems.set(what, { what, edits: changed });
        break;
      }
      before = files;
    }
    done++;
  }
  return { runs: done, problems: [...problems.values()] };
}

/** A digest of every file under `dir` (links as their target path), to see that nothing changed. */
function digest(dir) {
  const h = createHash('sha256');
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(d, e.name);
      h.update(`${p}\0`);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) h.update(readFileSync(p));
    }
  };
  walk(dir);
  return h.digest('hex');
}

/** Runs the CLI in-process; what it printed and its exit code. */
function cli(args) {
  let out = '';
  let err = '';
  const code = api.main(args, (x) => (out += x), (x) => (err += x));
  return { code, out, err };
}

/**
 * The on-disk cycle: a workspace copied to a temporary folder (beside a file a link inside it points at),
 * random edits written to disk, then `fix`, `fix` again and `check`. The second fix must change nothing,
 * no file outside the copy may change, and check must still answer with a report.
 */
export function fixCycles({ roots, seed = 1, runs = 20, maxFiles = 60 }) {
  const { rnd, pick, mutate } = randomEdits(seed);
  const dirs = workspaces(roots).filter((d) => {
    const n = api.readWorkspace(d).files.length;
    return n > 0 && n <= maxFiles;
  });
  const sources = new Map();
  const problems = [];
  let done = 0;
  for (; done < runs && dirs.length; done++) {
    const src = pick(dirs);
    if (!sources.has(src)) sources.set(src, digest(src));
    const base = mkdtempSync(join(tmpdir(), 'pp-fuzz-fix-'));
    const dir = join(base, 'ws');
    cpSync(src, dir, { recursive: true });
    const outside = join(base, 'outside.yaml');
    writeFileSync(outside, 'apiVersion: v1\nkind: Service\nmetadata: {name: outside}\nspec:\n  ports: [{port: 1, targetPort: 2}]\n');
    symlinkSync(outside, join(dir, 'linked.yaml'));
    const outsideBefore = readFileSync(outside);
    const files = api.readWorkspace(dir).files;
    const edited = new Set();
    for (let m = 1 + rnd(3); m > 0; m--) {
      const f = pick(files);
      f.text = mutate(f.text);
      writeFileSync(join(dir, f.path), f.text);
      edited.add(f.path);
    }
    const what = `${src} after editing ${[...edited].join(', ')}`;
    const fail = (why, detail) => problems.push({ what: `${what}: ${why}`, detail, edits: files.filter((f) => edited.has(f.path)) });
    try {
      const first = cli(['fix', dir]);
      if (first.err.startsWith('port-parity: config:')) continue;
      if (first.code !== 0 || /internal error|\n\s+at /.test(first.err)) fail(`first fix exited ${first.code}`, first.err);
      const snap = digest(dir);
      const second = cli(['fix', dir]);
      if (second.code !== 0 || second.out !== 'Changed 0 files for 0 findings.\n' || digest(dir) !== snap) fail('the second fix changed something', second.out + second.err);
      const check = cli(['check', dir, '--format', 'json', '--fail-on', 'never']);
      if (check.code !== 0 || !Array.isArray(JSON.parse(check.out).findings)) fail(`check exited ${check.code}`, check.err);
      if (!readFileSync(outside).equals(outsideBefore)) fail('the file outside the folder changed');
    } catch (e) {
      fail('threw', String(e.stack));
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  }
  for (const [src, d] of sources) if (digest(src) !== d) problems.push({ what: `${src}: the source workspace changed` });
  return { runs: done, problems };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (name, def) => {
    const i = args.indexOf(`--${name}`);
    if (i < 0) return def;
    const v = Number(args[i + 1]);
    args.splice(i, 2);
    return v;
  };
  const fixMode = args.includes('--fix');
  if (fixMode) args.splice(args.indexOf('--fix'), 1);
  const seconds = opt('seconds', 60);
  const runs = opt('runs', Infinity);
  const seed = opt('seed', Date.now() % 100000);
  if (args.length === 0) {
    console.error('usage: node test/fuzz.mjs DIR... [--seconds N] [--runs N] [--seed S]');
    process.exit(2);
  }
  if (fixMode) {
    const r = fixCycles({ roots: args, seed, runs: Number.isFinite(runs) ? runs : 200 });
    for (const p of r.problems) console.log(`${p.what}\n  ${p.detail ?? ''}\n  edits: ${JSON.stringify(p.edits ?? [])}`);
    console.log(`seed ${seed}: ${r.runs} fix cycles, ${r.problems.length} problems`);
    process.exit(r.problems.length ? 1 : 0);
  }
  const r = fuzz({ roots: args, seed, runs, seconds });
  for (const p of r.problems) console.log(`${p.what}\n  incremental only: ${JSON.stringify(p.incrementalOnly ?? [])}\n  cold only: ${JSON.stringify(p.coldOnly ?? [])}\n  edits: ${JSON.stringify(p.edits)}`);
  console.log(`seed ${seed}: ${r.runs} edits, ${r.problems.length} problems`);
  process.exit(r.problems.length ? 1 : 0);
}

// Dockerfile facts per build stage (EXPOSE, ENV, start command, HEALTHCHECK) with exact ranges, as Docker would evaluate them.
import { DockerfileParser, From, Healthcheck, PropertyInstruction } from 'dockerfile-ast';
import { LIMITS } from '../../limits';
import { LineIndex } from '../../text';
import type { CommandInfo, DockerExpose, DockerfileFacts, EnvVar, Loc, ProbeFact, Problem, Protocol, SourceFile, Suppression } from '../../types';
import { validPort } from '../../yaml';
import { parseCommand, wordsOfShell } from '../../extract/command';
import type { Word } from '../../extract/command';
import { healthcheckPorts } from '../../extract/healthcheck';
import { commentSuppressions } from '../../extract/suppress';

type StageFacts = DockerfileFacts['stages'][number];
type Lookup = (name: string) => string | undefined;
type Range = { start: { line: number; character: number }; end: { line: number; character: number } };

/** Source text with continuations and interleaved comment lines removed; `offs[i]` is the source offset of char i. */
interface Span {
  text: string;
  offs: number[];
}

interface Command {
  words: Word[];
  /** Shell form: an ENTRYPOINT in shell form ignores CMD. */
  shell: boolean;
}

interface Stage {
  name?: string;
  /** Build-time values (ARG and ENV); undefined: declared without a value. */
  vars: Map<string, string | undefined>;
  /** ENV only: what the started container sees (ARGs are not kept in the image). */
  runtime: Map<string, string | undefined>;
  envNames: Set<string>;
  /** Names a build arg sets: ARGs of the stage, and ENVs whose only unset values are such ARGs. */
  params: Set<string>;
  env: EnvVar[];
  exposes: DockerExpose[];
  cmd?: Command;
  entry?: Command;
  /** A CMD was given in this stage (ENTRYPOINT resets an inherited CMD only). */
  cmdHere: boolean;
  /** Words of the effective HEALTHCHECK; null after `HEALTHCHECK NONE`. */
  health?: Word[] | null;
  /** Where its FROM is, and the offsets a new EXPOSE line may go at (see ExposePlace). */
  from?: Loc;
  /** The image it starts from, through earlier stages. */
  base?: string;
  afterExpose?: number;
  beforeStart?: number;
  end?: number;
  /** The name its OCI labels give the image (see labelledName). */
  labelled?: string;
}

const PROTOCOLS: Record<string, Protocol> = { tcp: 'TCP', udp: 'UDP', sctp: 'SCTP' };
/** A protocol by its name, never an Object.prototype key (`EXPOSE 80/constructor` is an unknown protocol). */
const protocolOf = (name: string): Protocol | undefined => (Object.hasOwn(PROTOCOLS, name) ? PROTOCOLS[name] : undefined);

export function extractDockerfile(file: SourceFile): DockerfileFacts {
  let suppressions: Suppression[] = [];
  try {
    suppressions = commentSuppressions(file.text);
    const max = LIMITS.dockerfileChars;
    if (file.text.length <= max) return read(file, new LineIndex(file.path, file.text), suppressions);
    // Whole lines only: a word cut in two would read as another port.
    const text = file.text.slice(0, file.text.lastIndexOf('\n', max - 1) + 1);
    const facts = read({ ...file, text }, new LineIndex(file.path, text), suppressions);
    const at = new LineIndex(file.path, file.text).loc(text.length, text.length);
    facts.unknowns = [{ message: `only the first ${max} characters of this Dockerfile are read: from line ${at.line + 1} on, nothing is checked`, loc: at }];
    return facts;
  } catch (e) {
    // Callers feed whatever they read from disk; even a non-string must come back as a problem.
    const text = typeof file.text === 'string' ? file.text : '';
    const ix = new LineIndex(file.path, text);
    const first = /^[^\r\n]*/.exec(text)?.[0].length ?? 0;
    const message = `could not read Dockerfile: ${e instanceof Error ? e.message : String(e)}`;
    return { ...emptyFacts(file.path, suppressions), problems: [{ message, loc: ix.loc(0, first) }] };
  }
}

function emptyFacts(path: string, suppressions: Suppression[]): DockerfileFacts {
  return { kind: 'dockerfile', file: path, exposes: [], env: [], command: { ports: [], binds: [] }, healthchecks: [], stages: [], problems: [], suppressions };
}

function read(file: SourceFile, ix: LineIndex, suppressions: Suppression[]): DockerfileFacts {
  const facts = emptyFacts(file.path, suppressions);
  const text = file.text;
  if (text.trim() === '') return facts;
  const df = DockerfileParser.parse(text);
  const esc = df.getEscapeCharacter() || '\\';
  const off = (p: { line: number; character: number }): number => ix.offset(p.line, p.character);
  const globals = new Map<string, string | undefined>();
  const done: Stage[] = [];
  let stage: Stage | undefined;
  const current = (): Stage => (stage ??= newStage());

  for (const ins of df.getInstructions()) {
    const kw = ins.getKeyword();
    const end = off(ins.getRange().end);
    const lineStart = ix.offset(ins.getRange().start.line, 0);
    if (kw === 'FROM' && ins instanceof From) {
      if (stage) done.push({ ...stage, end: stage.end ?? lineStart });
      const image = (ins.getImage() ?? '').toLowerCase();
      const parent = [...done].reverse().find((s) => s.name !== undefined && s.name.toLowerCase() === image);
      stage = parent ? inherit(parent) : newStage();
      stage.base = parent ? parent.base : image;
      stage.name = ins.getBuildStage() ?? undefined;
      stage.from = ix.loc(off(ins.getRange().start), end);
    } else if (kw === 'ARG' && ins instanceof PropertyInstruction) {
      declareArgs(ins, stage, globals, (vr) => logical(text, off(vr.start), off(vr.end), esc).text, esc);
    } else if (kw === 'ENV' && ins instanceof PropertyInstruction) {
      const st = current();
      for (const p of ins.getProperties()) {
        const vr = p.getValueRange();
        const value = p.getValue();
        if (value === null || !vr) continue;
        const name = p.getName();
        const vs = off(vr.start);
        const span = logical(text, vs, off(vr.end), esc);
        const ex = expandWord(span.text, (n) => st.vars.get(n), esc);
        const resolved = ex.unresolved.length === 0;
        const v: EnvVar = { name, value: resolved ? ex.value : value, nameLoc: ix.loc(off(p.getNameRange().start), off(p.getNameRange().end)), valueLoc: ix.loc(vs, vs), literal: false };
        if (span.text !== '') {
          // For `PORT="8080"` the value token is the digits inside the quotes.
          const q = /^(["'])([^"'\\`$]*)\1$/.exec(span.text);
          const [a, b] = q ? [1, span.text.length - 1] : [0, span.text.length];
          v.valueLoc = spanLoc(ix, span, a, b);
          if (resolved && /^\d+$/.test(ex.value) && validPort(Number(ex.value))) {
            v.port = Number(ex.value);
            v.literal = span.text.slice(a, b) === ex.value && contiguous(span, a, b);
          }
        }
        st.vars.set(name, resolved ? ex.value : undefined);
        st.runtime.set(name, resolved ? ex.value : undefined);
        st.envNames.add(name);
        // `ENV PORT=$PORT` after `ARG PORT` passes the build arg on.
        if (!resolved && ex.unresolved.every((n) => st.params.has(n))) st.params.add(name);
        else st.params.delete(name);
        st.env = st.env.filter((e) => e.name !== name);
        st.env.push(v);
      }
    } else if (kw === 'EXPOSE') {
      current().afterExpose = lineAfter(text, end);
      readExposes(ins.getArguments(), current(), (r) => logical(text, off(r.start), off(r.end), esc), ix, esc, facts, globals);
    } else if (kw === 'CMD' || kw === 'ENTRYPOINT') {
      const st = current();
      st.beforeStart ??= lineStart;
      const ar = ins.getArgumentsRange();
      if (!ar) continue;
      const cmd = commandWords(ix, logical(text, off(ar.start), end, esc));
      if (kw === 'CMD') {
        st.cmd = cmd;
        st.cmdHere = true;
      } else {
        st.entry = cmd;
        if (!st.cmdHere) st.cmd = undefined;
      }
    } else if (kw === 'LABEL' && ins instanceof PropertyInstruction) {
      const st = current();
      st.labelled = labelledName(ins) ?? st.labelled;
    } else if (kw === 'HEALTHCHECK' && ins instanceof Healthcheck) {
      const st = current();
      const sub = ins.getSubcommand();
      if (!sub) continue;
      const which = sub.getValue().toUpperCase();
      if (which === 'NONE') st.health = null;
      else if (which === 'CMD') st.health = commandWords(ix, logical(text, off(sub.getRange().end), end, esc)).words;
    }
  }
  if (stage) done.push(stage);

  facts.stages = done.map((s) => finish(ix, s));
  const last = facts.stages[facts.stages.length - 1];
  if (last) {
    facts.exposes = last.exposes;
    facts.env = last.env;
    facts.command = last.command;
    facts.healthchecks = last.healthchecks;
    if (last.place) facts.place = last.place;
  }
  const labelled = done[done.length - 1]?.labelled;
  if (labelled) facts.labelled = labelled;
  return facts;
}

/**
 * The name an OCI label gives the image: the repository of `org.opencontainers.image.source`
 * (`https://github.com/outline/outline` → `outline`), else `org.opencontainers.image.title` where it is
 * a name (`outline`, not `Outline Wiki`). Literal values only.
 */
function labelledName(ins: PropertyInstruction): string | undefined {
  const props = new Map(ins.getProperties().map((p) => [p.getName(), p.getValue() ?? '']));
  const source = /^(?:https?:\/\/|git@)[^/\s]+[/:](?:[^/\s]+\/)*([A-Za-z0-9][\w.-]*?)(?:\.git)?\/?$/.exec(props.get('org.opencontainers.image.source') ?? '')?.[1];
  const title = /^[a-z0-9][a-z0-9._-]*$/.exec(props.get('org.opencontainers.image.title') ?? '')?.[0];
  return (source ?? title)?.toLowerCase();
}

/** `ARG NAME[=default]...`: before the first FROM a global (seen in a stage that repeats it), else a build parameter of the stage. */
function declareArgs(ins: PropertyInstruction, stage: Stage | undefined, globals: Map<string, string | undefined>, valueText: (r: Range) => string, esc: string): void {
  const scope = stage ? stage.vars : globals;
  for (const p of ins.getProperties()) {
    const name = p.getName();
    if (stage?.envNames.has(name)) continue; // ENV of the same name always wins over ARG.
    stage?.params.add(name);
    const vr = p.getValueRange();
    if (p.getValue() === null || !vr) {
      scope.set(name, stage ? globals.get(name) : undefined);
      continue;
    }
    const ex = expandWord(valueText(vr), (n) => scope.get(n), esc);
    scope.set(name, ex.unresolved.length ? undefined : ex.value);
  }
}

function newStage(): Stage {
  return { vars: new Map(), runtime: new Map(), envNames: new Set(), params: new Set(), env: [], exposes: [], cmdHere: false };
}

/** `FROM <earlier stage>`: the image keeps the parent's ENV, EXPOSE, CMD, ENTRYPOINT and HEALTHCHECK, not its ARGs. */
function inherit(p: Stage): Stage {
  return {
    vars: new Map(p.runtime),
    runtime: new Map(p.runtime),
    envNames: new Set(p.envNames),
    params: new Set(),
    env: [...p.env],
    exposes: [...p.exposes],
    cmd: p.cmd,
    entry: p.entry,
    cmdHere: false,
    health: p.health,
    labelled: p.labelled,
  };
}

/** Commands and health checks run in the container, so they see the final ENV of the stage. */
function finish(ix: LineIndex, s: Stage): StageFacts {
  const env: Lookup = (n) => s.runtime.get(n);
  const words = s.entry ? (s.entry.shell ? s.entry.words : [...s.entry.words, ...(s.cmd?.words ?? [])]) : (s.cmd?.words ?? []);
  const command: CommandInfo = words.length ? parseCommand(ix, words, env) : { ports: [], binds: [] };
  const healthchecks: ProbeFact[] = s.health
    ? healthcheckPorts(ix, s.health, env).map(({ port, host }) => ({ kind: 'healthcheck', type: 'command', port, host }))
    : [];
  const out: StageFacts = { exposes: s.exposes, env: s.env, command, healthchecks };
  if (s.name !== undefined) out.name = s.name;
  if (s.from) {
    const at = s.afterExpose ?? s.beforeStart ?? s.end ?? ix.text.length;
    out.place = { from: s.from, at: ix.loc(at, at), ...(s.base ? { base: s.base } : {}), eol: ix.text.includes('\r\n') ? '\r\n' : '\n', ...(at > 0 && ix.text[at - 1] !== '\n' ? { newline: true } : {}) };
  }
  return out;
}

/** The offset of the line after the one `end` is on (the text's length on its last line). */
function lineAfter(text: string, end: number): number {
  const nl = text.indexOf('\n', end);
  return nl < 0 ? text.length : nl + 1;
}

/**
 * One logical line of instruction text from `start` to `end`: a trailing escape character joins the
 * next line, and blank or comment lines inside a continued instruction are dropped, as Docker does.
 */
function logical(src: string, start: number, end: number, esc: string): Span {
  let text = '';
  const offs: number[] = [];
  let i = start;
  let first = true;
  while (i < end) {
    let j = i;
    while (j < end && src[j] !== '\n' && src[j] !== '\r') j++;
    const line = src.slice(i, j);
    if (first || !/^\s*(#.*)?$/.test(line)) {
      let keep = line.length;
      const trimmed = line.replace(/[ \t]+$/, '');
      if (j < end && trimmed.endsWith(esc)) keep = trimmed.length - esc.length;
      for (let k = 0; k < keep; k++) {
        text += line[k];
        offs.push(i + k);
      }
    }
    first = false;
    i = src[j] === '\r' && src[j + 1] === '\n' ? j + 2 : j + 1;
  }
  return { text, offs: offs.length ? offs : [start] };
}

function spanAt(span: Span, base = 0): (i: number) => number {
  const n = span.text.length;
  return (i) => (base + i < n ? span.offs[base + i] : span.offs[Math.max(n - 1, 0)] + (n > 0 ? 1 : 0));
}

/** The range of chars [a, b) of a span. */
function spanLoc(ix: LineIndex, span: Span, a: number, b: number): Loc {
  const at = spanAt(span);
  return b > a ? ix.loc(at(a), at(b - 1) + 1) : ix.loc(at(a), at(a));
}

/** The chars [a, b) of a span sit side by side in the source (no continuation between them). */
function contiguous(span: Span, a: number, b: number): boolean {
  return b <= a || span.offs[b - 1] - span.offs[a] === b - 1 - a;
}

/** CMD/ENTRYPOINT/HEALTHCHECK CMD text: a JSON array of strings is the exec form, anything else the shell form. */
function commandWords(ix: LineIndex, span: Span): Command {
  const t = span.text;
  if (/^\s*\[/.test(t)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(t);
    } catch {
      parsed = undefined;
    }
    if (Array.isArray(parsed) && parsed.every((x) => typeof x === 'string')) return { words: execWords(ix, span, parsed as string[]), shell: false };
  }
  return { words: wordsOfShell(ix, t, spanAt(span), spanLoc(ix, span, 0, t.length)), shell: true };
}

/** Exec-form elements; an element without escapes maps each char to its source offset. */
function execWords(ix: LineIndex, span: Span, values: string[]): Word[] {
  const t = span.text;
  const words: Word[] = [];
  let i = 0;
  for (const value of values) {
    const s = t.indexOf('"', i);
    let e = s + 1;
    while (e < t.length && t[e] !== '"') e += t[e] === '\\' ? 2 : 1;
    i = e + 1;
    if (s < 0) return values.map((v) => ({ text: v, loc: spanLoc(ix, span, 0, t.length) }));
    const inner = t.slice(s + 1, e);
    if (inner === value) words.push({ text: value, at: spanAt(span, s + 1), loc: spanLoc(ix, span, s + 1, e) });
    else words.push({ text: value, loc: spanLoc(ix, span, s, e + 1) });
  }
  return words;
}

/**
 * The ports of one EXPOSE: a port listed again in it is the same port (listed once), the same problem
 * again is one problem with a count, and past LIMITS.exposePorts ports in the stage the rest is a note.
 */
function readExposes(args: { getRange(): Range }[], st: Stage, span: (r: Range) => Span, ix: LineIndex, esc: string, facts: DockerfileFacts, globals: Map<string, unknown>): void {
  const seen = new Set<string>();
  const problems = new Map<string, { p: Problem; n: number }>();
  // The same word again reads the same (the variables do not change within one EXPOSE).
  const words = new Map<string, string | undefined>();
  for (const arg of args) {
    const r = arg.getRange();
    const word = `${r.start.line === r.end.line ? '' : '\n'}${ix.text.slice(ix.offset(r.start.line, r.start.character), ix.offset(r.end.line, r.end.character))}`;
    if (words.has(word)) {
      const again = words.get(word);
      const hit = again === undefined ? undefined : problems.get(again);
      if (hit) hit.n++;
      continue;
    }
    const e = readExpose(ix, span(r), (n) => st.vars.get(n), esc);
    words.set(word, 'message' in e ? e.message : undefined);
    if ('message' in e) {
      const hit = problems.get(e.message);
      if (hit) hit.n++;
      else problems.set(e.message, { p: { message: e.message, loc: e.loc }, n: 1 });
      continue;
    }
    const key = exposeKey(e);
    if (seen.has(key)) continue;
    if (st.exposes.length >= LIMITS.exposePorts) {
      (facts.unknowns ??= []).push({ message: `only the first ${LIMITS.exposePorts} ports EXPOSE lists in this stage are read: this one and the ones after it are not checked`, loc: e.loc });
      break;
    }
    seen.add(key);
    if (e.port === undefined && e.variable !== undefined) {
      if (st.params.has(e.variable)) e.argScope = 'stage';
      else if (globals.has(e.variable)) e.argScope = 'global';
    }
    st.exposes.push(e);
  }
  for (const { p, n } of problems.values()) facts.problems.push(n > 1 ? { message: `${p.message} (${n} times in this EXPOSE)`, loc: p.loc } : p);
}

function exposeKey(e: DockerExpose): string {
  return `${e.port ?? ''}|${e.rangeEnd ?? ''}|${e.protocol}|${e.variable ?? ''}|${e.port === undefined ? e.raw : ''}`;
}

/** One EXPOSE argument: `80`, `80/udp`, `8000-8010`, `$PORT/tcp`, `${PORT:-8080}`. */
function readExpose(ix: LineIndex, span: Span, lookup: Lookup, esc: string): DockerExpose | Problem {
  const t = span.text;
  const slash = t.lastIndexOf('/');
  // `${X:-80/tcp}`: the slash belongs to the variable's default.
  const split = slash >= 0 && !t.slice(slash).includes('}') ? slash : t.length;
  const portRaw = t.slice(0, split);
  const protoRaw = split < t.length ? t.slice(split + 1) : undefined;
  const loc = spanLoc(ix, span, 0, portRaw.length);
  const whole = spanLoc(ix, span, 0, t.length);
  const ex = expandWord(portRaw, lookup, esc);
  let protocol: Protocol = 'TCP';
  if (protoRaw !== undefined) {
    const p = protocolOf(expandWord(protoRaw, lookup, esc).value.toLowerCase());
    if (!p) return { message: `EXPOSE ${t}: unknown protocol "${protoRaw}" (expected tcp, udp or sctp)`, loc: whole };
    protocol = p;
  }
  if (portRaw === '') return { message: `EXPOSE ${t} has no port number`, loc: whole };
  const variable = ex.unresolved[0] ?? ex.vars[0];
  if (ex.unresolved.length || (ex.vars.length && ex.value === '')) {
    // A build arg (compose `build.args`) may supply it; the rules decide.
    return { raw: portRaw, loc, literal: false, variable, protocol };
  }
  const m = /^(\d+)(?:-(\d+))?(?:\/(\w+))?$/.exec(ex.value);
  const shown = ex.vars.length ? `${portRaw} ("${ex.value}")` : portRaw;
  if (!m) return { message: `EXPOSE ${shown} is not a port number (1-65535)`, loc };
  const port = Number(m[1]);
  if (!validPort(port)) return { message: `EXPOSE ${shown} is not a port number (1-65535)`, loc };
  const out: DockerExpose = { port, raw: portRaw, loc, literal: !ex.vars.length && m[2] === undefined && portRaw === m[1] && contiguous(span, 0, portRaw.length), protocol };
  if (m[2] !== undefined) {
    const endPort = Number(m[2]);
    if (!validPort(endPort) || endPort < port) return { message: `EXPOSE ${shown} is not a valid port range (1-65535, low-high)`, loc };
    out.rangeEnd = endPort;
  }
  if (m[3] !== undefined && protoRaw === undefined) {
    const p = protocolOf(m[3].toLowerCase());
    if (!p) return { message: `EXPOSE ${shown}: unknown protocol "${m[3]}" (expected tcp, udp or sctp)`, loc };
    out.protocol = p;
  }
  if (variable) out.variable = variable;
  return out;
}

interface Expanded {
  value: string;
  /** Variables referenced, in order. */
  vars: string[];
  /** Variables referenced without a value and without a default. */
  unresolved: string[];
}

/** Docker's word expansion: quotes, the escape character, `$V`, `${V}`, `${V:-w}`, `${V-w}`, `${V:+w}`, `${V+w}`. */
function expandWord(s: string, lookup: Lookup, esc: string): Expanded {
  const vars: string[] = [];
  const unresolved: string[] = [];
  let i = 0;
  const sub = (w: string): string => {
    const r = expandWord(w, lookup, esc);
    vars.push(...r.vars);
    unresolved.push(...r.unresolved);
    return r.value;
  };
  const variable = (): string => {
    if (s[i + 1] === '{') {
      let depth = 0;
      let close = -1;
      for (let k = i + 1; k < s.length; k++) {
        if (s[k] === '{') depth++;
        else if (s[k] === '}' && --depth === 0) {
          close = k;
          break;
        }
      }
      if (close < 0) {
        i++;
        return '$';
      }
      const inner = s.slice(i + 2, close);
      i = close + 1;
      const m = /^(\w+)(?:(:?)([-+?])([\s\S]*))?$/.exec(inner);
      if (!m) return '';
      const name = m[1];
      vars.push(name);
      const val = lookup(name);
      const set = val !== undefined && (m[2] !== ':' || val !== '');
      if (m[3] === '-') return set ? (val as string) : sub(m[4]);
      if (m[3] === '+') return set ? sub(m[4]) : '';
      if (val === undefined || (m[3] === '?' && !set)) unresolved.push(name);
      return val ?? '';
    }
    const m = /^[A-Za-z_]\w*/.exec(s.slice(i + 1));
    if (!m) {
      i++;
      return '$';
    }
    i += 1 + m[0].length;
    vars.push(m[0]);
    const val = lookup(m[0]);
    if (val === undefined) unresolved.push(m[0]);
    return val ?? '';
  };
  let out = '';
  while (i < s.length) {
    const c = s[i];
    if (c === esc) {
      out += i + 1 < s.length ? s[i + 1] : c;
      i += 2;
    } else if (c === "'") {
      const close = s.indexOf("'", i + 1);
      out += s.slice(i + 1, close < 0 ? s.length : close);
      i = close < 0 ? s.length : close + 1;
    } else if (c === '"') {
      i++;
      while (i < s.length && s[i] !== '"') {
        if (s[i] === esc && i + 1 < s.length && ['"', '$', esc].includes(s[i + 1])) {
          out += s[i + 1];
          i += 2;
        } else if (s[i] === '$') out += variable();
        else out += s[i++];
      }
      i++;
    } else if (c === '$') out += variable();
    else out += s[i++];
  }
  return { value: out, vars, unresolved };
}

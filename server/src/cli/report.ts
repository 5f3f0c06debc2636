// The CLI's report formats: text, compact, json, sarif and GitHub annotations, from one analysis.
import type { Analysis, FileAccount, Finding, Loc, Matrix, Unread } from '../core';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { DEFAULT_ENV, DEFAULT_ENV_NOTE_TEXT, FORMATS, HOME_URL, envLabel, RULES, RULE_META, accountFiles, mapTemplate, placeholders, portSet, quietUnused } from '../core';
import type { RuleMeta } from '../core';
import { escapeForTerminal as esc } from './escape';
import type { ArtifactChange, Log, PhysicalLocation, Region, Replacement, ReportingDescriptor, Result } from 'sarif';

/** Rebases paths when several folders are checked at once. */
export type PathOf = (file: string) => string;

/**
 * Paths a terminal (and a problem matcher) opens from where the command ran: relative to the current
 * folder for a file under it, absolute for one outside it (ESLint prints absolute paths; a `../../` chain
 * is no easier to open and harder to read). GitHub reads annotations' paths in the repository: outside the
 * current folder (the checkout, where CI runs) they stay relative to the checked folder (`outside`).
 */
export function terminalPath(root: string, cwd = process.cwd(), outside: PathOf = (file) => resolve(root, file).split(sep).join('/')): PathOf {
  return (file) => {
    const rel = relative(cwd, resolve(root, file));
    if (!rel || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return outside(file);
    return rel.split(sep).join('/');
  };
}

/** `1 file`, `2 files`. */
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function pos(loc: Loc, file: PathOf): { file: string; line: number; column: number; endLine: number; endColumn: number } {
  return { file: file(loc.file), line: loc.line + 1, column: loc.col + 1, endLine: loc.endLine + 1, endColumn: loc.endCol + 1 };
}

export interface Checked {
  analysis: Analysis;
  path: PathOf;
  /** What the walk passed over (files and folders). */
  unread?: readonly Unread[];
}

/** Every file found in a run, with where it stands (`port-parity explain --files`). */
export function accounts(run: Checked): FileAccount[] {
  return accountFiles(run.analysis.model, run.analysis.facts, run.unread);
}

/** The files found that give the model nothing, with why; `reported`: a finding says it too. */
function unusedFiles(runs: Checked[]): object[] {
  return runs.flatMap((r) => accounts(r).filter((a) => a.status !== 'contributes').map((a) => ({ file: r.path(a.file), status: a.status, reason: a.why, reported: a.reported })));
}

export function jsonReport(runs: Checked[]): object {
  const envs = new Set<string>();
  const services: object[] = [];
  const findings: object[] = [];
  for (const { analysis, path } of runs) {
    for (const e of analysis.model.envs) envs.add(e);
    for (const s of [...analysis.model.services.values()].sort((a, b) => a.name.localeCompare(b.name))) {
      const ports: object[] = [];
      for (const v of s.views.values()) {
        for (const port of portSet(v.declared)) {
          const decls = v.declared.filter((d) => d.port === port);
          ports.push({ environment: v.env, port, protocol: decls[0].protocol, locations: decls.map((d) => { const p = pos(d.loc, path); return { file: p.file, line: p.line, column: p.column }; }) });
        }
      }
      services.push({ name: s.name, ports });
    }
    for (const f of analysis.findings) findings.push(jsonFinding(f, path));
  }
  return { version: 1, environments: [...envs], services, findings, summary: summary(runs), unused: unusedFiles(runs) };
}

function jsonFinding(f: Finding, path: PathOf): object {
  const p = pos(f.loc, path);
  return {
    rule: f.rule,
    severity: f.severity,
    message: f.message,
    messageId: f.messageId,
    service: f.service ?? null,
    environment: f.environment || null,
    ...p,
    related: f.related.map((r) => { const q = pos(r.loc, path); return { file: q.file, line: q.line, column: q.column, message: r.message }; }),
    fix: f.fix ? { title: f.fix.title, edits: f.fix.edits.map((e) => ({ ...pos(e.loc, path), newText: e.newText })) } : null,
  };
}

export function summary(runs: Checked[]): { errors: number; warnings: number; infos: number; suppressed: number; files: number } {
  let errors = 0, warnings = 0, infos = 0, suppressed = 0, files = 0;
  for (const { analysis } of runs) {
    for (const f of analysis.findings) {
      if (f.severity === 'error') errors++;
      else if (f.severity === 'warning') warnings++;
      else infos++;
    }
    suppressed += analysis.suppressed.length;
    files += analysis.facts.length;
  }
  return { errors, warnings, infos, suppressed, files };
}

const SARIF_LEVEL: Record<Finding['severity'], Result.level> = { error: 'error', warning: 'warning', info: 'note' };
/** The project's home, as SARIF wants it: an absolute URI (the repository, whose page is the README). */
const INFORMATION_URI = HOME_URL;
/** Every artifact's uri is relative to the folder checked (the run's `%SRCROOT%`). */
const SRCROOT = '%SRCROOT%';

/**
 * A workspace path as a relative URI reference (SARIF wants valid URIs): each segment percent-encoded,
 * so a space, `%`, `#`, `?` or a control character in a file name reaches the consumer as that name.
 */
function sarifUri(file: string): string {
  return file.split('/').map((s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)).join('/');
}

function sarifPlace(loc: Loc, path: PathOf): { uri: string; region: Region } {
  const p = pos(loc, path);
  return { uri: sarifUri(p.file), region: { startLine: p.line, startColumn: p.column, endLine: p.endLine, endColumn: p.endColumn } };
}

function sarifLocation(loc: Loc, path: PathOf): PhysicalLocation {
  const { uri, region } = sarifPlace(loc, path);
  return { artifactLocation: { uri, uriBaseId: SRCROOT }, region };
}

function sarifResult(f: Finding, path: PathOf): Result {
  const ruleIndex = RULES.findIndex((r) => r.meta.id === f.rule);
  return {
    ruleId: f.rule,
    ...(ruleIndex >= 0 ? { ruleIndex } : {}),
    level: SARIF_LEVEL[f.severity],
    message: sarifMessage(f),
    locations: [{ physicalLocation: sarifLocation(f.loc, path) }],
    relatedLocations: f.related.map((r, i) => ({ id: i + 1, message: { text: r.message }, physicalLocation: sarifLocation(r.loc, path) })),
    ...(f.fix ? { fixes: [{ description: { text: f.fix.title }, artifactChanges: groupEdits(f, path) }] } : {}),
  };
}

/**
 * A rule's message template as a SARIF message string: each `{{name}}` becomes `{n}`, n its place in
 * `placeholders(template)`, and a literal brace is doubled (SARIF §3.11.5).
 */
function sarifMessageString(template: string): string {
  const names = placeholders(template);
  return mapTemplate(template, (literal) => literal.replace(/[{}]/g, (c) => c + c), (name) => `{${names.indexOf(name)}}`);
}

/** The finding's text, and the id and arguments that rebuild it from the rule's `messageStrings`. */
function sarifMessage(f: Finding): Result['message'] {
  const template = RULES.find((r) => r.meta.id === f.rule)?.meta.messages[f.messageId];
  if (template === undefined) return { text: f.message };
  return { text: f.message, id: f.messageId, arguments: placeholders(template).map((n) => String(f.data?.[n])) };
}

/** A rule's entry in the SARIF rule table, from its meta: its page and its messages by id. */
function sarifRule(m: Readonly<RuleMeta>): ReportingDescriptor {
  const messageStrings = Object.fromEntries(Object.entries(m.messages).map(([id, template]) => [id, { text: sarifMessageString(template) }]));
  return { id: m.id, name: m.id, shortDescription: { text: m.description }, helpUri: m.docs, messageStrings, defaultConfiguration: { level: SARIF_LEVEL[m.defaultSeverity] } };
}

export function sarifReport(runs: Checked[], version: string): Log {
  const results = runs.flatMap(({ analysis, path }) => analysis.findings.map((f) => sarifResult(f, path)));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'port-parity', version, informationUri: INFORMATION_URI, rules: RULES.map((r) => sarifRule(r.meta)) } },
      // No uri: a relative one is not allowed here, and the folder's absolute path is the consumer's to know.
      originalUriBaseIds: { [SRCROOT]: { description: { text: 'The folder that was checked; every artifact uri is relative to it.' } } },
      results,
    }],
  };
}

function groupEdits(f: Finding, path: PathOf): ArtifactChange[] {
  const by = new Map<string, Replacement[]>();
  for (const e of f.fix?.edits ?? []) {
    const { uri, region } = sarifPlace(e.loc, path);
    const list = by.get(uri) ?? [];
    list.push({ deletedRegion: region, insertedContent: { text: e.newText } });
    by.set(uri, list);
  }
  return [...by].map(([uri, replacements]) => ({ artifactLocation: { uri, uriBaseId: SRCROOT }, replacements }));
}

function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function githubReport(runs: Checked[]): string {
  const lines: string[] = [];
  const cmd = { error: 'error', warning: 'warning', info: 'notice' } as const;
  for (const { analysis, path } of runs) {
    for (const f of analysis.findings) {
      const p = pos(f.loc, path);
      // Control characters become visible text first (a workflow command ends at a line break; ESC, BEL and
      // the like reach the log viewer), then `%`, and `:` and `,` in properties, are escaped as GitHub reads them.
      lines.push(`::${cmd[f.severity]} file=${escapeProperty(esc(p.file))},line=${p.line},col=${p.column},endLine=${p.endLine},endColumn=${p.endColumn},title=${escapeProperty(`port-parity ${f.rule}`)}::${escapeData(esc(f.message))}`);
    }
  }
  return lines.join('\n');
}

export interface Colors {
  red(s: string): string;
  yellow(s: string): string;
  blue(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

export function colors(on: boolean): Colors {
  const wrap = (a: number, b: number) => (s: string): string => (on ? `\u001b[${a}m${s}\u001b[${b}m` : s);
  return { red: wrap(31, 39), yellow: wrap(33, 39), blue: wrap(34, 39), dim: wrap(2, 22), bold: wrap(1, 22) };
}

export function textReport(runs: Checked[], c: Colors): string {
  const out: string[] = [];
  const byFile = new Map<string, { f: Finding; path: PathOf }[]>();
  for (const { analysis, path } of runs) for (const f of analysis.findings) {
    const k = esc(path(f.loc.file));
    const list = byFile.get(k);
    if (list) list.push({ f, path });
    else byFile.set(k, [{ f, path }]);
  }
  for (const [file, list] of byFile) {
    out.push(c.bold(file));
    for (const { f } of list) {
      const sev = f.severity === 'error' ? c.red('error  ') : f.severity === 'warning' ? c.yellow('warning') : c.blue('info   ');
      out.push(`  ${c.dim(`${f.loc.line + 1}:${f.loc.col + 1}`.padEnd(8))} ${sev}  ${esc(f.message)}  ${c.dim(f.rule)}`);
    }
    out.push('');
  }
  const s = summary(runs);
  const total = s.errors + s.warnings + s.infos;
  const counts = `(${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}, ${s.infos} info) in ${plural(s.files, 'file')}; ${s.suppressed} suppressed`;
  // Nothing read is not "no problems": say what was looked for (a folder of appsettings.json only, say).
  if (s.files === 0) out.push(`${c.bold('Nothing checked:')} no file here is one Port Parity reads (${FORMATS.map((f) => f.title).join(', ')}).`);
  else if (!total) out.push(`${c.bold('No port problems')} in ${plural(s.files, 'file')}; ${s.suppressed} suppressed${unusedLine(runs)}`);
  else out.push(`${c.bold(`${plural(total, 'problem')} ${counts}`)}${unusedLine(runs)}`);
  const hint = fixHint(runs);
  if (hint) out.push(`  ${hint}`);
  return out.join('\n');
}

/** How many findings `port-parity fix` would fix, and how many more `--unsafe` would (ESLint's "potentially fixable with the `--fix` option"). */
export function fixHint(runs: Checked[]): string {
  let safe = 0, unsafe = 0;
  for (const { analysis } of runs) for (const f of analysis.findings) {
    const m = f.fix && RULE_META.get(f.rule);
    if (m && m.fixable) safe++;
    else if (m && m.hasSuggestions) unsafe++;
  }
  const withUnsafe = '`port-parity fix --unsafe`';
  if (!safe) return unsafe ? `${unsafe} fixable with ${withUnsafe}` : '';
  return `${safe} fixable with \`port-parity fix\`${unsafe ? ` (${unsafe} more with ${withUnsafe})` : ''}`;
}

/** One finding a line, `file:line:col: severity message [rule]`, as compilers print them (the `$port-parity-compact` problem matcher reads it). */
export function compactReport(runs: Checked[]): string {
  return runs.flatMap(({ analysis, path }) => analysis.findings.map((f) => `${esc(path(f.loc.file))}:${f.loc.line + 1}:${f.loc.col + 1}: ${f.severity} ${esc(f.message)} [${f.rule}]`)).join('\n');
}

/** The files found that give nothing and that no finding names, in one clause of the summary line. */
function unusedLine(runs: Checked[]): string {
  const { count, reasons } = quietUnused(runs.flatMap(accounts));
  if (!count) return '';
  // The reasons are plural phrases ("Dockerfiles no service builds"): their counts follow them.
  const shown = reasons.slice(0, 3).map(([why, n]) => `${why}: ${n}`).join(', ');
  return `; ${count} file${count === 1 ? '' : 's'} found give${count === 1 ? 's' : ''} nothing to check (${shown}${reasons.length > 3 ? ', …' : ''}): explain --files says why`;
}

export function matrixText(m: Matrix, markdown: boolean): string {
  // Service, environment and caller names come from the workspace: escaped before the widths are taken.
  // The unmarked environment in words (JSON keeps its key, `default`), said what it is below the table.
  const header = ['service', ...m.environments.map((e) => esc(envLabel(e)))];
  const cell = (ports: number[], status: string): string => {
    const v = ports.length ? ports.join(', ') : '-';
    if (status === 'differs') return `${v} ≠`;
    if (status === 'reference') return `${v} *`;
    return v;
  };
  const rows = m.rows.map((r) => [(r.variant !== undefined ? `  ↳ ${esc(r.variant)}` : esc(r.service)) + (r.reference?.contract ? ' (contract ' + r.reference.ports.join(', ') + ')' : ''), ...r.cells.map((x) => cell(x.ports, x.status))]);
  const calls = m.rows.filter((r) => r.callers.length).map((r) => esc(`${r.service} ← ${r.callers.map((c) => `${c.from} on ${c.port} (${c.envs.join(', ')})`).join('; ')}`));
  const note = `${calls.length ? `callers:\n${calls.map((c) => `  ${c}`).join('\n')}\n\n` : ''}* reference environment, ≠ differs from the reference; ${plural(m.rows.filter((r) => r.variant === undefined).length, 'service')}${m.rows.some((r) => r.variant !== undefined) ? ` (↳ a variant: another file that defines the service too, compared on its own)` : ''}, ${plural(m.environments.length, 'environment')}, ${m.rows.filter((r) => r.drift).length} drifting${m.environments.includes(DEFAULT_ENV) ? `\n${DEFAULT_ENV_NOTE_TEXT}` : ''}`;
  if (markdown) {
    const pipe = (s: string): string => s.replace(/\|/g, '\\|');
    return [`| ${header.map(pipe).join(' | ')} |`, `|${header.map(() => ' --- ').join('|')}|`, ...rows.map((r) => `| ${r.map(pipe).join(' | ')} |`), '', note].join('\n');
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r: string[]): string => r.map((x, i) => x.padEnd(widths[i])).join('  ').trimEnd();
  return [fmt(header), fmt(widths.map((w) => '-'.repeat(w))), ...rows.map(fmt), '', note].join('\n');
}

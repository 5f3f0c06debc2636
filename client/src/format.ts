// Pure text from the parity matrix: the status bar, the summary line, the Markdown report and the
// port contract. No `vscode` import, so the tests load it from a plain Node bundle.
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { MatrixDto, MatrixRowDto } from '../../server/src/protocol';

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** Services that drift, once per service name (several folders may hold the same name). */
export function driftingRows(m: MatrixDto): MatrixRowDto[] {
  return m.rows.filter((r) => r.drift);
}

/** An environment as users read it: the matrix's label for it (`unmarked (base)` for `default`), else its name. */
export function envName(m: MatrixDto, env: string): string {
  return m.environmentLabels?.[env]?.label ?? env;
}

/** "12 services, 3 environments, 2 drifting". */
export function summaryLine(m: MatrixDto): string {
  return `${plural(m.rows.length, 'service')}, ${plural(m.environments.length, 'environment')}, ${driftingRows(m).length} drifting`;
}

/** What the status bar item says: its text, its tooltip, and whether there is anything to show at all. */
export interface StatusText {
  text: string;
  tooltip: string;
  /** False where the workspace holds nothing Port Parity reads: the item hides rather than claim "✓". */
  visible: boolean;
}

/**
 * The status bar, as ESLint's item: the worst severity's icon, the drifting services and the problems
 * (errors and warnings) by count, "$(check) Ports" only when nothing drifts and nothing is wrong; the
 * tooltip has every count. Infos (notes such as a file left unread) are counted in the tooltip only.
 */
export function statusText(m: MatrixDto | undefined): StatusText {
  if (!m) return { text: '$(sync~spin) Ports', tooltip: 'Port Parity: indexing the workspace', visible: true };
  const drifts = driftingRows(m).length;
  const { errors, warnings, infos } = m.findings;
  const problems = errors + warnings;
  const icon = errors ? '$(error)' : warnings || drifts ? '$(warning)' : '$(check)';
  const said = [...(drifts ? [plural(drifts, 'drift')] : []), ...(problems ? [plural(problems, 'problem')] : [])];
  const tooltip = [
    `Port Parity: ${summaryLine(m)}`,
    `${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${plural(infos, 'info', 'infos')}`,
    'Click to show the parity panel.',
  ].join('\n');
  return { text: said.length ? `${icon} Ports: ${said.join(', ')}` : '$(check) Ports', tooltip, visible: m.rows.length + errors + warnings + infos > 0 };
}

/** The ports a drifting row would be aligned to (the contract's or the reference environment's). */
export function alignTarget(row: MatrixRowDto): number[] {
  return row.reference?.ports ?? [];
}

export interface ReportFinding {
  severity: 'error' | 'warning' | 'info';
  rule: string;
  /** Workspace-relative path. */
  file: string;
  /** 1-based. */
  line: number;
  column: number;
  message: string;
}

/** Markdown cells may not hold `|` or line breaks; `<` would start HTML in most renderers. */
function md(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/\r?\n/g, ' ');
}

function cellText(row: MatrixRowDto, env: string): string {
  const c = row.cells.find((x) => x.environment === env);
  if (!c || c.status === 'missing' || c.ports.length === 0) return '—';
  const ports = c.ports.join(', ');
  if (c.status === 'reference') return `**${ports}** (reference)`;
  if (c.status === 'differs') return `${ports} ≠`;
  return ports;
}

/** The Markdown report: summary, the matrix, callers and every finding. */
export function markdownReport(m: MatrixDto, findings: ReportFinding[], title = 'Port Parity report', date = new Date()): string {
  const out: string[] = [];
  out.push(`# ${md(title)}`, '');
  out.push(`${summaryLine(m)}; ${plural(m.findings.errors, 'error')}, ${plural(m.findings.warnings, 'warning')}, ${plural(m.findings.infos, 'info', 'infos')}. Generated ${date.toISOString().slice(0, 16).replace('T', ' ')} UTC.`, '');
  out.push('## Ports per environment', '');
  if (m.rows.length === 0) out.push('No service declares a port.', '');
  else {
    out.push(`| Service | ${m.environments.map((e) => md(envName(m, e))).join(' | ')} | Drift |`);
    out.push(`|---|${m.environments.map(() => '---').join('|')}|---|`);
    for (const r of m.rows) {
      const name = r.variant !== undefined ? `↳ ${md(r.service)} as ${md(r.variant)} defines it` : r.reference?.contract ? `${md(r.service)} (contract ${r.reference.ports.join(', ')})` : md(r.service);
      out.push(`| ${name} | ${m.environments.map((e) => cellText(r, e)).join(' | ')} | ${r.drift ? `yes: align to ${alignTarget(r).join(', ')}` : 'no'} |`);
    }
    out.push('', '**bold**: the reference environment; ≠: differs from the reference; —: no port declared.', '');
    for (const e of m.environments) if (m.environmentLabels?.[e]) out.push(md(m.environmentLabels[e].note), '');
  }
  const withCallers = m.rows.filter((r) => r.callers?.length);
  if (withCallers.length) {
    out.push('## Callers', '');
    for (const r of withCallers) {
      const calls = (r.callers ?? []).map((c) => `${md(c.from)} on ${c.port} (${c.envs.map((e) => md(envName(m, e))).join(', ')})`).join('; ');
      out.push(`- **${md(r.service)}** ← ${calls}`);
    }
    out.push('');
  }
  out.push('## Findings', '');
  if (findings.length === 0) out.push('No findings.');
  else {
    const order = { error: 0, warning: 1, info: 2 };
    const sorted = [...findings].sort((a, b) => order[a.severity] - order[b.severity] || a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
    out.push('| Severity | Rule | Location | Message |', '|---|---|---|---|');
    for (const f of sorted) out.push(`| ${f.severity} | \`${md(f.rule)}\` | ${md(f.file)}:${f.line}:${f.column} | ${md(f.message)} |`);
  }
  out.push('');
  return out.join('\n');
}

/**
 * `.portparity.yaml` with the port contract from the matrix: every service gets its reference ports.
 * An existing file keeps its other keys and comments; its contract entries are replaced for the
 * services in the matrix and kept for the others.
 */
export function contractYaml(m: MatrixDto, folder: string | undefined, existing?: string): { text: string; services: number } {
  const rows = m.rows.filter((r) => r.variant === undefined && (folder === undefined || r.folder === folder) && r.reference && r.reference.ports.length);
  const doc = parseDocument(existing && existing.trim() ? existing : '');
  if (!existing || !existing.trim() || !isMap(doc.contents)) {
    const refs = new Map<string, number>();
    for (const r of rows) if (r.reference?.environment && !r.reference.contract) refs.set(r.reference.environment, (refs.get(r.reference.environment) ?? 0) + 1);
    const reference = [...refs].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'production';
    const lines = [
      '# Port Parity configuration: https://github.com/port-parity/port-parity/blob/main/docs/configuration.md',
      `reference: ${yamlKey(reference)}`,
      '# The port contract: every environment must serve these ports (written from the parity matrix).',
      'services:',
      ...rows.map((r) => `  ${yamlKey(r.service)}: ${portsYaml(r.reference?.ports ?? [])}`),
      '',
    ];
    if (rows.length === 0) lines.splice(3, 2, 'services: {}', '');
    return { text: lines.join('\n'), services: rows.length };
  }
  for (const r of rows) {
    const ports = r.reference?.ports ?? [];
    // Change the value in place where its shape allows, so a comment beside it stays.
    const cur = doc.getIn(['services', r.service], true);
    if (isScalar(cur) && ports.length === 1) cur.value = ports[0];
    else if (isSeq(cur) && ports.length > 1) cur.items = ports.map((p) => doc.createNode(p));
    else doc.setIn(['services', r.service], doc.createNode(ports.length === 1 ? ports[0] : ports, { flow: true }));
  }
  return { text: doc.toString(), services: rows.length };
}

/** A plain scalar when it is safe, a double-quoted one otherwise. */
function yamlKey(s: string): string {
  return /^[A-Za-z_][\w.-]*$/.test(s) && !/^(true|false|yes|no|on|off|null|y|n)$/i.test(s) ? s : JSON.stringify(s);
}

function portsYaml(ports: number[]): string {
  return ports.length === 1 ? String(ports[0]) : `[${ports.join(', ')}]`;
}

// The tree view's nodes from the matrix, as plain data (no `vscode` import, so the tests load it):
// services, their environments with the ports, and the service's findings under the environment they
// are about (or under the service when they name no single environment).
import type { MatrixCellDto, MatrixDto, MatrixFindingDto, MatrixRowDto } from '../../server/src/protocol';

export type TreeNode = ServiceNode | EnvironmentNode | FindingNode;

export interface ServiceNode {
  kind: 'service';
  service: string;
  folder: string;
  /** The folder's name, where the workspace has several folders. */
  folderName?: string;
  row: MatrixRowDto;
  drift: boolean;
  /** The worst severity among the service's findings. */
  worst?: MatrixFindingDto['severity'];
  children: (EnvironmentNode | FindingNode)[];
}

export interface EnvironmentNode {
  kind: 'environment';
  service: string;
  folder: string;
  cell: MatrixCellDto;
  /** The cell's words: "9000 ★ reference", "8080 ≠ differs from 9000", "no port". */
  description: string;
  children: FindingNode[];
}

export interface FindingNode {
  kind: 'finding';
  service: string;
  folder: string;
  finding: MatrixFindingDto;
}

const STATUS = { reference: '★ reference', agree: '✓ agrees', differs: '≠ differs', missing: '' } as const;
const RANK = { error: 0, warning: 1, info: 2 } as const;

export function cellWords(row: MatrixRowDto, cell: MatrixCellDto): string {
  if (cell.status === 'missing' || cell.ports.length === 0) return 'no port';
  const ports = cell.ports.join(', ');
  if (cell.status === 'differs' && row.reference) return `${ports} ${STATUS.differs} from ${row.reference.ports.join(', ')}`;
  return `${ports} ${STATUS[cell.status]}`;
}

/** The worst severity of a list of findings. */
export function worstOf(findings: readonly MatrixFindingDto[]): MatrixFindingDto['severity'] | undefined {
  return [...findings].sort((a, b) => RANK[a.severity] - RANK[b.severity])[0]?.severity;
}

function serviceNode(m: MatrixDto, row: MatrixRowDto, folderName: string | undefined): ServiceNode {
  const findings = row.findings ?? [];
  const base = { service: row.service, folder: row.folder };
  const envs = m.environments.map((env): EnvironmentNode => {
    const cell = row.cells.find((c) => c.environment === env) ?? { environment: env, ports: [], status: 'missing', locations: [] };
    const own = findings.filter((x) => x.environment === env).map((finding): FindingNode => ({ kind: 'finding', ...base, finding }));
    return { kind: 'environment', ...base, cell, description: cellWords(row, cell), children: own };
  }).filter((e) => e.cell.status !== 'missing' || e.children.length > 0);
  const loose = findings.filter((x) => !m.environments.includes(x.environment ?? '')).map((finding): FindingNode => ({ kind: 'finding', ...base, finding }));
  return { kind: 'service', ...base, ...(folderName ? { folderName } : {}), row, drift: row.drift, worst: worstOf(findings), children: [...loose, ...envs] };
}

/** One node per service (variants' rows are the matrix's sub-rows, not services), sorted as the matrix. */
export function treeOf(m: MatrixDto | undefined): ServiceNode[] {
  if (!m) return [];
  const folders = new Set(m.rows.map((r) => r.folder));
  const name = (folder: string): string | undefined => (folders.size > 1 ? folder.replace(/[\\/]+$/, '').split(/[\\/]/).pop() : undefined);
  return m.rows.filter((r) => r.variant === undefined).map((r) => serviceNode(m, r, name(r.folder)));
}

/** The service node's one-line description: "drift · 2 errors, 1 warning" or "3 findings" or "". */
export function serviceDescription(n: ServiceNode): string {
  const findings = n.row.findings ?? [];
  const parts: string[] = [];
  if (n.drift) parts.push('drift');
  const count = (sev: MatrixFindingDto['severity'], word: string): void => {
    const k = findings.filter((x) => x.severity === sev).length;
    if (k) parts.push(`${k} ${word}${k === 1 ? '' : 's'}`);
  };
  count('error', 'error');
  count('warning', 'warning');
  count('info', 'info');
  return [n.folderName, parts.join(' · ')].filter(Boolean).join(' — ');
}

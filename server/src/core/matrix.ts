// The services × environments table of internal ports, shared by the CLI's matrix and the parity panel.
import { variantKey } from './join';
import { portSet } from './model-types';
import type { Model, ServiceModel } from './model-types';
import { apartStacks } from './parts';
import { referencePorts } from './query';
import { callers, findReferences } from './references';
import { driftOf, movedPorts } from './rules/port-parity';
import type { Loc } from './types';

export type CellStatus = 'reference' | 'agree' | 'differs' | 'missing';

export interface MatrixCell {
  environment: string;
  ports: number[];
  status: CellStatus;
  locations: Loc[];
}

export interface MatrixRow {
  service: string;
  /** A variant's row (another definition of the service, shown under its row): what defines it (its file). */
  variant?: string;
  /** The reference: the contract's ports or the reference environment. */
  reference?: { environment?: string; ports: number[]; contract: boolean };
  cells: MatrixCell[];
  drift: boolean;
  /** Who calls this service through a URL or host:port, on which port, in which environments. */
  callers: { from: string; port: number; envs: string[] }[];
}

export interface Matrix {
  environments: string[];
  rows: MatrixRow[];
}

/** `calls`: callers by service when the caller keeps them (the language server, incrementally). */
export function buildMatrix(model: Model, calls: Map<string, MatrixRow['callers']> = callers(findReferences(model))): Matrix {
  const rows: MatrixRow[] = [];
  for (const s of [...model.services.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    const row = buildMatrixRow(model, s);
    if (row) rows.push({ ...row, callers: calls.get(s.name) ?? [] });
    // A variant's row where its ports differ from the service's somewhere (one that only adds labels or
    // depends_on says nothing the service's row does not); the rules judge every variant either way.
    for (const variant of new Set([...s.views.values()].map((v) => v.variant).filter((x) => x !== undefined))) {
      const sub = buildMatrixRow(model, s, variant);
      if (sub && sub.cells.some((c, i) => c.ports.length > 0 && c.ports.join() !== row?.cells[i].ports.join())) rows.push({ ...sub, callers: [] });
    }
  }
  return { environments: model.envs, rows };
}

/** One service's row (or one variant's); undefined when it declares no port anywhere. */
export function buildMatrixRow(model: Model, s: ServiceModel, variant?: string): MatrixRow | undefined {
  const ref = referencePorts(s);
  const refView = ref?.env !== undefined ? s.views.get(ref.env) : undefined;
  const cells: MatrixCell[] = model.envs.map((env) => {
    const v = variant === undefined ? s.views.get(env) : s.views.get(variantKey(env, variant));
    const ports = v ? portSet(v.declared) : [];
    let status: CellStatus;
    if (ports.length === 0) status = 'missing';
    else if (!s.contract && ref?.env === env && variant === undefined) status = 'reference';
    // Another application's service of the name, or another stack's, is shown, never judged against this one's reference.
    else if (!ref || v?.foreign || (v && refView && apartStacks(model, v, refView))) status = 'agree';
    // port-parity's own question (a moved port or health check), so the cells and the count say what the rule reports.
    else if (!s.contract) status = v && driftOf(model, s, v).length > 0 ? 'differs' : 'agree';
    else status = movedPorts(v?.declared ?? [], ref.ports, []).length > 0 ? 'differs' : 'agree';
    return { environment: env, ports, status, locations: v ? v.declared.map((d) => d.loc) : [] };
  });
  if (cells.every((c) => c.status === 'missing')) return undefined;
  return { callers: [], service: s.name, ...(variant !== undefined ? { variant } : {}), reference: ref ? { environment: ref.env, ports: ref.ports, contract: !!s.contract } : undefined, cells, drift: cells.some((c) => c.status === 'differs') };
}

// The parity panel's matrix: on request, and pushed once edits pause after an evaluation.
import { DEFAULT_ENV, DEFAULT_ENV_NOTE_TEXT, envLabel } from '../../core';
import { MATRIX_CHANGED, MATRIX_REQUEST } from '../../protocol';
import type { Finding, Loc } from '../../core';
import type { MatrixDto, MatrixFindingDto, MatrixLocation } from '../../protocol';
import type { ServerContext } from '../context';
import { insideArchive, onDisk, saidAt } from '../convert';
import type { Folder } from '../folder';

/** The panel's matrix follows a pause in re-evaluations by this much. */
const MATRIX_DELAY_MS = 300;

const empty = (): MatrixDto => ({ environments: [], rows: [], findings: { errors: 0, warnings: 0, infos: 0 } });

/** A cell's place for the panel: a place inside a chart archive is the .tgz, line 1, with the entry and line in `inside`. */
function matrixLocation(ctx: ServerContext, f: Folder, l: Loc): MatrixLocation {
  const at = onDisk(l);
  const inside = insideArchive(l);
  return { uri: ctx.uriOf(f, at.file), line: at.line, character: at.col, ...(inside === undefined ? {} : { inside }) };
}

/** Every folder's services × environments table, with file URIs, and the count of findings by severity. */
export function matrix(ctx: ServerContext): MatrixDto {
  const dto = empty();
  const envs = new Set<string>();
  for (const f of ctx.folders) {
    const m = f.matrix();
    if (!m || !f.analysis) continue;
    for (const e of m.environments) envs.add(e);
    const byService = findingsByService(ctx, f, f.analysis.findings);
    for (const r of m.rows) {
      const cells = r.cells.map((c) => ({ ...c, locations: c.locations.map((l) => matrixLocation(ctx, f, l)) }));
      dto.rows.push({ ...r, folder: f.root, cells, findings: r.variant === undefined ? byService.get(r.service) ?? [] : [] });
    }
    for (const x of f.analysis.findings) dto.findings[x.severity === 'error' ? 'errors' : x.severity === 'warning' ? 'warnings' : 'infos']++;
  }
  dto.environments = [...envs];
  if (envs.has(DEFAULT_ENV)) dto.environmentLabels = { [DEFAULT_ENV]: { label: envLabel(DEFAULT_ENV), note: DEFAULT_ENV_NOTE_TEXT } };
  return dto;
}

/** A folder's findings that name a service, by service, as the panel and the tree list them. */
function findingsByService(ctx: ServerContext, f: Folder, findings: readonly Finding[]): Map<string, MatrixFindingDto[]> {
  const out = new Map<string, MatrixFindingDto[]>();
  for (const x of findings) {
    if (!x.service) continue;
    // A finding inside a chart archive stands on the .tgz, its place said in the message (as the diagnostic's).
    const l = onDisk(x.loc);
    const dto: MatrixFindingDto = { rule: x.rule, severity: x.severity, message: saidAt(x.loc, x.message), uri: ctx.uriOf(f, l.file), line: l.line, character: l.col, endLine: l.endLine, endCharacter: l.endCol };
    if (x.environment) dto.environment = x.environment;
    if (x.fix) dto.fix = x.fix.title;
    let list = out.get(x.service);
    if (!list) out.set(x.service, (list = []));
    list.push(dto);
  }
  return out;
}

export function registerMatrix(ctx: ServerContext): void {
  let timer: NodeJS.Timeout | undefined;
  // The matrix (the whole table) goes once edits pause, so that building and sending it never delays the
  // diagnostics of the next edit.
  ctx.onEvaluated(() => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      try {
        void ctx.connection.sendNotification(MATRIX_CHANGED, matrix(ctx));
      } catch (e) {
        ctx.error(`Error while building the matrix: ${(e as Error).stack ?? e}`);
      }
    }, MATRIX_DELAY_MS);
  });
  ctx.connection.onRequest(MATRIX_REQUEST, (_params, token) => ctx.runSafe('building the matrix', empty(), token, () => matrix(ctx)));
}

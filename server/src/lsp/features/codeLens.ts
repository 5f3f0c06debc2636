// Code lenses: above each compose service and workload, its ports per environment (or "in N environments").
import type { CodeLens } from 'vscode-languageserver/node';
import { envLabel, partsOf } from '../../core';
import type { Loc } from '../../core';
import type { ServerContext } from '../context';
import { range } from '../convert';

export function registerCodeLens(ctx: ServerContext): void {
  ctx.connection.onCodeLens((params, token) => ctx.runSafe(`computing code lenses for ${params.textDocument.uri}`, [] as CodeLens[], token, () => {
    const at = ctx.locate(params.textDocument.uri);
    if (!at || !at.folder.analysis) return [];
    const m = at.folder.matrix();
    if (!m) return [];
    const lenses: CodeLens[] = [];
    for (const s of at.folder.analysis.model.services.values()) {
      const row = m.rows.find((r) => r.service === s.name);
      if (!row) continue;
      const anchors = new Map<string, Loc>();
      for (const v of s.views.values()) for (const l of partsOf(v).anchors ?? []) if (l.file === at.rel) anchors.set(`${l.start}`, l);
      const withPorts = row.cells.filter((c) => c.ports.length);
      const title = row.drift
        ? `${s.name}: ${withPorts.map((c) => `${envLabel(c.environment)} ${c.ports.join(', ')}`).join(' ≠ ')}`
        : `${s.name}: ${withPorts[0]?.ports.join(', ')} in ${withPorts.length} environment${withPorts.length === 1 ? '' : 's'}`;
      for (const l of anchors.values()) lenses.push({ range: range(l), command: { title, command: '' } });
    }
    return lenses;
  }));
}

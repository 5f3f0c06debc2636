// Every port token of the workspace with the service and role it belongs to: hovers, references, definition.
import type { Model } from './model-types';
import { effectiveVars, partsOf, portParts } from './parts';
import type { EnvView } from './model-types';
import { findReferences } from './references';
import type { Reference } from './references';
import type { Loc } from './types';

export interface PortToken {
  loc: Loc;
  service: string;
  envs: string[];
  port?: number;
  /** What the value does, in words: "container port", "host-published port, not internal". */
  role: string;
  /** The token carries the service's internal port (references list these). */
  internal: boolean;
  /** For a reference to another service (`API_URL=http://api:8080`): the service it calls. */
  target?: string;
  /**
   * Environments whose view holds the token but where a stronger setting of the same variable hides
   * it (a `.env`'s PORT under the image's ENV): the process there never sees this value.
   */
  hiddenIn?: string[];
}

/** The values of variables a stronger layer of the same name hides in a view, as `file|start`. */
function hiddenValues(v: EnvView): Set<string> {
  const seen = new Set<string>();
  for (const e of effectiveVars(v).values()) seen.add(`${e.valueLoc.file}|${e.valueLoc.start}`);
  const out = new Set<string>();
  for (const layer of partsOf(v).vars) for (const e of layer.vars) if (!seen.has(`${e.valueLoc.file}|${e.valueLoc.start}`)) out.add(`${e.valueLoc.file}|${e.valueLoc.start}`);
  return out;
}

/** Port tokens by file, each sorted by offset; `only`: the tokens of these services alone. */
export function portTokens(model: Model, only?: Set<string>, refs: Reference[] = findReferences(model, only)): Map<string, PortToken[]> {
  const byKey = new Map<string, PortToken>();
  const add = (loc: Loc, service: string, env: string, port: number | undefined, role: string, internal: boolean, hidden: boolean): void => {
    const k = `${loc.file}|${loc.start}|${loc.end}`;
    let t = byKey.get(k);
    if (!t) byKey.set(k, (t = { loc, service, envs: [], port, role, internal }));
    if (!t.envs.includes(env)) t.envs.push(env);
    if (hidden && !t.hiddenIn?.includes(env)) (t.hiddenIn ??= []).push(env);
  };
  for (const s of model.services.values()) {
    if (only && !only.has(s.name)) continue;
    for (const v of s.views.values()) {
      let hidden: Set<string> | undefined;
      for (const p of portParts(v)) {
        // Only a listening variable can be hidden; the set is made once per view, when one is met.
        const isHidden = p.role === 'listens' && (hidden ??= hiddenValues(v)).has(`${p.loc.file}|${p.loc.start}`);
        add(p.loc, s.name, v.env, p.port, p.text, p.internal, isHidden);
      }
    }
  }
  for (const r of refs) {
    const k = `${r.loc.file}|${r.loc.start}|${r.loc.end}`;
    const t = byKey.get(k);
    if (t?.target) {
      if (!t.envs.includes(r.env)) t.envs.push(r.env);
      continue;
    }
    byKey.set(k, { loc: r.loc, service: r.from, envs: [r.env], port: r.port, role: `${r.variable} calls ${r.host}:${r.port}`, internal: false, target: r.target });
  }
  const out = new Map<string, PortToken[]>();
  for (const t of byKey.values()) {
    const list = out.get(t.loc.file);
    if (list) list.push(t);
    else out.set(t.loc.file, [t]);
  }
  for (const list of out.values()) list.sort((a, b) => a.loc.start - b.loc.start);
  return out;
}

/** The token under an offset (inclusive of its end, as editors place the cursor after a word). */
export function tokenAt(tokens: Map<string, PortToken[]>, file: string, offset: number): PortToken | undefined {
  return tokens.get(file)?.find((t) => offset >= t.loc.start && offset <= t.loc.end);
}

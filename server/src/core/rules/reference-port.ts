// reference-port: a URL or host:port in configuration names a workspace service on a port it does not serve.
import { findReferences } from '../references';
import { inEnvs, list, PerToken, where } from '../query';
import type { Fix, RawFinding } from '../types';
import type { Reference } from '../references';
import type { Rule } from './rule';

function fixFor(r: Reference): Fix | undefined {
  if (r.serves.length !== 1 || !r.exact) return undefined;
  const to = r.serves[0];
  if (r.explicitPort) return { title: `Use port ${to} (the port ${r.target} serves)`, edits: [{ loc: r.loc, newText: String(to) }] };
  // No port written: insert one after the host.
  const at = { ...r.loc, start: r.loc.end, col: r.loc.endCol };
  return { title: `Add port ${to} (the port ${r.target} serves)`, edits: [{ loc: at, newText: `:${to}` }] };
}

export const rule: Rule = {
  id: 'reference-port',
  description: 'A URL or host:port in configuration points at a service of the workspace on a port that service does not serve.',
  defaultSeverity: 'error',
  fixable: true,
  check(model) {
    const out = new PerToken<{ ref: Reference; fix?: Fix }>();
    const seenIn = new Map<string, Set<string>>();
    const refs = findReferences(model);
    for (const r of refs) {
      const k = `${r.loc.file}|${r.loc.start}`;
      seenIn.set(k, (seenIn.get(k) ?? new Set()).add(r.env));
    }
    for (const r of refs) {
      // A target that declares no port (a stock image) cannot be judged.
      if (r.serves.length === 0 || r.serves.includes(r.port)) continue;
      out.add(r.loc, r.env, { ref: r, fix: fixFor(r) });
    }
    return out.entries().map(({ loc, envs, data: { ref, fix } }): RawFinding => {
      const what = ref.via === 'compose' ? 'listens on' : 'serves';
      const implied = ref.explicitPort ? '' : ` (no port given, so ${ref.port})`;
      return {
        rule: 'reference-port',
        message: `${ref.variable}=${ref.shown} calls ${ref.host}:${ref.port}${implied} but ${ref.target} ${what} ${list(ref.serves)}${inEnvs(envs)}${ref.servesAt[0] ? ` (${where(ref.servesAt[0])})` : ''}`,
        loc,
        service: ref.from,
        environment: envs.join(','),
        related: ref.servesAt.map((l) => ({ loc: l, message: `${ref.target} ${ref.via === 'compose' ? 'container' : 'Service'} port` })),
        // A value shared by an environment where it is right must not be "fixed" for the one where it is wrong.
        fix: seenIn.get(`${loc.file}|${loc.start}`)?.size === envs.length ? fix : undefined,
      };
    });
  },
};

// reference-port: a URL or host:port in configuration names a workspace service on a port it does not serve.
import { findReferences } from '../references';
import { byEnvs, list, PerToken, TokenUse, unionRelated, where } from '../query';
import type { Fix, RawFinding } from '../types';
import type { Reference } from '../references';
import { defineRule } from './types';

function fixFor(r: Reference): Fix | undefined {
  if (r.serves.length !== 1 || !r.exact) return undefined;
  const to = r.serves[0];
  if (r.explicitPort) return { title: `Use port ${to} (the port ${r.target} serves)`, edits: [{ loc: r.loc, newText: String(to) }] };
  // No port written: insert one after the host.
  const at = { ...r.loc, start: r.loc.end, col: r.loc.endCol };
  return { title: `Add port ${to} (the port ${r.target} serves)`, edits: [{ loc: at, newText: `:${to}` }] };
}

/** `API_URL=http://…` for a variable, `--redis cache:6380` for a command argument. */
function said(r: Reference): string {
  if (r.variable === 'command argument') return `the command argument ${r.shown}`;
  return r.variable.startsWith('-') ? `${r.variable} ${r.shown}` : `${r.variable}=${r.shown}`;
}

export const rule = defineRule({
  meta: {
    id: 'reference-port',
    description: 'A URL or host:port in configuration points at a service of the workspace on a port that service does not serve.',
    defaultSeverity: 'error',
    fixable: true,
    movesPorts: false,
    alignable: false,
    messages: {
      portNotServed: '{{said}} calls {{host}}:{{port}}{{implied}} but {{target}} {{what}} {{ports}}{{at}}',
    },
  },
  check(model) {
    const out = new PerToken<{ ref: Reference; fix?: Fix }>();
    const use = new TokenUse();
    for (const r of findReferences(model)) {
      use.seen(r.loc, r.env);
      // A target that declares no port (a stock image) cannot be judged.
      if (r.serves.length === 0 || r.serves.includes(r.port)) continue;
      use.wants(r.loc, r.env, r.serves);
      out.add(r.loc, r.env, { ref: r, fix: fixFor(r) });
    }
    const several = model.envs.length > 1;
    return out.entries().map(({ loc, envs, data: { ref, fix }, perEnv }): RawFinding => {
      const what = ref.verb;
      const implied = ref.explicitPort ? '' : ` (no port given, so ${ref.port})`;
      const serves = several ? byEnvs(perEnv.map((p) => ({ env: p.env, value: list(p.data.ref.serves) }))) : list(ref.serves);
      return {
        rule: 'reference-port',
        messageId: 'portNotServed',
        data: { said: said(ref), host: ref.host, port: ref.port, implied, target: ref.target, what, ports: serves, at: ref.servesAt[0] ? ` (${where(ref.servesAt[0])})` : '' },
        loc,
        service: ref.from,
        environment: envs.join(','),
        related: unionRelated(perEnv.map((p) => p.data.ref.servesAt.map((l) => ({ loc: l, message: `${p.data.ref.target} ${p.data.ref.portKind} port in ${p.env}` })))),
        // A value shared by an environment where it is right, or where another port is right, is not "fixed" for one of them.
        fix: use.safe(loc) ? fix : undefined,
      };
    });
  },

});

// loopback-bind: the process binds 127.0.0.1/localhost inside its container, unreachable from outside it.
import { isLoopback } from '../extract/command';
import { partsOf } from '../parts';
import { BIND_VARS, effectiveCommands, effectiveVars, inEnvs, PerToken } from '../query';
import type { Fix, Loc, RawFinding } from '../types';
import { defineRule } from './types';

/** A fix that rewrites the host part of a token, when the token spells the host exactly. */
function hostFix(loc: Loc, host: string, text: string | undefined): Fix | undefined {
  if (text === undefined || !text.startsWith(host)) return undefined;
  return { title: 'Bind 0.0.0.0 (all interfaces) instead', edits: [{ loc: { ...loc, end: loc.start + host.length, endLine: loc.line, endCol: loc.col + host.length }, newText: '0.0.0.0' }] };
}

/** The host of a bind address held by a variable (`127.0.0.1`, `[::1]:8080`). */
function hostOf(value: string): string {
  return value.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
}

export const rule = defineRule({
  meta: {
    id: 'loopback-bind',
    description: 'The process binds 127.0.0.1 or localhost inside its container, so nothing outside the container can connect.',
    defaultSeverity: 'warning',
    fixable: false,
    // Its fix is a judgement, not alignment: the editor's quick fix, `port-parity fix --unsafe`.
    hasSuggestions: true,
    movesPorts: false,
    alignable: false,
    messages: {
      bindsByDefault: '{{via}} binds 127.0.0.1 by default: {{service}} is unreachable from outside its container{{in}}; pass --host 0.0.0.0',
      bindsLoopback: '{{service}} binds {{host}} ({{via}}) inside its container{{in}}: nothing outside the container can connect; bind 0.0.0.0',
    },
  },
  check(model) {
    const out = new PerToken<{ service: string; host: string; via: string; defaulted: boolean; fix?: Fix }>();
    for (const s of model.services.values()) {
      for (const v of s.views.values()) {
        // Host networking, or a pod with several containers: others share the loopback it binds.
        if (partsOf(v).sharedLoopback) continue;
        const vars = effectiveVars(v);
        for (const c of effectiveCommands(v)) {
          for (const b of c.binds) {
            if (!isLoopback(b.host)) continue;
            // The image's command is parsed with the image's ENV only; compose/k8s env reaches the process too.
            if (b.defaulted && vars.has(b.via === 'uvicorn' ? 'UVICORN_HOST' : 'FLASK_RUN_HOST')) continue;
            // A host from a variable is what the variable holds where the process runs (compose or
            // Kubernetes env over the image's ENV): reported, and fixed, where that value is set, once.
            const from = b.variable === undefined ? undefined : vars.get(b.variable);
            if (from) {
              const host = hostOf(from.value);
              if (!isLoopback(host)) continue;
              const exact = from.valueLoc.end - from.valueLoc.start === from.value.length;
              out.add(from.valueLoc, v.env, { service: s.name, host, via: `${b.via} ${from.name}`, defaulted: false, fix: exact ? hostFix(from.valueLoc, from.value.startsWith('[') ? `[${host}]` : host, from.value) : undefined });
              continue;
            }
            const exact = !b.defaulted && b.loc.end - b.loc.start === b.host.length;
            out.add(b.loc, v.env, { service: s.name, host: b.host, via: b.via, defaulted: !!b.defaulted, fix: exact ? hostFix(b.loc, b.host, b.host) : undefined });
          }
        }
        for (const e of vars.values()) {
          if (!BIND_VARS.has(e.name)) continue;
          const host = hostOf(e.value);
          if (!isLoopback(host)) continue;
          const exact = e.valueLoc.end - e.valueLoc.start === e.value.length;
          out.add(e.valueLoc, v.env, { service: s.name, host, via: e.name, defaulted: false, fix: exact ? hostFix(e.valueLoc, e.value.startsWith('[') ? `[${host}]` : host, e.value) : undefined });
        }
      }
    }
    return out.entries().map(({ loc, envs, data }): RawFinding => ({
      rule: 'loopback-bind',
      messageId: data.defaulted ? 'bindsByDefault' : 'bindsLoopback',
      data: data.defaulted ? { via: data.via, service: data.service, in: inEnvs(envs) } : { service: data.service, host: data.host, via: data.via, in: inEnvs(envs) },
      loc,
      service: data.service,
      environment: envs.join(','),
      related: [],
      fix: data.fix,
    }));
  },
});

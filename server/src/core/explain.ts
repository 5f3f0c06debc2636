// How each service was formed (`port-parity explain`): in each environment (and variant), which files
// make it up, what each contributes and why it joined, which environment each file is in and why, and
// the ports the view declares. What the model decided, in words, so that a wrong join can be seen.
import { envMatcher } from './environments';
import { FORMATS } from './formats/registry';
import type { EnvView, Model, ServiceModel } from './model-types';
import { portSet } from './model-types';

export interface ExplainedSource {
  file: string;
  what: string;
  /** Why the file is in this environment. */
  env: string;
}

export interface ExplainedView {
  env: string;
  variant?: string;
  reference: boolean;
  ports: number[];
  sources: ExplainedSource[];
}

/** A service's views with their sources; undefined for a service the model does not have. */
export function explainService(model: Model, name: string): ExplainedView[] | undefined {
  const s = model.services.get(name);
  if (!s) return undefined;
  const byPath = envMatcher(model.config.environments).envOf;
  return [...s.views.values()].map((v) => ({
    env: v.env,
    ...(v.variant !== undefined ? { variant: v.variant } : {}),
    reference: v.variant === undefined && s.reference === v.env && !s.contract,
    ports: portSet(v.declared),
    sources: sourcesOf(model, v, byPath),
  }));
}

function sourcesOf(model: Model, v: EnvView, byPath: (file: string) => string | undefined): ExplainedSource[] {
  const parts = [...FORMATS.flatMap((f) => f.explain?.(v) ?? []), ...v.processes.map((p) => ({ file: p.nameLoc.file, what: `${p.service}, an app its platform manifest declares` }))];
  return parts.map((p) => ({ ...p, env: envReason(model, p.file, v.env, byPath) }));
}

/** Why a file is in an environment: its own path or name marks it, or it is a base the environment shares. */
function envReason(model: Model, file: string, env: string, byPath: (file: string) => string | undefined): string {
  const own = model.envOfFile(file);
  if (own === env && byPath(file) !== env) return `${env}: what it is (an unmarked compose project runs locally, a platform manifest deploys)`;
  if (own === env) return `${env}: its path or name`;
  if (own === undefined) return `${env}: an unmarked base, in every environment that does not override it`;
  return `${env}: shared from ${own}`;
}

/** The explanation as text, for the named services (all when none is named). */
export function explainText(model: Model, names: string[] = []): { text: string; unknown: string[] } {
  // A name is a service's key (`shop/api`), or the name of every application's service so named (`api`).
  const named = (n: string): ServiceModel[] => (model.services.has(n) ? [model.services.get(n) as ServiceModel] : [...model.services.values()].filter((s) => s.application?.service === n));
  const unknown = names.filter((n) => named(n).length === 0);
  const chosen: ServiceModel[] = names.length ? [...new Set(names.flatMap(named))] : [...model.services.values()].sort((a, b) => a.name.localeCompare(b.name));
  const out: string[] = [];
  for (const s of chosen) {
    out.push(`${s.name}${s.application ? ` (${s.application.service} of application ${s.application.name})` : ''}${s.contract ? ` (contract: ${s.contract.ports.join(', ')})` : ''}`);
    for (const v of explainService(model, s.name) ?? []) {
      const head = `${v.variant !== undefined ? `${v.env}, variant ${v.variant}` : v.env}${v.reference ? ' (reference)' : ''}: ${v.ports.length ? `ports ${v.ports.join(', ')}` : 'no port declared'}`;
      out.push(`  ${head}`);
      for (const src of v.sources) out.push(`    ${src.file}: ${src.what} [${src.env}]`);
    }
    out.push('');
  }
  return { text: out.join('\n'), unknown };
}

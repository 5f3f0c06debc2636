// Environments from paths and file names, normalised so that `prod` and `production` are one.
import picomatch from 'picomatch';

const ALIASES: Record<string, string> = {
  dev: 'local', development: 'local', local: 'local',
  test: 'test', qa: 'test', ci: 'test',
  staging: 'staging', stage: 'staging', stg: 'staging', uat: 'staging', preprod: 'staging',
  prod: 'production', production: 'production', prd: 'production', live: 'production',
};

/** Environments in the order tables list them; others follow alphabetically. */
export const ENV_ORDER = ['local', 'test', 'staging', 'production'];
/** The environment of unmarked manifests when no environment is named anywhere. */
export const DEFAULT_ENV = 'default';

/** What users read for DEFAULT_ENV: the key stays `default` (JSON, messages), the words say what it is. */
export const DEFAULT_ENV_LABEL = 'unmarked (base)';

/** What the unmarked environment is, in a sentence (hovers, the panel's header, explain), in Markdown. */
export const DEFAULT_ENV_NOTE = '*unmarked (base)*: the files no folder or file name marks with an environment (such as `staging/` or `values-prod.yaml`), taken together as one environment. Name environments by folder or file name, or map paths to them in `.portparity.yaml` (`environments:`).';

/** DEFAULT_ENV_NOTE as plain text. */
export const DEFAULT_ENV_NOTE_TEXT = DEFAULT_ENV_NOTE.replace(/[*`]/g, '');

/** An environment as users read it: the unmarked one in words, the others by name. */
export function envLabel(env: string): string {
  return env === DEFAULT_ENV ? DEFAULT_ENV_LABEL : env;
}

/** A name the inference knows as an environment (`prod`, `staging`, `dev`...). */
export function isEnvAlias(name: string): boolean {
  return Object.hasOwn(ALIASES, name.toLowerCase());
}

export function normalizeEnv(name: string): string {
  const k = name.toLowerCase();
  return Object.hasOwn(ALIASES, k) ? ALIASES[k] : k;
}

export function compareEnvs(a: string, b: string): number {
  const ia = ENV_ORDER.indexOf(a);
  const ib = ENV_ORDER.indexOf(b);
  if (ia >= 0 && ib >= 0) return ia - ib;
  if (ia >= 0) return -1;
  if (ib >= 0) return 1;
  return a.localeCompare(b);
}

/** Tokens of a file name that can name an environment: `docker-compose.prod.yml` → docker, compose, prod, yml. */
function nameTokens(base: string): string[] {
  return base.toLowerCase().split(/[._-]+/).filter(Boolean);
}

export interface EnvMatcher {
  /** The environment a path names (deepest marker wins), or undefined for a base file. */
  envOf(path: string): string | undefined;
  /** The environment named by the file name alone. */
  envOfName(base: string): string | undefined;
}

/** `custom`: environment name → globs from `.portparity.yaml`, tried before inference. */
export function envMatcher(custom: Record<string, string[]> = {}): EnvMatcher {
  const globs = Object.entries(custom).map(([env, pats]) => ({ env: normalizeEnv(env), match: picomatch(pats, { dot: true, nocase: true }) }));
  const known = new Set(globs.map((g) => g.env));
  const fromToken = (t: string): string | undefined => (Object.hasOwn(ALIASES, t) ? ALIASES[t] : known.has(t) ? t : undefined);
  const envOfName = (base: string): string | undefined => {
    const toks = nameTokens(base);
    // First marker wins: `.env.production.local` is production's local override, not local.
    for (const t of toks) {
      const e = fromToken(t);
      if (e) return e;
    }
    return undefined;
  };
  // Every fact, view and render asks again for the same paths.
  const memo = new Map<string, string | undefined>();
  const envOf = (path: string): string | undefined => {
    if (memo.has(path)) return memo.get(path);
    const env = infer(path);
    memo.set(path, env);
    return env;
  };
  const infer = (path: string): string | undefined => {
    for (const g of globs) if (g.match(path)) return g.env;
    const segs = path.split('/');
    const fromName = envOfName(segs[segs.length - 1]);
    if (fromName) return fromName;
    for (let i = segs.length - 2; i >= 0; i--) {
      const e = fromToken(segs[i].toLowerCase());
      if (e) return e;
    }
    return undefined;
  };
  return { envOfName, envOf };
}

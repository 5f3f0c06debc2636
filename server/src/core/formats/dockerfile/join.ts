// Dockerfiles into the model: the image a service runs, linked by whoever builds it (a compose build,
// a platform manifest), else by the folder names that name a service; it follows the service into the
// environments it runs in, but where a Dockerfile of its own environment (Dockerfile.prod) replaces it.
import { posix } from 'node:path';
import { isEnvAlias } from '../../environments';
import { ensureUnits, joinRel, unitKey, unitsOf } from '../../join';
import type { FormatJoin, Placement, UnitKey } from '../../join';
import type { EnvView } from '../../model-types';
import { dirOf } from '../../paths';
import type { CommandInfo, DockerExpose, DockerfileFacts, EnvVar, ExposePlace, ProbeFact } from '../../types';

/** The image a service runs: a Dockerfile's final stage (or the compose build target). */
export interface DockerImage {
  file: string;
  exposes: DockerExpose[];
  env: EnvVar[];
  command: CommandInfo;
  healthchecks: ProbeFact[];
  /** Build args a compose file passes. */
  buildArgs: Record<string, string>;
  /** The stage's FROM, and where an EXPOSE line would go in it. */
  place?: ExposePlace;
  /** Why it is this service's image, in words (`port-parity explain`). */
  why: string;
  /** The build target it is, when a build names one. */
  target?: string;
}

const VIEW: UnitKey<{ image: DockerImage }> = unitKey('dockerfile');

/** The image a view's service runs, if a Dockerfile of the workspace builds it. */
export function imageOf(v: EnvView): DockerImage | undefined {
  return unitsOf(v, VIEW)?.image;
}

const GENERIC_DIRS = new Set([
  '', '.', 'src', 'app', 'apps', 'docker', 'build', 'deploy', 'deployment', 'deployments', '.docker', 'dockerfiles', 'services', 'service',
  'k8s', 'kube', 'kubernetes', 'manifests', 'kubernetes-manifests', 'helm', 'charts', 'chart', 'config', 'configs', 'infra', 'ops', 'base',
  'overlays', 'envs', 'environments', 'containers', 'images', 'packages', 'cmd', 'server',
]);

export const dockerfileJoin: FormatJoin = {
  kind: 'dockerfile',
  order: 4,
  /** `sole`: the one orchestrated service of the workspace (of the whole, when modelling part of it). */
  run(facts, { j, context }) {
    const out: Placement[] = [];
    const orchestrated = j.keys();
    const sole = context ? context.soleService : orchestrated.size === 1 ? [...orchestrated][0] : undefined;
    const later: Placement[] = [];
    for (const d of facts as DockerfileFacts[]) {
      const env = j.marked(d.file);
      j.fileEnv.set(d.file, env);
      const app = j.appOf(d.file);
      const base = posix.basename(d.file);
      // Only the default name stands in for the compose default: a `Dockerfile.dev` beside it is not what compose builds.
      const links = j.builtBy.get(d.file) ?? (/^(dockerfile|containerfile)$/i.test(base) ? j.builtBy.get(joinRel(dirOf(d.file), 'Dockerfile')) : undefined) ?? [];
      const dirs = dirOf(d.file).split('/').reverse();
      const fromName = /^(.+)\.dockerfile$/i.exec(base)?.[1];
      const candidates = [fromName, ...dirs].filter((x): x is string => !!x && !GENERIC_DIRS.has(x.toLowerCase()) && !isEnvAlias(x));
      let key = j.keyIn(app, ...candidates);
      let why = key ? `a service named "${candidates.find((c) => j.keyIn(app, c) === key)}" as its folder or file is` : '';
      if (!key && candidates.length === 0 && sole) [key, why] = [sole, 'the workspace\'s only orchestrated service: it stands at the root'];
      if (!key) why = candidates[0] ? `no service claims it: named after its folder or file "${candidates[0]}"` : 'no service claims it, and no folder names one';
      key = key ?? j.newKey(app, candidates[0] ?? 'Dockerfile');
      for (const link of links.length ? links : [undefined]) {
        const k = link?.key ?? key;
        j.claimIn(app, k, j.identity.get(k)?.name ?? k);
        // The last image of a folder owns it (the .env files there are its service's).
        j.dirOwner.set(dirOf(d.file), k);
        const stage = link?.target ? d.stages.find((s) => s.name === link.target) ?? d : d;
        const image: DockerImage = { file: d.file, exposes: withBuildArgs(stage.exposes, stage.env, link?.args ?? {}), env: stage.env, command: stage.command, healthchecks: stage.healthchecks, buildArgs: link?.args ?? {}, ...(stage.place ? { place: stage.place } : {}), why: link ? `service ${link.key} builds it` : why, ...(link?.target ? { target: link.target } : {}) };
        // Into the view that builds it: another project's service of the name builds its own image.
        const built = links.length && !j.builtBy.has(d.file) ? joinRel(dirOf(d.file), 'Dockerfile') : d.file;
        const put = (e: string, v: EnvView): void => void (ensureUnits(v, VIEW, () => ({ image })).image = image);
        const primary = !!link || base === 'Dockerfile' || base === 'Containerfile' || !!env;
        if (primary) out.push({ env, policy: 'follows', key: k, mark: `image:${k}`, counts: true, orphanDefault: true, stage: 3, place: (e, at) => put(e, at.views.builder(k, e, built)) });
        // What a compose project builds is the image it runs, whatever other Dockerfiles' names suggest.
        for (const e of link?.envs ?? []) later.push({ env: e, policy: 'own', counts: false, stage: 4, place: (x, at) => put(x, at.views.builder(k, x, built)) });
      }
    }
    // A folder whose Dockerfile is built but not in the workspace is its builder's.
    for (const [df, b] of j.builtBy) if (!j.dirOwner.has(dirOf(df)) && b[0]) j.dirOwner.set(dirOf(df), b[0].key);
    return [...out, ...later];
  },
  signature: (f) => (f.kind === 'dockerfile' ? JSON.stringify(f.stages.map((s) => s.name ?? '')) : ''),
  vars: (f) => (f.kind === 'dockerfile' ? f.env : []),
};

/**
 * A compose build arg replaces the ARG default an `EXPOSE $VAR` was resolved with, unless a literal
 * ENV of that name set it (an `ENV PORT=$PORT` still passes the argument through).
 */
function withBuildArgs(exposes: DockerExpose[], env: EnvVar[], args: Record<string, string>): DockerExpose[] {
  if (Object.keys(args).length === 0) return exposes;
  return exposes.map((e) => {
    const v = e.variable !== undefined ? args[e.variable] : undefined;
    // A build arg sets only what an ARG of the stage declares (Docker warns the rest was not consumed).
    if (e.port === undefined && e.argScope !== 'stage') return e;
    if (v === undefined || !/^\d+$/.test(v) || env.some((x) => x.name === e.variable && x.literal)) return e;
    return { ...e, port: Number(v), literal: false };
  });
}

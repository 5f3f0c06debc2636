// Dockerfiles into the model: the image a service runs, linked by whoever builds it (a compose build,
// a platform manifest), else by the folder names that name a service; it follows the service into the
// environments it runs in, but where a Dockerfile of its own environment (Dockerfile.prod) replaces it.
import { posix } from 'node:path';
import { isEnvAlias } from '../../environments';
import { ensureUnits, joinRel, push, unitKey, unitsOf } from '../../join';
import type { BuildLink, FormatJoin, Join, PlaceContext, Placement, RelationSink, UnitKey } from '../../join';
import type { EnvView, Model } from '../../model-types';
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
  run(facts, { j, context, name }) {
    const out: Placement[] = [];
    const orchestrated = j.keys();
    const sole = context ? context.soleService : orchestrated.size === 1 ? [...orchestrated][0] : undefined;
    const later: Placement[] = [];
    const loose = looseJoins(facts as DockerfileFacts[], j, name);
    for (const d of facts as DockerfileFacts[]) {
      const env = j.marked(d.file);
      j.fileEnv.set(d.file, env);
      const app = j.appOf(d.file);
      const base = posix.basename(d.file);
      const links = buildersOf(d.file, j);
      const { key, why } = identify(d, j, app, loose.get(d.file), orchestrated, sole, name);
      for (const link of links.length ? links : [undefined]) {
        const k = link?.key ?? key;
        j.claimIn(app, k, j.identity.get(k)?.name ?? k);
        // The last image of a folder owns it (the .env files there are its service's).
        j.dirOwner.set(dirOf(d.file), k);
        const stage = link?.target ? d.stages.find((s) => s.name === link.target) ?? d : d;
        const image: DockerImage = { file: d.file, exposes: withBuildArgs(stage.exposes, stage.env, link?.args ?? {}), env: stage.env, command: stage.command, healthchecks: stage.healthchecks, buildArgs: link?.args ?? {}, ...(stage.place ? { place: stage.place } : {}), why: link ? `service ${link.key} builds it` : why, ...(link?.target ? { target: link.target } : {}) };
        // Into the view that builds it: another project's service of the name builds its own image.
        const built = builtAs(d.file, j);
        const verdict = loose.get(d.file);
        const put = (e: string, v: EnvView, at: PlaceContext): void => {
          ensureUnits(v, VIEW, () => ({ image })).image = image;
          if (!verdict) return;
          const read = at.index(LOOSE, () => new Map<string, { services: Set<string>; files: Set<string> }>());
          const mine = read.get(k) ?? { services: new Set<string>(), files: new Set<string>() };
          for (const x of verdict.weighed) mine.services.add(x);
          for (const f of [d.file, ...verdict.rivals]) mine.files.add(f);
          read.set(k, mine);
        };
        const primary = !!link || base === 'Dockerfile' || base === 'Containerfile' || !!env;
        if (primary) out.push({ env, policy: 'follows', key: k, mark: `image:${k}`, counts: true, orphanDefault: true, stage: 3, place: (e, at) => put(e, at.views.builder(k, e, built), at) });
        // What a compose project builds is the image it runs, whatever other Dockerfiles' names suggest.
        for (const e of link?.envs ?? []) later.push({ env: e, policy: 'own', counts: false, stage: 4, place: (x, at) => put(x, at.views.builder(k, x, built), at) });
      }
    }
    // A folder whose Dockerfile is built but not in the workspace is its builder's.
    for (const [df, b] of j.builtBy) if (!j.dirOwner.has(dirOf(df)) && b[0]) j.dirOwner.set(dirOf(df), b[0].key);
    return [...out, ...later];
  },
  // The stage names (a build target) and the name its labels give decide whose image it is.
  signature: (f) => (f.kind === 'dockerfile' ? JSON.stringify([f.stages.map((s) => s.name ?? ''), f.labelled ?? '']) : ''),
  relate,
  vars: (f) => (f.kind === 'dockerfile' ? f.env : []),
};

/**
 * The service a Dockerfile no one builds is the image of, and why: a loose join (`loose`), else a
 * service its file or folders name, else the workspace's only orchestrated service for one at the
 * root, else its own name (its nearest folder or file, else "Dockerfile").
 */
function identify(d: DockerfileFacts, j: Join, app: string | undefined, loose: Loose | undefined, orchestrated: Set<string>, sole: string | undefined, workspace?: string): { key: string; why: string } {
  const candidates = namesOf(d, workspace);
  if (loose?.key) return { key: loose.key, why: loose.why };
  const note = loose?.why ?? '';
  const key = j.keyIn(app, ...candidates);
  const named = candidates.find((c) => j.keyIn(app, c) === key);
  if (key && orchestrated.has(key)) return { key, why: `a service named "${named}" as ${nameSource(d)} is` };
  // A name only another Dockerfile claimed is no orchestrated service's: say so, and why no loose join stood.
  if (key) return { key, why: `no service claims it: named after ${nameSource(d)} "${named}", as another Dockerfile is${note}` };
  // A label's name that names no service does not outweigh the only one (it may name the repository, not the service).
  if (pathNames(d.file).length === 0 && sole) return { key: sole, why: "the workspace's only orchestrated service: it stands at the root" };
  if (candidates[0]) return { key: j.newKey(app, candidates[0]), why: `no service claims it: named after ${nameSource(d)} "${candidates[0]}"${note}` };
  return { key: j.newKey(app, 'Dockerfile'), why: `no service claims it, and no folder names one${note}` };
}

/** Whoever builds a Dockerfile. Only the default name stands in for the compose default: a `Dockerfile.dev` beside it is not what compose builds. */
function buildersOf(file: string, j: Join): BuildLink[] {
  return j.builtBy.get(builtAs(file, j)) ?? [];
}

/**
 * The path builds know a Dockerfile by: its own, or the default `Dockerfile` of its folder for one
 * named like it in another case (`dockerfile`, `Containerfile`) that no build names itself.
 */
function builtAs(file: string, j: Join): string {
  if (j.builtBy.has(file) || !/^(dockerfile|containerfile)$/i.test(posix.basename(file))) return file;
  return joinRel(dirOf(file), 'Dockerfile');
}

/**
 * The names a Dockerfile's file (`api.dockerfile`) and folders give, nearest first, without generic
 * folders and environments; where they give none (a Dockerfile at the root), the name its OCI labels
 * give the image (its source repository's), else none.
 */
function namesOf(d: DockerfileFacts, workspace?: string): string[] {
  const names = pathNames(d.file);
  if (names.length > 0) return names;
  return d.labelled ? [d.labelled] : workspace ? [workspace] : [];
}

function pathNames(file: string): string[] {
  const fromName = /^(.+)\.dockerfile$/i.exec(posix.basename(file))?.[1];
  return [fromName, ...dirOf(file).split('/').reverse()].filter((x): x is string => !!x && !GENERIC_DIRS.has(x.toLowerCase()) && !isEnvAlias(x));
}

/** Where a Dockerfile's name comes from, in explain's words. */
function nameSource(d: DockerfileFacts): string {
  if (pathNames(d.file).length > 0) return 'its folder or file';
  return d.labelled ? "its image's OCI label" : "the workspace's (package.json or folder)";
}

/** A loose join's verdict on one Dockerfile: the service it joins (none when refused), why, and what it was weighed against. */
interface Loose {
  key?: string;
  why: string;
  /** The services whose names were weighed, and the other Dockerfiles that pointed at the same one. */
  weighed: string[];
  rivals: string[];
}

/** The model's record of loose verdicts: a Dockerfile's service → the services and the Dockerfiles its verdict read. */
const LOOSE = 'dockerfile-loose';

/**
 * A loose verdict reads other services' names and other Dockerfiles: a partial model (incremental.ts)
 * reads them with the Dockerfile's service, so that it reaches the verdict the whole did.
 */
function relate(model: Model, sink: RelationSink, wanted: (s: string | undefined) => s is string): void {
  const read = model.indexes.get(LOOSE) as Map<string, { services: Set<string>; files: Set<string> }> | undefined;
  for (const [s, { services, files }] of read ?? []) {
    if (!wanted(s)) continue;
    for (const o of services) if (o !== s) sink.depends(s, o);
    for (const f of files) sink.file(s, f);
  }
}

/**
 * Dockerfiles nothing builds and no name of theirs joins may still be one service's image: a name or
 * image name of that service ends with `-<the Dockerfile's nearest name>` (calculator-front-end runs
 * `…/distributed-calculator-react-calculator`, built in react-calculator/). Only where that is
 * unambiguous, since a loose join must never merge two services: one service has such names, no other
 * such Dockerfile points at it, and nothing builds an image of its own for it. Asked before any
 * Dockerfile claims a name; `why` says how it joined, or (with no key) why it did not.
 */
function looseJoins(facts: DockerfileFacts[], j: Join, workspace?: string): Map<string, Loose> {
  const out = new Map<string, Loose>();
  const built = new Set([...j.builtBy.values()].flatMap((links) => links.map((l) => l.key)));
  const wanted = new Map<string, { file: string; name: string; as: string; how: string }[]>();
  for (const d of facts) {
    const names = namesOf(d, workspace);
    const app = j.appOf(d.file);
    if (buildersOf(d.file, j).length > 0 || names.length === 0 || j.keyIn(app, ...names)) continue;
    // `<app>-<folder>` exactly (distributed-calculator/node/ for distributed-calculator-node) before any name ending in `-<folder>`.
    const suffixed = j.namesEndingWith(app, `-${names[0]}`);
    const exact = names[1] ? suffixed.filter(([n]) => n === `${names[1]}-${names[0]}`) : [];
    const byApp = new Set(exact.map(([, k]) => k)).size === 1;
    const hits = byApp ? exact : suffixed;
    const keys = [...new Set(hits.map(([, k]) => k))];
    const quoted = hits.map(([n]) => `"${n}"`).join(', ');
    if (keys.length > 1) out.set(d.file, { why: ` (${quoted} of services ${keys.join(', ')} end with "-${names[0]}": too loose to choose one)`, weighed: keys, rivals: [] });
    else if (keys.length === 1 && built.has(keys[0])) out.set(d.file, { why: ` (${quoted} of service ${keys[0]} ends with "-${names[0]}", but it builds an image of its own)`, weighed: keys, rivals: [] });
    else if (keys.length === 1) push(wanted, keys[0], { file: d.file, name: hits[0][0], as: names[0], how: byApp ? `its folders "${names[1]}" and "${names[0]}" joined` : `which ends with "-${names[0]}" (its folder or file), as no other service's name does` });
  }
  for (const [key, ds] of wanted) {
    for (const x of ds) {
      const others = ds.filter((y) => y !== x).map((y) => y.file);
      const why = others.length ? ` ("${x.name}" of service ${key} ends with "-${x.as}", as it does for ${others.join(', ')}: too loose to choose one)` : `service ${key} goes by "${x.name}" (a name or image), ${x.how}`;
      out.set(x.file, { ...(others.length ? {} : { key }), why, weighed: [key], rivals: others });
    }
  }
  return out;
}

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

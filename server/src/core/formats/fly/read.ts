// A fly.toml read into one process: the app, the Dockerfile or image it deploys, the ports Fly's proxy
// routes to (`[http_service] internal_port`, `[[services]] internal_port`), the public ports, the ports
// its checks connect to, the `[env]` variables, and the start command of the app's process group.
import { posix } from 'node:path';
import { parseCommand, wordsOfShell } from '../../extract/command';
import { commentSuppressions } from '../../extract/suppress';
import { emptyParts, PRECEDENCE } from '../../contributions';
import type { PortPart, ProcessContribution } from '../../contributions';
import { isOwnPortVar } from '../../port-names';
import { LineIndex } from '../../text';
import type { ContributedFacts, EnvVar, FileFacts, Problem, SourceFile } from '../../types';
import { tomlPaths } from './toml';
import type { TomlPaths, TomlScalar } from './toml';

export function readFly(file: SourceFile): FileFacts {
  const ix = new LineIndex(file.path, file.text);
  const suppressions = commentSuppressions(file.text);
  let paths: TomlPaths;
  try {
    paths = tomlPaths(file.text);
  } catch (e) {
    const err = e as Error & { lineNumber?: number; column?: number; index?: number };
    const at = err.index ?? ix.offset((err.lineNumber ?? 1) - 1, err.column ?? 0);
    const note: Problem = { message: `${file.path} is not valid TOML (${err.message}): its ports are not read`, loc: ix.loc(at, at) };
    return { kind: 'skipped', file: file.path, reason: 'unparsable TOML', unknowns: [note], problems: [], suppressions };
  }
  const problems: Problem[] = [];
  const app = paths.get('app');
  // `app = ''` (a template to fill in) or none: the folder's name, else `app` (Fly's default process group).
  const folder = posix.basename(posix.dirname(file.path));
  const service = typeof app?.value === 'string' && app.value ? app.value : folder && folder !== '.' ? folder : 'app';
  const parts = emptyParts();
  parts.files.push(file.path);
  const vars = envVars(paths, ix);
  parts.vars.push({ layer: 'fly.toml [env]', precedence: PRECEDENCE.platform, vars });
  for (const e of vars) if (e.port !== undefined && isOwnPortVar(e.name, service)) parts.ports.push({ role: 'listens', loc: e.valueLoc, port: e.port, literal: e.literal, text: `${e.name} variable (fly.toml [env])`, internal: true, aligns: true });
  parts.ports.push(...ports(paths, ix, problems));
  const command = processCommand(paths, ix);
  if (command) parts.commands.push({ command, from: 'orchestrator' });
  const image = paths.get('build.image');
  const process: ProcessContribution = {
    service,
    nameLoc: app ? ix.loc(app.start, app.end) : ix.loc(0, 0),
    image: typeof image?.value === 'string' ? image.value : undefined,
    // Without `[build] image`, flyctl builds the Dockerfile beside fly.toml (or the one `[build] dockerfile` names).
    build: image ? undefined : { context: '.', dockerfile: stringAt(paths, 'build.dockerfile'), target: stringAt(paths, 'build.build-target'), args: buildArgs(paths) },
    // A fly.toml deploys: unless its name or folder says another environment (`fly.staging.toml`), it is production.
    defaultEnv: 'production',
    parts,
  };
  const facts: ContributedFacts = { kind: 'contributed', format: 'fly', file: file.path, processes: [process], problems, suppressions };
  return facts;
}

function stringAt(paths: TomlPaths, path: string): string | undefined {
  const v = paths.get(path)?.value;
  return typeof v === 'string' ? v : undefined;
}

/** `[build.args]`: what the build passes to the Dockerfile's ARGs (an `EXPOSE $PORT` resolves with them). */
function buildArgs(paths: TomlPaths): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, s] of paths) {
    const m = /^build\.args\.([^.]+)$/.exec(path);
    if (m) out[m[1]] = String(s.value);
  }
  return out;
}

/** `[env]`: every value is a string to the process; a number's token is the number itself. */
function envVars(paths: TomlPaths, ix: LineIndex): EnvVar[] {
  const out: EnvVar[] = [];
  for (const [path, s] of paths) {
    const m = /^env\.([^.]+)$/.exec(path);
    if (!m) continue;
    const text = String(s.value);
    const inner = typeof s.value === 'string' ? [s.start + 1, s.end - 1] : [s.start, s.end];
    const port = /^\d+$/.test(text) && Number(text) >= 1 && Number(text) <= 65535 ? Number(text) : undefined;
    out.push({ name: m[1], value: text, nameLoc: ix.loc(s.keyStart, s.keyEnd), valueLoc: ix.loc(inner[0], inner[1]), port, literal: port !== undefined && s.plain });
  }
  return out;
}

const ROUTED = /^(http_service|services\.\d+)\.internal_port$/;
const CHECK = /^(checks\.[^.]+|http_service\.checks\.\d+|services\.\d+\.(tcp_checks|http_checks)\.\d+)\.port$/;
const PUBLIC = /^services\.\d+\.ports\.\d+\.(port|start_port|end_port)$/;

/** The proxy's internal ports, the checks' ports and the public ports, each at its token. */
function ports(paths: TomlPaths, ix: LineIndex, problems: Problem[]): PortPart[] {
  const out: PortPart[] = [];
  for (const [path, s] of paths) {
    const role = ROUTED.test(path) ? 'routed-to' : CHECK.test(path) ? 'probed' : PUBLIC.test(path) ? 'published' : undefined;
    if (!role) continue;
    const port = portOf(s);
    const loc = typeof s.value === 'string' ? ix.loc(s.start + 1, s.end - 1) : ix.loc(s.start, s.end);
    if (port === undefined) {
      problems.push({ message: `${path} must be a port number (1-65535), not ${JSON.stringify(s.value)}`, loc: ix.loc(s.start, s.end) });
      continue;
    }
    const literal = typeof s.value === 'number' || s.plain;
    const text = role === 'routed-to' ? `fly.toml ${path.replace(/\.\d+\./g, '.')}` : role === 'probed' ? `fly.toml check port (${path.replace(/\.port$/, '')})` : 'fly.toml public port, not internal';
    out.push({ role, loc, port, literal, text, internal: role === 'routed-to', aligns: role !== 'published', declares: role === 'routed-to' });
  }
  return out;
}

function portOf(s: TomlScalar): number | undefined {
  const n = typeof s.value === 'number' ? s.value : typeof s.value === 'string' && /^\d+$/.test(s.value) ? Number(s.value) : NaN;
  return Number.isInteger(n) && n >= 1 && n <= 65535 ? n : undefined;
}

/**
 * The command of the process group the proxy serves (`[processes] app = "bin/server --port 8080"`):
 * it runs in place of the image's CMD. Only a plain string is read (its offsets are exact).
 */
function processCommand(paths: TomlPaths, ix: LineIndex): ReturnType<typeof parseCommand> | undefined {
  const group = paths.get('http_service.processes.0') ?? paths.get('services.0.processes.0');
  const name = typeof group?.value === 'string' ? group.value : 'app';
  const cmd = paths.get(`processes.${name}`);
  if (typeof cmd?.value !== 'string' || !cmd.plain) return undefined;
  const start = cmd.start + 1;
  const words = wordsOfShell(ix, cmd.value, (i) => start + i, ix.loc(start, cmd.end - 1));
  return parseCommand(ix, words);
}

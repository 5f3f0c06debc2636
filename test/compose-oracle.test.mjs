// Compose as Compose reads it, checked against Debian's docker-compose 1.29 (`docker-compose config`
// merges and interpolates without an engine): for each project of test/unit/fixtures/compose-oracle/,
// the services and their ports (host IP, published, target, protocol) Port Parity's model gives are the
// ones `config` prints. A case's oracle.json may name the files (`-f`, in order) and the environment
// whose view is compared (default: the folder's own project, `local`).
//
// Where 1.29 is not asked, because it differs from Compose v2 (docs/compose.md says the same):
// - `include:` (Compose 2.20+): 1.29 rejects the key; Port Parity follows v2 (test/unit/compose-projects.test.mjs).
// - `!override` / `!reset` tags (Compose 2.24+): 1.29's YAML loader rejects them.
// - a port in the long syntax from a variable (`target: ${PORT}`): 1.29 refuses the string, v2 casts it.
// - `${EMPTY-6000}:6000` with EMPTY set empty: 1.29 refuses the ":6000" mapping; Port Parity reads a
//   container-only port, as v2 does.
// - nested defaults (`${A:-${B}}`) and the project name and network defaults are v2's and not compared.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import api from '../dist/api.js';

const CASES = new URL('./unit/fixtures/compose-oracle', import.meta.url).pathname;
const DEFAULT_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];
const version = spawnSync('docker-compose', ['version', '--short'], { encoding: 'utf8' });
const missing = version.error || version.status !== 0 ? 'docker-compose not installed: `apt-get install docker-compose` (Debian\'s 1.29) to compare the model with Compose' : undefined;

/** The files `docker-compose config` reads in `dir`: the case's list, COMPOSE_FILE in its .env, or the default name and its override. */
function given(dir, spec) {
  if (spec.files) return spec.files;
  const env = existsSync(join(dir, '.env')) ? readFileSync(join(dir, '.env'), 'utf8') : '';
  const listed = /^COMPOSE_FILE=(.*)$/m.exec(env);
  if (listed) return listed[1].trim().split(':');
  const first = DEFAULT_NAMES.find((n) => existsSync(join(dir, n)));
  const override = first?.replace(/\.ya?ml$/, '.override$&');
  return [first, ...(override && existsSync(join(dir, override)) ? [override] : [])];
}

const spell = (ip, published, target, protocol) => `${ip ? `${ip}:` : ''}${published ?? ''}:${target}/${(protocol ?? 'tcp').toLowerCase()}`;

/** Services → sorted port spellings, from `config`'s output (long entries, or `ip:published:target/proto` strings). */
function fromConfig(doc) {
  const out = {};
  for (const [name, s] of Object.entries(doc.services ?? {})) {
    out[name] = (s.ports ?? []).map((p) => {
      if (typeof p !== 'string') return spell(p.host_ip, p.published, p.target, p.protocol);
      const [body, protocol] = p.split('/');
      const parts = body.split(':');
      return spell(parts.length > 2 ? parts.slice(0, -2).join(':') : undefined, parts.length > 1 ? parts.at(-2) : undefined, parts.at(-1), protocol);
    }).sort();
  }
  return out;
}

/** The same from the model: each service's compose unit in `env`, read from the files Compose was given. */
function fromModel(dir, env, files) {
  const ws = api.readWorkspace(dir);
  const out = {};
  for (const s of api.analyze(ws.files, ws.config).model.services.values()) {
    const u = s.views.get(env)?.units.get('compose')?.unit;
    if (!u || !files.includes(u.files[0])) continue;
    out[s.name] = u.service.ports.map((p) => spell(p.hostIp, p.host?.port, p.container.port, p.protocol)).sort();
  }
  return out;
}

for (const name of existsSync(CASES) ? readdirSync(CASES).sort() : []) {
  test(`compose oracle › ${name}: the services and ports are those docker-compose config gives`, (t) => {
    if (missing) {
      t.skip(missing);
      return;
    }
    const dir = join(CASES, name);
    const spec = existsSync(join(dir, 'oracle.json')) ? JSON.parse(readFileSync(join(dir, 'oracle.json'), 'utf8')) : {};
    const args = [...(spec.files ?? []).flatMap((f) => ['-f', f]), '--project-directory', '.', 'config'];
    // Only the case's .env: no variable of this process's environment may reach the interpolation.
    const r = spawnSync('docker-compose', args, { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: process.env.HOME } });
    assert.equal(r.status, 0, `docker-compose ${args.join(' ')}: ${r.stderr}`);
    const oracle = fromConfig(YAML.parse(r.stdout));
    assert.ok(Object.keys(oracle).length > 0, 'the oracle gives services');
    assert.deepEqual(fromModel(dir, spec.env ?? 'local', given(dir, spec)), oracle);
  });
}

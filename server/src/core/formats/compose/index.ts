// Compose files: services, their port mappings, expose, environment, env_file, command and healthcheck.
// Read by name (`compose.yaml`, `docker-compose.prod.yml`), and by content: a YAML file whose root has a
// `services` map and whose name says compose, or whose root holds only Compose's top-level keys (a file
// another one extends or includes: `common-services.yml`).
import { posix } from 'node:path';
import { extractCompose } from './read';
import { get, isMap, isScalar } from '../../yaml';
import type { FormatPlugin } from '../types';
import { composeJoin } from './join';
import { lowerCompose, composePorts, explainCompose, composeDeclares } from './lower';

export const format: FormatPlugin = {
  id: 'compose',
  title: 'Compose file',
  reads: [{ kind: 'compose', files: ['compose.yaml', 'compose.yml', 'compose.*.yaml', 'compose.*.yml', 'compose-*.yaml', 'compose-*.yml', 'docker-compose.yaml', 'docker-compose.yml', 'docker-compose.*.yaml', 'docker-compose.*.yml', 'docker-compose-*.yaml', 'docker-compose-*.yml'], activates: true }],
  languages: ['dockercompose'],
  lower: lowerCompose,
  ports: composePorts,
  declares: composeDeclares,
  explain: explainCompose,
  join: composeJoin,
  units: 'file',
  sniffs: 'yaml',
  extract(file, ctx) {
    if (ctx.kind === 'compose') return extractCompose(file, ctx.interpolation(), ctx.dotenv());
    const root = ctx.yaml().docs[0]?.contents;
    if (!isMap(root) || !isMap(get(root, 'services'))) return undefined;
    // A name that says compose, or a root of Compose's top-level keys only (`common-services.yml`, which
    // another file `extends` or `include`s).
    const name = posix.basename(file.path).toLowerCase();
    if (name.includes('compose') || (!name.startsWith('.') && root.items.every((p) => isScalar(p.key) && COMPOSE_KEYS.test(String(p.key.value))) && servicesLike(get(root, 'services')))) return extractCompose(file, ctx.interpolation(), ctx.dotenv());
    return undefined;
  },
};

/** Every service a map, one at least with a key only a Compose service has. */
function servicesLike(services: unknown): boolean {
  if (!isMap(services) || services.items.length === 0) return false;
  const maps = services.items.map((p) => p.value);
  return maps.every((m) => isMap(m)) && maps.some((m) => isMap(m) && m.items.some((p) => isScalar(p.key) && SERVICE_KEYS.test(String(p.key.value))));
}

const SERVICE_KEYS = /^(image|build|extends|ports|expose|command|entrypoint|environment|env_file|healthcheck|depends_on|volumes|profiles)$/;

/** The Compose specification's top-level keys (`x-` extensions included). */
const COMPOSE_KEYS = /^(version|name|services|networks|volumes|configs|secrets|include|models|x-.*)$/;

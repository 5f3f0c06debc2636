// Compose files: services, their port mappings, expose, environment, env_file, command and healthcheck.
// Read by name (`compose.yaml`, `docker-compose.prod.yml`), and by content: a YAML file whose name says
// compose and whose root has a `services` map, or any YAML file of Compose's shape (a root `services`
// map whose entries run an image, a build or ports: `docker-stack.yml`, `common-services.yml` that
// another file extends, `e2e-mount.yml` run with `-f`).
import { posix } from 'node:path';
import { extractCompose } from './read';
import { get, isMap } from '../../yaml';
import { composeShape } from '../../unread';
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
    if (isMap(root) && isMap(get(root, 'services')) && posix.basename(file.path).toLowerCase().includes('compose')) return extractCompose(file, ctx.interpolation(), ctx.dotenv());
    // Compose's shape under any other name (`docker-stack.yml`, `e2e-mount.yml`, run with `-f`): read as a stack of its own.
    if (composeShape(ctx.yaml()) !== undefined) return extractCompose(file, ctx.interpolation(), ctx.dotenv());
    return undefined;
  },
};

// Compose files: services, their port mappings, expose, environment, env_file, command and healthcheck.
// Read by name (`compose.yaml`, `docker-compose.prod.yml`), and by content: a YAML file whose name says
// compose and whose root has a `services` map. A file of Compose's shape under another name
// (`common-services.yml`, which another file extends) is not read: unread.ts says so at the file, and
// the `extends` or `include` that names it says it is not followed.
import { posix } from 'node:path';
import { extractCompose } from './read';
import { get, isMap } from '../../yaml';
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
    return undefined;
  },
};

// Compose files: services, their port mappings, expose, environment, env_file, command and healthcheck.
// Read by name (`compose.yaml`, `docker-compose.prod.yml`), and by content: a YAML file whose name says
// compose and whose root has a `services` map.
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
    if (ctx.kind === 'compose') return extractCompose(file, ctx.interpolation());
    const root = ctx.yaml().docs[0]?.contents;
    if (isMap(root) && isMap(get(root, 'services')) && posix.basename(file.path).toLowerCase().includes('compose')) return extractCompose(file, ctx.interpolation());
    return undefined;
  },
};

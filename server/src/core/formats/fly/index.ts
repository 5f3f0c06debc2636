// Fly.io apps (fly.toml): where Fly's proxy routes requests (internal_port) and its checks connect, the
// [env] the process gets, and the Dockerfile it deploys. https://fly.io/docs/reference/configuration/
import type { FormatPlugin } from '../types';
import { readFly } from './read';

export const format: FormatPlugin = {
  id: 'fly',
  title: 'Fly.io app (fly.toml)',
  reads: [{ kind: 'fly', files: ['fly.toml', 'fly.*.toml'], activates: true }],
  units: 'file',
  extract: (file) => readFly(file),
};

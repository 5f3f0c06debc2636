// The core's public surface, shared by the CLI, the language server, the tests and the benchmark.
export * from './types';
export { LineIndex } from './text';
export { extractDockerfile } from './extract/dockerfile';
export { extractCompose } from './extract/compose';
export { parseCommand, shellWords, resolveVar } from './extract/command';
export { commentSuppressions } from './extract/suppress';

// Dockerfiles and Containerfiles: the final stage's EXPOSE, ENV, start command and HEALTHCHECK (and each stage's, for a build target).
import { extractDockerfile } from './read';
import type { FormatPlugin } from '../types';
import { rule as exposeMismatch } from './rules/expose-mismatch';
import { rule as exposeUnsetVariable } from './rules/expose-unset-variable';
import { rule as missingExpose } from './rules/missing-expose';
import { dockerfileJoin } from './join';
import { lowerImage, imagePorts, explainImage, imageDeclares } from './lower';

export const format: FormatPlugin = {
  id: 'dockerfile',
  title: 'Dockerfile',
  reads: [{ kind: 'dockerfile', files: ['Dockerfile', 'Dockerfile.*', '*.Dockerfile', '*.dockerfile', 'Containerfile', 'Containerfile.*'], activates: true }],
  languages: ['dockerfile'],
  lower: lowerImage,
  ports: imagePorts,
  declares: imageDeclares,
  explain: explainImage,
  join: dockerfileJoin,
  units: 'file',
  rules: [exposeMismatch, exposeUnsetVariable, missingExpose],
  extract: (file) => extractDockerfile(file),
};

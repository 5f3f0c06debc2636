// PLACEHOLDER: being written; replaced by the real extractor.
import type { DockerfileFacts, SourceFile } from '../types';

export function extractDockerfile(file: SourceFile): DockerfileFacts {
  throw new Error(`dockerfile extractor not written yet: ${file.path}`);
}

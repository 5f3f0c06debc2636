// PLACEHOLDER: being written; replaced by the real extractor.
import type { ComposeFacts, SourceFile } from '../types';

/** `interpolation`: variables from the `.env` file beside the compose file. */
export function extractCompose(file: SourceFile, interpolation: Record<string, string>): ComposeFacts {
  throw new Error(`compose extractor not written yet: ${file.path} ${Object.keys(interpolation).length}`);
}

// The places the parity panel may open: the file locations (ports and findings) the server named in the last matrix the panel got.
import type { MatrixDto, MatrixFindingDto } from '../../server/src/protocol';

/**
 * The URIs of the locations in the matrix last sent to the panel. The webview runs workspace data in a
 * page: an `open` it asks for is honoured only for a `file:` URI the server put in that matrix, so a
 * tampered page cannot open other files or other schemes.
 */
export class NamedLocations {
  private uris = new Set<string>();

  /** Remembers the matrix being sent to the panel (none: nothing may be opened). */
  update(matrix: MatrixDto | null | undefined): void {
    const uris = new Set<string>();
    for (const row of matrix?.rows ?? []) {
      for (const cell of row.cells) for (const l of cell.locations) if (isFileUri(l.uri)) uris.add(l.uri);
      for (const x of row.findings ?? []) if (isFileUri(x.uri)) uris.add(x.uri);
    }
    this.uris = uris;
  }

  /** Whether the panel may open `uri`: a `file:` URI named, exactly, in the last matrix sent. */
  allows(uri: unknown): uri is string {
    return typeof uri === 'string' && isFileUri(uri) && this.uris.has(uri);
  }
}

const isFileUri = (uri: string): boolean => uri.startsWith('file:');

/** The finding a panel's `fix` names: by service, folder and index in the service's row, in the matrix sent. */
export function findingOf(m: MatrixDto | null | undefined, service: unknown, folder: unknown, index: unknown): MatrixFindingDto | undefined {
  const row = m?.rows.find((r) => r.service === service && r.folder === folder && r.variant === undefined);
  return typeof index === 'number' && Number.isSafeInteger(index) && index >= 0 ? row?.findings?.[index] : undefined;
}

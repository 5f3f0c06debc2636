// The custom requests and notifications between the language server and the VS Code client.
export const MATRIX_REQUEST = 'portParity/matrix';
export const MATRIX_CHANGED = 'portParity/matrixChanged';
export const ALIGN_COMMAND = 'portParity.alignService';
/** Request: the service whose port token is under a position (`ServiceAtParams` → `ServiceAtResult | null`). */
export const SERVICE_AT_REQUEST = 'portParity/serviceAt';
/** Request: re-read every workspace folder from disk and re-check it (no params → `ReindexResult`). */
export const REINDEX_REQUEST = 'portParity/reindex';
/** Request: how a service was formed, or every file found (`ExplainParams` → `ExplainResult | null`), as `port-parity explain`. */
export const EXPLAIN_REQUEST = 'portParity/explain';
/** Notification from VS Code: the user trusted the workspace (`portParity.helm.render` may now run helm). */
export const TRUSTED_NOTIFICATION = 'portParity/trusted';
/** `initializationOptions` of the VS Code client. */
export interface InitOptions {
  /** VS Code's workspace trust; absent (other editors): trusted, their user's settings decide. */
  trusted?: boolean;
  /** The client renders Markdown tables and links in hovers (VS Code): the hover's ports are a table; absent: a list. */
  hoverTables?: boolean;
}

export interface ServiceAtParams {
  textDocument: { uri: string };
  position: { line: number; character: number };
}

export interface ServiceAtResult {
  service: string;
  /** The root folder the service belongs to. */
  folder: string;
}

/** A service of a folder (`service`), or every file the folder's walk found (`files`). */
export interface ExplainParams {
  /** The root folder; absent: the first folder that has the service (or the first folder, for `files`). */
  folder?: string;
  service?: string;
  files?: boolean;
}

export interface ExplainResult {
  /** Markdown: the explanation, in the CLI's words. */
  markdown: string;
}

export interface ReindexResult {
  files: number;
  folders: number;
}

export interface MatrixLocation {
  uri: string;
  line: number;
  character: number;
  /** For a place read out of a chart archive (`uri` is then the .tgz, line 0): the entry and line inside it. */
  inside?: string;
}

export interface MatrixCellDto {
  environment: string;
  ports: number[];
  status: 'reference' | 'agree' | 'differs' | 'missing';
  locations: MatrixLocation[];
}

/** One finding of a service, for the panel's details and the tree view (the editor's diagnostic, as data). */
export interface MatrixFindingDto {
  rule: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  /** Where the diagnostic is (0-based), a file: URI. */
  uri: string;
  line: number;
  character: number;
  endLine: number;
  endCharacter: number;
  environment?: string;
  /** The title of the finding's own quick fix, the one the editor offers at its range. */
  fix?: string;
}

export interface MatrixRowDto {
  service: string;
  /** A variant's row (another file that defines the service too, after the service's row): that file. */
  variant?: string;
  reference?: { environment?: string; ports: number[]; contract: boolean };
  cells: MatrixCellDto[];
  drift: boolean;
  /** Who calls this service through a URL or host:port, on which port, in which environments. */
  callers?: { from: string; port: number; envs: string[] }[];
  /** The root folder the service belongs to. */
  folder: string;
  /** Every finding of the service (on its row only, not a variant's), in the engine's order. */
  findings?: MatrixFindingDto[];
}

export interface MatrixDto {
  environments: string[];
  /**
   * Environments users read by other words than their key, with what they mean: `default` (the files
   * no path or name marks) is `unmarked (base)`. Show `label` where the key would show; keys stay keys.
   */
  environmentLabels?: Record<string, { label: string; note: string }>;
  rows: MatrixRowDto[];
  findings: { errors: number; warnings: number; infos: number };
}

/** Request: the Compose override that runs local containers on an environment's ports (`LocalParams` → `LocalResult`), as `port-parity local`. */
export const LOCAL_REQUEST = 'portParity/localOverride';

/** Plan the override of a folder against `env` (no `write`), or write the files shown (`write`: each path and the text shown). */
export interface LocalParams {
  /** The root folder; absent: the first folder. */
  folder?: string;
  env: string;
  write?: { path: string; text: string }[];
}

export interface LocalResult {
  /** The folder the paths are relative to. */
  folder?: string;
  files: { path: string; text: string; services: string[]; composeFiles: string[] }[];
  unaligned: { service: string; why: string }[];
  /** What could not be planned or written, in words. */
  errors: string[];
}

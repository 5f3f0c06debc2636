// What a format plug-in declares: the files it reads, the units it reads them in, and how it reads them.
import type { FormatJoin } from '../join';
import type { Rule } from '../rules/types';
import type { EnvView } from '../model-types';
import type { LoweredParts, PortPart } from '../contributions';
import type { EnvVar, FileFacts, SourceFile } from '../types';
import type { ParsedYaml } from '../yaml';

/** What a file is read in: alone, or as part of a render (a chart or an overlay, once per environment). */
export type UnitKind = 'file' | 'chart × environment' | 'overlay × environment';

/** What the core gives a plug-in's reader besides the file. */
export interface ExtractContext {
  /** The file's kind (kindOfPath). */
  kind: string;
  /** The variables of the `.env` beside the file (Compose reads it for interpolation): asked for, the read is recorded. */
  interpolation: () => Record<string, string>;
  /** The same `.env`'s variables with their places (a port set there is located and fixed there). */
  dotenv: () => EnvVar[];
  /** The file's YAML parse, made on first call and shared by every plug-in that looks (YAML kinds only). */
  yaml: () => ParsedYaml;
}

/** A set of files by name: the kind they are, and the globs that name them. */
export interface FileSet {
  /**
   * The file kind the core keys on. Several plug-ins may read one kind: Kubernetes, Helm and Kustomize
   * all read `yaml`, told apart by name and content.
   */
  kind: string;
  /** File-name globs (picomatch, matched case-insensitively against the base name; no `/`, no braces). */
  files: string[];
  /** File-name globs that are not this format's even though `files` matches them (`.env.example`). */
  exclude?: string[];
  /** A condition on the path beyond its name (a chart's `templates/` folder). */
  within?: (path: string) => boolean;
  /**
   * Whether a workspace holding such a file activates the extension; `under`: only such a file below a
   * folder of one of these names (a plain `*.yaml` says nothing by its name: a GitHub workflow is one).
   */
  activates: boolean | { under: string[] };
}

export interface FormatPlugin {
  /** The plug-in's folder name and the id users see (`docs/formats/<id>.md`). */
  id: string;
  /** What users call it: `Dockerfile`, `Fly.io app (fly.toml)`. */
  title: string;
  /** The files it reads by name, most specific first. */
  reads: FileSet[];
  /** A file kind it also reads by content, after the plug-ins that read that kind by name were asked (Compose sniffs `yaml`). */
  sniffs?: string;
  /** VS Code language ids of the format's documents, for the extension's document selector. */
  languages?: string[];
  units: UnitKind;
  /**
   * Reads one file of this kind into facts; undefined when the text is not this format's (a sniff said
   * no), so the next plug-in of the same kind is asked. May throw on a bug: the core turns that into a
   * skipped-source note. YAML plug-ins get the parse in `ctx.yaml`.
   */
  extract?: (file: SourceFile, ctx: ExtractContext) => FileFacts | undefined;
  /**
   * Lowers what the format contributes to one service view into format-blind parts (variables with
   * their layer, commands, files; its port tokens come from `ports`). Undefined: nothing of it in the view.
   */
  lower?: (v: EnvView) => LoweredParts | undefined;
  /**
   * The port tokens the format gives a view, each with its role (what hovers, references and fixes
   * read); those marked `declares` make the service's declared internal ports (model.ts declaredPorts).
   */
  ports?: (v: EnvView) => PortPart[];
  /** Its port tokens that declare the internal port (those `ports` marks `declares`), without building the others. */
  declares?: (v: EnvView) => PortPart[];
  /** How the format's facts join the model: the identities they claim, the views their units go to (join.ts). */
  join?: FormatJoin;
  /** What the format gives a view, each with its file and why it is there, in words (`port-parity explain`). */
  explain?: (v: EnvView) => { file: string; what: string }[];
  /** Rules about the format's own objects (Kubernetes Services' selectors and named ports, EXPOSE), in `formats/<id>/rules/`. */
  rules?: Rule[];
}

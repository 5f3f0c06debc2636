// One workspace folder's state: disk and editor texts, the store of what was extracted, the latest analysis.
import { join } from 'node:path';
import { accountFiles, buildMatrix, callers, defaultConfig, envMatcher, extract, extractSteps, findReferences, fullState, helmTemplateJobs, kindOfPath, owningDir, parseConfig, portTokens, Store, unreadFacts, updateState } from '../core';
import type { Analysis, Config, Edit, FileAccount, FileFacts, HelmTemplateOutput, HelmTemplates, IncrementalState, Matrix, PortToken, Problem, Reference, SourceFile, Unread } from '../core';
import { runHelmTemplate } from '../host/helm';
import { readRegularFile, realRoot } from '../host/read';
import type { ReadResult } from '../host/read';
import { readArchive, readWorkspace, workspaceName } from '../host/workspace';
import { isChartArchive } from '../host/archive';

export interface Settings {
  rules: Record<string, 'error' | 'warning' | 'info' | 'off'>;
  reference?: string;
  environments: Record<string, string[]>;
  exclude: string[];
  maxFileSize?: number;
  /** When open documents are checked: as they are typed (the default) or once saved. */
  run?: 'onType' | 'onSave';
  /** The optional `helm template` render: off by default, and only ever in a trusted workspace. */
  helm?: { render?: boolean; path?: string };
}

export const DEFAULT_SETTINGS: Settings = { rules: {}, environments: {}, exclude: [] };

/** Settings are the user's defaults; the repository's `.portparity.yaml` wins where it speaks. */
export function mergeConfig(file: Config | undefined, settings: Settings): Config {
  const base = defaultConfig();
  const c: Config = { ...base, ...(file ?? {}) };
  c.rules = { ...settings.rules, ...(file?.rules ?? {}) };
  c.environments = { ...settings.environments, ...(file?.environments ?? {}) };
  c.ignore = [...settings.exclude, ...(file?.ignore ?? [])];
  if (settings.reference && (!file || file.reference === base.reference)) c.reference = settings.reference;
  if (settings.maxFileSize && (!file || file.maxFileSize === base.maxFileSize)) c.maxFileSize = settings.maxFileSize;
  return c;
}

export class Folder {
  /** Texts from disk, by workspace-relative path. */
  private disk = new Map<string, string>();
  /** Texts of documents open in the editor (they win over the disk). */
  private open = new Map<string, string>();
  /** Each unit extracted (files, chart and overlay renders) with the reads it made: an edit runs again only what read it. */
  private store = new Store();
  /** Paths whose text changed since the last evaluation: the only ones the store compares. */
  private dirty = new Set<string>();
  /** The last list of files(), with where each path stands, and the paths changed since it was made. */
  private listed?: { files: SourceFile[]; at: Map<string, number> };
  private relist = new Set<string>();
  private fileConfig?: Config;
  configProblems: Problem[] = [];
  configPath?: string;
  config: Config = defaultConfig();
  analysis?: Analysis;
  tokens = new Map<string, PortToken[]>();
  private state?: IncrementalState;
  /** The files holding each service's tokens, so an edit touches only those. */
  private tokenFiles = new Map<string, Set<string>>();
  /** References by calling service, kept like the tokens: the matrix's callers come from here. */
  private refs = new Map<string, Reference[]>();

  /** Whether the editor trusts the workspace (VS Code's workspace trust; other editors: their user's settings decide). */
  trusted = true;
  /** The last `helm template` output per chart environment (absent while it runs), with the saved texts it was made from. */
  private helm = new Map<string, { sig: string; out?: HelmTemplateOutput }>();
  /** Helm runs one at a time, in the background. */
  private helmQueue: Promise<void> = Promise.resolve();
  /** Called when a background helm render is done (the server schedules an evaluation). */
  onHelmDone?: () => void;

  /** Told of each file left unread after an edit, with why (a link, a FIFO, too large): the server logs it. */
  onSkip?: (rel: string, reason: string) => void;
  /** The regular files the walk (or a re-read) passed over, by path: each a skipped-source note, as in the CLI. */
  private unread = new Map<string, Unread>();
  /** Their facts, made once per change of `unread` (the same objects otherwise: nothing looks changed). */
  private unreadFacts?: FileFacts[];
  /** Everything the last walk passed over (links and folders too), for `explain --files`. */
  private skipped: readonly Unread[] = [];

  constructor(readonly root: string, private settings: Settings) {}

  /** The folder left the workspace: a helm render still queued or under way is dropped when it is done. */
  close(): void {
    this.helm.clear();
    this.onHelmDone = undefined;
  }

  /** Reads every file from disk (host/workspace.ts, the walk the CLI uses too: .gitignore, node_modules, size limit). */
  index(): number {
    const ws = readWorkspace(this.root);
    // Links and special files are only logged (a diagnostic would invite opening them through the link).
    this.skipped = ws.skipped;
    this.unread = new Map(ws.skipped.filter((k) => k.regular).map((k) => [k.path, k]));
    this.unreadFacts = undefined;
    this.fileConfig = ws.configProblems.length === 0 && ws.config.file ? ws.config : undefined;
    this.configProblems = ws.configProblems;
    this.configPath = ws.config.file ?? ws.configProblems[0]?.loc.file;
    this.config = { ...mergeConfig(ws.config.file ? ws.config : undefined, this.settings), name: ws.config.name };
    this.disk = new Map(ws.files.map((f) => [f.path, f.text]));
    this.listed = undefined;
    this.store = new Store();
    this.dirty.clear();
    this.state = undefined;
    return ws.files.length;
  }

  setSettings(settings: Settings): void {
    this.settings = settings;
    this.config = { ...mergeConfig(this.fileConfig, settings), name: workspaceName(this.root) };
  }

  /** The config file changed: re-read it; its problems become diagnostics in that file. */
  reloadConfig(rel: string, text: string | undefined): void {
    if (text === undefined) {
      this.fileConfig = undefined;
      this.configProblems = [];
    } else {
      const { config, problems } = parseConfig(rel, text);
      this.configProblems = problems;
      this.fileConfig = problems.length ? this.fileConfig : config;
    }
    this.configPath = rel;
    this.config = { ...mergeConfig(this.fileConfig, this.settings), name: workspaceName(this.root) };
  }

  textOf(rel: string): string | undefined {
    return this.open.get(rel) ?? this.disk.get(rel);
  }

  setOpen(rel: string, text: string | undefined): void {
    if (text === undefined) this.open.delete(rel);
    else this.open.set(rel, text);
    this.dirty.add(rel);
    this.relist.add(rel);
  }

  /** Re-reads one file from disk after a watcher event; false when it is not a file the core reads. */
  refreshFromDisk(rel: string): boolean {
    if (kindOfPath(rel) === 'helm-archive') return isChartArchive(rel) && this.refreshArchive(rel);
    if (kindOfPath(rel) === undefined) return false;
    this.dirty.add(rel);
    this.relist.add(rel);
    const text = this.readDisk(rel, this.config.maxFileSize);
    if (text === undefined) this.disk.delete(rel);
    else this.disk.set(rel, text);
    return true;
  }

  /** A chart archive changed, came or went: its files are read again in place of those it held (host/archive.ts). */
  private refreshArchive(rel: string): boolean {
    const prefix = `${rel}/`;
    const was = [...this.disk.keys()].filter((p) => p.startsWith(prefix));
    for (const p of was) this.disk.delete(p);
    for (const p of [...this.unread.keys()]) if (p === rel || p.startsWith(prefix)) this.markUnread(p, undefined);
    let got: ReturnType<typeof readArchive>;
    try {
      got = readArchive(join(this.root, rel), rel, realRoot(this.root), this.config.maxFileSize);
    } catch (e) {
      got = { files: [], skipped: [{ path: rel, reason: (e as Error).message, regular: true }] };
    }
    for (const f of got.files) this.disk.set(f.path, f.text);
    for (const s of got.skipped) this.markUnread(s.path, s);
    for (const p of [...was, ...got.files.map((f) => f.path)]) {
      this.dirty.add(p);
      this.relist.add(p);
    }
    return true;
  }

  /** What the walk passed over at the last index, for the count the server logs. */
  unreadCount(): number {
    return this.skipped.length;
  }

  /** A path read again: passed over now (with why), or not (read, or gone). */
  private markUnread(rel: string, skip: Unread | undefined): void {
    const was = this.unread.get(rel);
    if (was?.reason === skip?.reason) return;
    if (skip) this.unread.set(rel, skip);
    else this.unread.delete(rel);
    this.unreadFacts = undefined;
    // A note appears or goes for a file outside the extraction: the next evaluation starts whole.
    this.state = undefined;
  }

  /** One file's text from disk through the safe reader; undefined (and a note to `onSkip`) when it is not read. */
  private readDisk(rel: string, maxSize: number): string | undefined {
    let read: ReadResult;
    try {
      read = readRegularFile(join(this.root, rel), realRoot(this.root), maxSize);
    } catch (e) {
      read = { skipped: (e as Error).message };
    }
    if ('text' in read) {
      this.markUnread(rel, undefined);
      return read.text;
    }
    const missing = 'missing' in read && read.missing;
    // Grown past the size limit: a note at the file, as the walk gives; a link or a FIFO is only logged.
    this.markUnread(rel, read.skipped.startsWith('larger than') ? { path: rel, reason: read.skipped, regular: true } : undefined);
    if (!missing) this.onSkip?.(rel, read.skipped);
    return undefined;
  }

  /** The texts the analysis reads: the editor's where a document is open, else the disk's. */
  files(): SourceFile[] {
    const listed = this.listed;
    // After edits of files already listed, the list is patched in place: no walk of every path per edit.
    if (listed && [...this.relist].every((p) => listed.at.has(p) && this.textOf(p) !== undefined)) {
      for (const p of this.relist) listed.files[listed.at.get(p) as number] = { path: p, text: this.textOf(p) as string };
      this.relist.clear();
      return listed.files.slice();
    }
    const paths = new Set([...this.disk.keys(), ...this.open.keys()]);
    const out: SourceFile[] = [];
    for (const p of paths) out.push({ path: p, text: this.textOf(p) as string });
    this.listed = { files: out, at: new Map(out.map((f, i) => [f.path, i])) };
    this.relist.clear();
    return out.slice();
  }

  /**
   * What the next evaluate() would render (chart environments not rendered yet), one step at a time:
   * the server runs these with a pause between them, so that it answers requests while charts render,
   * and stops between two when an edit comes. Nothing a request reads changes here, only the renders
   * the store keeps; evaluate() then finds them there.
   */
  *steps(): Generator<string, void> {
    const files = this.files();
    yield* extractSteps(files, this.config, this.store, () => ({ helmTemplates: this.helmTemplates(files), edits: this.edits() }));
  }

  /** Extracts again what read a changed file (the store knows), then re-evaluates the services it touches. */
  evaluate(): Analysis {
    const files = this.files();
    const edits = this.edits();
    this.dirty.clear();
    const extracted = extract(files, this.config, this.store, { helmTemplates: this.helmTemplates(files), edits });
    // A path the editor holds open is read from there, whatever the disk said.
    const unread = (this.unreadFacts ??= unreadFacts([...this.unread.values()])).filter((f) => !this.open.has(f.file));
    const facts = [...extracted.facts, ...unread];
    this.state = this.state ? updateState(this.state, facts, this.config, { changed: extracted.changed }) : fullState(facts, this.config);
    this.analysis = this.state.analysis;
    const scope = this.state.last.scope;
    const model = this.analysis.model;
    if (this.state.last.mode === 'incremental' && scope) {
      const refs = findReferences(model, scope);
      for (const s of scope) this.refs.delete(s);
      for (const r of refs) this.refs.set(r.from, [...(this.refs.get(r.from) ?? []), r]);
      // Only the re-evaluated services' tokens change, in the files that held them.
      const touched = new Set<string>();
      for (const svc of scope) for (const file of this.tokenFiles.get(svc) ?? []) touched.add(file);
      for (const file of touched) {
        const list = this.tokens.get(file) ?? [];
        const rest = list.filter((t) => !scope.has(t.service));
        if (rest.length) this.tokens.set(file, rest);
        else this.tokens.delete(file);
      }
      const fresh = portTokens(model, scope, refs);
      for (const [file, list] of fresh) this.tokens.set(file, [...(this.tokens.get(file) ?? []), ...list].sort((a, b) => a.loc.start - b.loc.start));
      for (const svc of scope) this.tokenFiles.delete(svc);
      this.indexTokenFiles(fresh);
    } else {
      const refs = findReferences(model);
      this.refs = new Map();
      for (const r of refs) this.refs.set(r.from, [...(this.refs.get(r.from) ?? []), r]);
      this.tokens = portTokens(model, undefined, refs);
      this.tokenFiles = new Map();
      this.indexTokenFiles(this.tokens);
    }
    return this.analysis;
  }

  /** The files changed since the last evaluation, with their texts now (undefined: gone). */
  private edits(): Edit[] {
    return [...this.dirty].map((p) => ({ path: p, text: this.textOf(p) }));
  }

  /**
   * `helm template` of each chart environment, when the user turned it on and the workspace is trusted.
   * Helm never blocks an evaluation: what it has not rendered yet is started in the background and the
   * folder is evaluated again when it is done (`onHelmDone`). Helm reads the disk: a chart with unsaved
   * edits is not compared until they are saved, and a chart whose saved files did not change is not
   * rendered again.
   */
  private helmTemplates(files: SourceFile[]): HelmTemplates | undefined {
    const helm = this.settings.helm;
    if (!helm?.render || !this.trusted) {
      this.helm.clear();
      return undefined;
    }
    const out: HelmTemplates = new Map();
    const jobs = helmTemplateJobs(files, envMatcher(this.config.environments).envOf);
    // A chart or environment that is gone leaves nothing behind (a run still under way is dropped when done).
    const live = new Set(jobs.map((j) => j.key));
    for (const key of [...this.helm.keys()]) if (!live.has(key)) this.helm.delete(key);
    // Each chart's files (what its renders read), found once for all its environments.
    const charts = new Map(jobs.map((j) => [j.chartDir, [] as SourceFile[]]));
    for (const f of files) {
      const owner = owningDir(f.path, charts);
      if (owner !== undefined) charts.get(owner)?.push(f);
    }
    for (const job of jobs) {
      const mine = charts.get(job.chartDir) ?? [];
      if (mine.some((f) => this.open.has(f.path) && this.open.get(f.path) !== this.disk.get(f.path))) continue;
      const sig = JSON.stringify([job, helm.path ?? '', mine.map((f) => [f.path, f.text])]);
      const hit = this.helm.get(job.key);
      if (hit?.sig === sig) {
        if (hit.out) out.set(job.key, hit.out);
        continue;
      }
      const entry: { sig: string; out?: HelmTemplateOutput } = { sig };
      this.helm.set(job.key, entry);
      this.helmQueue = this.helmQueue.then(async () => {
        if (this.helm.get(job.key) !== entry) return;
        entry.out = await runHelmTemplate(this.root, job, { helmPath: helm.path || undefined });
        if (this.helm.get(job.key) !== entry) return;
        this.onHelmDone?.();
      });
    }
    return out;
  }

  private indexTokenFiles(tokens: Map<string, PortToken[]>): void {
    for (const [file, list] of tokens) {
      for (const t of list) {
        let files = this.tokenFiles.get(t.service);
        if (!files) this.tokenFiles.set(t.service, (files = new Set()));
        files.add(file);
      }
    }
  }

  /** The services × environments table, with callers from the kept references. */
  matrix(): Matrix | undefined {
    return this.analysis ? buildMatrix(this.analysis.model, callers([...this.refs.values()].flat())) : undefined;
  }

  /** Every file found, with where it stands (`explain --files`); empty before the first evaluation. */
  accounts(): FileAccount[] {
    return this.analysis ? accountFiles(this.analysis.model, this.analysis.facts, [...this.skipped, ...this.unread.values()]) : [];
  }

  /** How the last evaluation went, for the log. */
  lastMode(): string {
    const l = this.state?.last;
    return l ? `${l.mode} (${l.services} services, ${l.files} files)` : 'none';
  }
}

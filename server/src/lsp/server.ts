// The language server: thin LSP handlers over the core; every handler guards its own errors.
import { relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeAction, CodeActionKind, CodeLens, createConnection, DiagnosticSeverity, DidChangeConfigurationNotification, DidChangeWatchedFilesNotification,
  FileChangeType, ProposedFeatures, TextDocumentSyncKind, TextDocuments,
} from 'vscode-languageserver/node';
import type { CancellationToken, Connection, Diagnostic, InitializeParams, Location, Range, WorkspaceEdit, WorkspaceFolder } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { alignServiceFix, CONFIG_FILES, hoverMarkdown, referencePorts, tokenAt, watchGlob, withDependentFixes } from '../core';
import type { Finding, Fix, Loc } from '../core';
import { DOCS_URL } from '../cli/report';
import { ALIGN_COMMAND, MATRIX_CHANGED, MATRIX_REQUEST, REINDEX_REQUEST, SERVICE_AT_REQUEST, TRUSTED_NOTIFICATION } from '../protocol';
import type { InitOptions, MatrixDto, ReindexResult, ServiceAtParams, ServiceAtResult } from '../protocol';
import { DEFAULT_SETTINGS, Folder } from './folder';
import type { Settings } from './folder';
import { Runs } from './runs';

/** The panel's matrix follows a pause in re-evaluations by this much. */
const MATRIX_DELAY_MS = 300;

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const folders: Folder[] = [];
  let ready: Promise<void> = Promise.resolve();
  let markReady: () => void = () => undefined;
  ready = new Promise((r) => (markReady = r));
  let settings: Settings = DEFAULT_SETTINGS;
  let canConfigure = false;
  let canWatch = false;
  /** The client fills a code action's edit on demand: "align" re-analyses the workspace, so only when chosen. */
  let canResolveEdit = false;
  /** Whether the editor trusts the workspace: a folder added later starts with what the first ones have. */
  let trusted = true;
  /** The client sends workspace/didChangeWorkspaceFolders (a folder added to or removed from a multi-root workspace). */
  let canFollowFolders = false;
  /** What was last published per URI, to send only changes. */
  const published = new Map<string, string>();
  let matrixTimer: NodeJS.Timeout | undefined;

  const log = (msg: string): void => connection.console.log(msg);
  /** Runs a handler; an exception is logged and the handler answers `fallback`, never an error. */
  const runSafe = async <T>(what: string, fallback: T, token: CancellationToken | undefined, fn: () => T | Promise<T>): Promise<T> => {
    try {
      await ready;
      if (token?.isCancellationRequested) return fallback;
      return await fn();
    } catch (e) {
      connection.console.error(`Error while ${what}: ${(e as Error).stack ?? e}`);
      return fallback;
    }
  };

  // pathToFileURL is slow next to everything else a matrix of a thousand services needs: remember it.
  const uris = new Map<string, string>();
  const uriOf = (f: Folder, rel: string): string => {
    const key = `${f.root}\0${rel}`;
    let u = uris.get(key);
    if (u === undefined) uris.set(key, (u = pathToFileURL(resolve(f.root, rel)).href));
    return u;
  };
  const locate = (uri: string): { folder: Folder; rel: string } | undefined => {
    let path: string;
    try {
      path = fileURLToPath(uri);
    } catch {
      return undefined;
    }
    const folder = folders.filter((f) => path === f.root || path.startsWith(f.root + sep)).sort((a, b) => b.root.length - a.root.length)[0];
    return folder ? { folder, rel: relative(folder.root, path).split(sep).join('/') } : undefined;
  };
  const range = (l: Loc): Range => ({ start: { line: l.line, character: l.col }, end: { line: l.endLine, character: l.endCol } });
  const location = (f: Folder, l: Loc): Location => ({ uri: uriOf(f, l.file), range: range(l) });
  const workspaceEdit = (f: Folder, fix: Fix): WorkspaceEdit => {
    const changes: Record<string, { range: Range; newText: string }[]> = {};
    for (const e of fix.edits) (changes[uriOf(f, e.loc.file)] ??= []).push({ range: range(e.loc), newText: e.newText });
    return { changes };
  };
  // "Align": the service's ports, and the references the move leaves on the old port, in one edit.
  const alignFix = (f: Folder, service: string): Fix | undefined => {
    const fix = f.analysis && alignServiceFix(f.analysis.model, service);
    return fix && f.analysis ? withDependentFixes(f.files(), f.config, f.analysis.findings, fix) : undefined;
  };
  const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information } as const;
  const diagnostic = (f: Folder, x: Finding): Diagnostic => ({
    range: range(x.loc),
    severity: SEVERITY[x.severity],
    source: 'port-parity',
    code: x.rule,
    codeDescription: { href: `${DOCS_URL}${x.rule}.md` },
    message: x.message,
    relatedInformation: x.related.map((r) => ({ location: location(f, r.loc), message: r.message })),
  });

  const publishAll = (): void => {
    const next = new Map<string, Diagnostic[]>();
    for (const f of folders) {
      for (const x of f.analysis?.findings ?? []) {
        const uri = uriOf(f, x.loc.file);
        const list = next.get(uri) ?? [];
        list.push(diagnostic(f, x));
        next.set(uri, list);
      }
      if (f.configPath && f.configProblems.length) {
        const uri = uriOf(f, f.configPath);
        next.set(uri, [...(next.get(uri) ?? []), ...f.configProblems.map((p) => ({ range: range(p.loc), severity: DiagnosticSeverity.Error, source: 'port-parity', code: 'config', message: p.message }))]);
      }
    }
    // Only what changed goes out: an edit in one file does not resend a thousand files' diagnostics.
    for (const [uri, diagnostics] of next) {
      const text = JSON.stringify(diagnostics);
      if (published.get(uri) === text) continue;
      published.set(uri, text);
      void connection.sendDiagnostics({ uri, diagnostics });
    }
    for (const uri of [...published.keys()]) {
      if (next.has(uri)) continue;
      published.delete(uri);
      void connection.sendDiagnostics({ uri, diagnostics: [] });
    }
    // The matrix (the whole table, for the parity panel) goes once edits pause, so that building and
    // sending it never delays the diagnostics of the next edit.
    if (matrixTimer) clearTimeout(matrixTimer);
    matrixTimer = setTimeout(() => {
      matrixTimer = undefined;
      try {
        void connection.sendNotification(MATRIX_CHANGED, matrix());
      } catch (e) {
        connection.console.error(`Error while building the matrix: ${(e as Error).stack ?? e}`);
      }
    }, MATRIX_DELAY_MS);
  };

  const runs = new Runs(folders, { log, error: (msg) => connection.console.error(msg), publish: () => publishAll() });
  const evaluate = (targets: Iterable<Folder>): Promise<void> => runs.evaluate(targets);
  const schedule = (f: Folder, delay?: number): void => runs.schedule(f, delay);

  const matrix = (): MatrixDto => {
    const dto: MatrixDto = { environments: [], rows: [], findings: { errors: 0, warnings: 0, infos: 0 } };
    const envs = new Set<string>();
    for (const f of folders) {
      const m = f.matrix();
      if (!m || !f.analysis) continue;
      for (const e of m.environments) envs.add(e);
      for (const r of m.rows) dto.rows.push({ ...r, folder: f.root, cells: r.cells.map((c) => ({ ...c, locations: c.locations.map((l) => ({ uri: uriOf(f, l.file), line: l.line, character: l.col })) })) });
      for (const x of f.analysis.findings) dto.findings[x.severity === 'error' ? 'errors' : x.severity === 'warning' ? 'warnings' : 'infos']++;
    }
    dto.environments = [...envs];
    return dto;
  };

  const readSettings = async (): Promise<void> => {
    if (!canConfigure) return;
    try {
      const s = (await connection.workspace.getConfiguration('portParity')) as Partial<Settings> | null;
      settings = { ...DEFAULT_SETTINGS, ...(s ?? {}) };
      for (const f of folders) f.setSettings(settings);
    } catch (e) {
      connection.console.error(`Error while reading settings: ${(e as Error).message}`);
    }
  };

  /** A folder's path from its URI, without a trailing separator; undefined for a URI that is not a file. */
  const rootOf = (uri: string): string | undefined => {
    try {
      return resolve(fileURLToPath(uri));
    } catch {
      return undefined;
    }
  };
  const addFolder = (uri: string): Folder | undefined => {
    const root = rootOf(uri);
    if (root === undefined) {
      connection.console.error(`Skipping workspace folder ${uri}: not a file URI`);
      return undefined;
    }
    if (folders.some((f) => f.root === root)) return undefined;
    const folder = new Folder(root, settings);
    folder.trusted = trusted;
    // A background `helm template` render finished: evaluate again to take it in.
    folder.onHelmDone = () => schedule(folder, 0);
    folder.onSkip = (rel, reason) => connection.console.warn(`skipped ${rel}: ${reason}`);
    folders.push(folder);
    return folder;
  };

  connection.onInitialize((params: InitializeParams) => {
    trusted = (params.initializationOptions as InitOptions | undefined)?.trusted !== false;
    const roots = (params.workspaceFolders ?? []).map((w) => w.uri);
    if (roots.length === 0 && params.rootUri) roots.push(params.rootUri);
    for (const uri of roots) addFolder(uri);
    canFollowFolders = !!params.capabilities.workspace?.workspaceFolders;
    canConfigure = !!params.capabilities.workspace?.configuration;
    canWatch = !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    canResolveEdit = !!params.capabilities.textDocument?.codeAction?.resolveSupport?.properties.includes('edit');
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix], resolveProvider: true },
        referencesProvider: true,
        definitionProvider: true,
        codeLensProvider: { resolveProvider: false },
        executeCommandProvider: { commands: [] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'port-parity' },
    };
  });

  connection.onInitialized(async () => {
    try {
      if (canConfigure) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'portParity' });
      if (canWatch) void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: watchGlob() }] });
      if (canFollowFolders) connection.workspace.onDidChangeWorkspaceFolders((e) => void runSafe('changing workspace folders', undefined, undefined, () => changeFolders(e.added, e.removed)));
      await readSettings();
      const progress = await connection.window.createWorkDoneProgress().catch(() => undefined);
      progress?.begin('Port Parity', 0, 'Indexing workspace', false);
      let total = 0;
      for (const f of folders) {
        try {
          total += f.index();
          progress?.report(`Indexing ${total.toLocaleString('en-US')} files`);
        } catch (e) {
          connection.console.error(`Error while indexing ${f.root}: ${(e as Error).message}`);
        }
      }
      progress?.report(`Checking ${total.toLocaleString('en-US')} files`);
      // Requests and edits are taken from here on: while the first check runs (charts render in steps),
      // a request finds no analysis yet and answers empty, and an edit restarts the check.
      markReady();
      await evaluate(folders);
      progress?.done();
      log(`indexed ${total} files in ${folders.length} folder(s)`);
    } finally {
      markReady();
    }
  });

  const onText = (uri: string, text: string | undefined): void => {
    const at = locate(uri);
    if (!at) return;
    if (CONFIG_FILES.includes(at.rel)) at.folder.reloadConfig(at.rel, text ?? at.folder.textOf(at.rel));
    at.folder.setOpen(at.rel, text);
    schedule(at.folder);
  };
  documents.onDidOpen((e) => void runSafe('opening a document', undefined, undefined, () => {
    const at = locate(e.document.uri);
    // Opening a file whose text equals the disk changes nothing: no re-evaluation.
    if (at && at.folder.textOf(at.rel) === e.document.getText()) {
      at.folder.setOpen(at.rel, e.document.getText());
      return;
    }
    onText(e.document.uri, e.document.getText());
  }));
  documents.onDidChangeContent((e) => void runSafe('applying a change', undefined, undefined, () => onText(e.document.uri, e.document.getText())));
  documents.onDidClose((e) => void runSafe('closing a document', undefined, undefined, () => {
    const at = locate(e.document.uri);
    if (!at) return;
    at.folder.setOpen(at.rel, undefined);
    at.folder.refreshFromDisk(at.rel);
    if (CONFIG_FILES.includes(at.rel)) at.folder.reloadConfig(at.rel, at.folder.textOf(at.rel));
    schedule(at.folder);
  }));

  connection.onDidChangeWatchedFiles((params) => void runSafe('reading changed files', undefined, undefined, () => {
    for (const ch of params.changes) {
      const at = locate(ch.uri);
      if (!at) continue;
      if (documents.get(ch.uri) && ch.type !== FileChangeType.Deleted) continue;
      if (CONFIG_FILES.includes(at.rel)) {
        at.folder.refreshFromDisk(at.rel);
        at.folder.reloadConfig(at.rel, ch.type === FileChangeType.Deleted ? undefined : at.folder.textOf(at.rel));
        schedule(at.folder, 0);
        continue;
      }
      if (at.folder.refreshFromDisk(at.rel)) schedule(at.folder, 50);
    }
  }));

  /**
   * A folder added to the workspace is indexed and checked like the first ones; a removed one is
   * forgotten: its diagnostics are withdrawn, its rows leave the matrix, its helm renders are dropped.
   */
  const changeFolders = (added: WorkspaceFolder[], removed: WorkspaceFolder[]): void => {
    for (const w of removed) {
      const root = rootOf(w.uri);
      const i = folders.findIndex((f) => f.root === root);
      if (i < 0) continue;
      const [gone] = folders.splice(i, 1);
      runs.forget(gone);
      gone.close();
      for (const key of [...uris.keys()]) if (key.startsWith(`${gone.root}\0`)) uris.delete(key);
      log(`removed workspace folder ${gone.root}`);
    }
    const fresh: Folder[] = [];
    for (const w of added) {
      const f = addFolder(w.uri);
      if (!f) continue;
      try {
        log(`indexed ${f.index()} files in added workspace folder ${f.root}`);
        fresh.push(f);
      } catch (e) {
        connection.console.error(`Error while indexing ${f.root}: ${(e as Error).message}`);
      }
    }
    // Evaluating the new folders publishes everything again: the removed folders' files get empty diagnostics.
    void evaluate(fresh);
  };

  connection.onNotification(TRUSTED_NOTIFICATION, () => void runSafe('trusting the workspace', undefined, undefined, async () => {
    trusted = true;
    for (const f of folders) {
      f.trusted = true;
      f.setSettings(settings);
      schedule(f, 0);
    }
  }));

  connection.onDidChangeConfiguration(() => void runSafe('reading settings', undefined, undefined, async () => {
    await readSettings();
    for (const f of folders) schedule(f, 0);
  }));

  connection.onHover((params, token) => runSafe(`computing hover for ${params.textDocument.uri}`, null, token, () => {
    const at = locate(params.textDocument.uri);
    const doc = documents.get(params.textDocument.uri);
    if (!at || !at.folder.analysis) return null;
    const offset = doc ? doc.offsetAt(params.position) : offsetIn(at.folder.textOf(at.rel) ?? '', params.position.line, params.position.character);
    const t = tokenAt(at.folder.tokens, at.rel, offset);
    if (!t) return null;
    const value = hoverMarkdown(at.folder.analysis.model, t, (l) => `${uriOf(at.folder, l.file)}#L${l.line + 1}`);
    return { contents: { kind: 'markdown', value }, range: range(t.loc) };
  }));

  connection.onCodeAction((params, token) => runSafe(`computing code actions for ${params.textDocument.uri}`, [] as CodeAction[], token, () => {
    const at = locate(params.textDocument.uri);
    const analysis = at?.folder.analysis;
    if (!at || !analysis) return [];
    const f = at.folder;
    const actions: CodeAction[] = [];
    const r = params.range;
    const before = (a: { line: number; character: number }, b: { line: number; character: number }): boolean => a.line < b.line || (a.line === b.line && a.character <= b.character);
    const services = new Set<string>();
    for (const x of analysis.findings) {
      if (x.loc.file !== at.rel) continue;
      const xr = range(x.loc);
      if (!(before(xr.start, r.end) && before(r.start, xr.end))) continue;
      if (x.fix) {
        const a = CodeAction.create(x.fix.title, workspaceEdit(f, x.fix), CodeActionKind.QuickFix);
        a.diagnostics = [diagnostic(f, x)];
        a.isPreferred = true;
        actions.push(a);
      }
      if (x.service && ['port-parity', 'expose-mismatch', 'env-port-mismatch', 'command-port-mismatch', 'contract'].includes(x.rule)) services.add(x.service);
    }
    for (const s of services) {
      const fix = canResolveEdit ? alignServiceFix(analysis.model, s) : alignFix(f, s);
      if (!fix || actions.some((a) => a.title === fix.title)) continue;
      const a = CodeAction.create(fix.title, CodeActionKind.QuickFix);
      if (canResolveEdit) a.data = { folder: f.root, service: s };
      else a.edit = workspaceEdit(f, fix);
      actions.push(a);
    }
    return actions;
  }));
  // The edit of an "align" action, with the references the move leaves behind, once the user picks it.
  connection.onCodeActionResolve((action, token) => runSafe(`resolving the code action ${action.title}`, action, token, () => {
    const data = action.data as { folder?: string; service?: string } | undefined;
    const f = folders.find((x) => x.root === data?.folder);
    const fix = f && data?.service ? alignFix(f, data.service) : undefined;
    if (f && fix) action.edit = workspaceEdit(f, fix);
    return action;
  }));

  connection.onReferences((params, token) => runSafe(`finding references in ${params.textDocument.uri}`, [] as Location[], token, () => {
    const at = locate(params.textDocument.uri);
    if (!at || !at.folder.analysis) return [];
    const doc = documents.get(params.textDocument.uri);
    const offset = doc ? doc.offsetAt(params.position) : offsetIn(at.folder.textOf(at.rel) ?? '', params.position.line, params.position.character);
    const t = tokenAt(at.folder.tokens, at.rel, offset);
    if (!t) return [];
    const out: Location[] = [];
    for (const list of at.folder.tokens.values()) for (const x of list) if (x.service === t.service && x.internal) out.push(location(at.folder, x.loc));
    return out;
  }));

  connection.onDefinition((params, token) => runSafe(`finding the definition in ${params.textDocument.uri}`, [] as Location[], token, () => {
    const at = locate(params.textDocument.uri);
    if (!at || !at.folder.analysis) return [];
    const doc = documents.get(params.textDocument.uri);
    const offset = doc ? doc.offsetAt(params.position) : offsetIn(at.folder.textOf(at.rel) ?? '', params.position.line, params.position.character);
    const t = tokenAt(at.folder.tokens, at.rel, offset);
    const s = t && at.folder.analysis.model.services.get(t.service);
    const ref = s && referencePorts(s);
    return ref ? ref.locs.map((l) => location(at.folder, l)) : [];
  }));

  connection.onCodeLens((params, token) => runSafe(`computing code lenses for ${params.textDocument.uri}`, [] as CodeLens[], token, () => {
    const at = locate(params.textDocument.uri);
    if (!at || !at.folder.analysis) return [];
    const m = at.folder.matrix();
    if (!m) return [];
    const lenses: CodeLens[] = [];
    for (const s of at.folder.analysis.model.services.values()) {
      const row = m.rows.find((r) => r.service === s.name);
      if (!row) continue;
      const anchors = new Map<string, Loc>();
      for (const v of s.views.values()) {
        if (v.compose && v.compose.service.nameLoc.file === at.rel) anchors.set(`${v.compose.service.nameLoc.start}`, v.compose.service.nameLoc);
        for (const w of v.workloads) if (w.file === at.rel) anchors.set(`${w.workload.nameLoc.start}`, w.workload.nameLoc);
      }
      const withPorts = row.cells.filter((c) => c.ports.length);
      const title = row.drift
        ? `${s.name}: ${withPorts.map((c) => `${c.environment} ${c.ports.join(', ')}`).join(' ≠ ')}`
        : `${s.name}: ${withPorts[0]?.ports.join(', ')} in ${withPorts.length} environment${withPorts.length === 1 ? '' : 's'}`;
      for (const l of anchors.values()) lenses.push({ range: range(l), command: { title, command: '' } });
    }
    return lenses;
  }));

  connection.onRequest(MATRIX_REQUEST, (_params, token) => runSafe('building the matrix', { environments: [], rows: [], findings: { errors: 0, warnings: 0, infos: 0 } } as MatrixDto, token, () => matrix()));
  connection.onRequest(ALIGN_COMMAND, (params: { folder?: string; service: string }, token) => runSafe('aligning a service', null as WorkspaceEdit | null, token, () => {
    const f = folders.find((x) => !params.folder || x.root === params.folder) ?? folders[0];
    const fix = f ? alignFix(f, params.service) : undefined;
    return fix && f ? workspaceEdit(f, fix) : null;
  }));

  // For the VS Code client's "Align Service in All Environments": the service under the cursor.
  connection.onRequest(SERVICE_AT_REQUEST, (params: ServiceAtParams, token) => runSafe('finding the service at a position', null as ServiceAtResult | null, token, () => {
    const at = locate(params.textDocument.uri);
    if (!at || !at.folder.analysis) return null;
    const doc = documents.get(params.textDocument.uri);
    const offset = doc ? doc.offsetAt(params.position) : offsetIn(at.folder.textOf(at.rel) ?? '', params.position.line, params.position.character);
    const t = tokenAt(at.folder.tokens, at.rel, offset);
    return t ? { service: t.service, folder: at.folder.root } : null;
  }));
  // "Re-index Workspace": read every folder from disk again (open documents keep their editor text).
  connection.onRequest(REINDEX_REQUEST, (_params, token) => runSafe('re-indexing', { files: 0, folders: 0 } as ReindexResult, token, async () => {
    let files = 0;
    for (const f of folders) {
      try {
        files += f.index();
      } catch (e) {
        connection.console.error(`Error while indexing ${f.root}: ${(e as Error).message}`);
      }
    }
    await evaluate(folders);
    log(`re-indexed ${files} files in ${folders.length} folder(s)`);
    return { files, folders: folders.length };
  }));

  documents.listen(connection);
  connection.listen();
}

function offsetIn(text: string, line: number, character: number): number {
  let off = 0;
  for (let l = 0; l < line; l++) {
    const nl = text.indexOf('\n', off);
    if (nl < 0) return text.length;
    off = nl + 1;
  }
  return off + character;
}

if (require.main === module) {
  process.on('uncaughtException', (e) => console.error(`port-parity: uncaught ${e.stack ?? e}`));
  startServer(createConnection(ProposedFeatures.all));
}

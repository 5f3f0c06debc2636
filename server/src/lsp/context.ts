// What every language feature is given: the connection, the open documents, the workspace folders and
// the helpers that find where a URI or a position lies in them; built once by startServer.
import { relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TextDocuments } from 'vscode-languageserver/node';
import type { CancellationToken, Connection, Position } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { tokenAt } from '../core';
import type { PortToken } from '../core';
import { DEFAULT_SETTINGS, Folder } from './folder';
import type { Settings } from './folder';
import { Runs } from './runs';

/** A file of a workspace folder: the folder, and the path inside it. */
export interface At {
  folder: Folder;
  rel: string;
}

/** What the client said it can do, read once in `initialize`. */
export interface ClientCapabilities {
  configure: boolean;
  watch: boolean;
  /** The client fills a code action's edit on demand: "align" re-analyses the workspace, so only when chosen. */
  resolveEdit: boolean;
  /** The client sends workspace/didChangeWorkspaceFolders (a folder added to or removed from a multi-root workspace). */
  followFolders: boolean;
  /** The hover format the client renders first (`textDocument.hover.contentFormat`): plain text where Markdown is not listed first. */
  hoverFormat: 'markdown' | 'plaintext';
  /** The client renders Markdown tables (the VS Code client says so in its initializationOptions): else a list. */
  hoverTables: boolean;
}

/** The shared state and helpers of the language server; the features register their handlers with it. */
export interface ServerContext {
  readonly connection: Connection;
  readonly documents: TextDocuments<TextDocument>;
  readonly folders: Folder[];
  readonly client: ClientCapabilities;
  settings: Settings;
  /** Whether the editor trusts the workspace: a folder added later starts with what the first ones have. */
  trusted: boolean;
  log(msg: string): void;
  /** A routine line (an evaluation, a render run): LSP's Debug level, which VS Code's log output hides until asked. */
  debug(msg: string): void;
  error(msg: string): void;
  /** Runs a handler once the first index is read; an exception is logged and the handler answers `fallback`, never an error. */
  runSafe<T>(what: string, fallback: T, token: CancellationToken | undefined, fn: () => T | Promise<T>): Promise<T>;
  /** Requests are answered from here on (the first check may still be running). */
  markReady(): void;
  /** The workspace folder holding a file URI, and the path inside it. */
  locate(uri: string): At | undefined;
  /** A folder's file as a URI (remembered: pathToFileURL is slow next to everything else a large matrix needs). */
  uriOf(f: Folder, rel: string): string;
  /** The port token under a position of a document (in the text the folder analysed: the editor's, or the disk's). */
  tokenAt(uri: string, position: Position): { at: At; token: PortToken } | undefined;
  /** Adds a workspace folder by URI; undefined when it is not a file URI (said) or already there. */
  addFolder(uri: string): Folder | undefined;
  /** Forgets a workspace folder: its pending evaluations, its helm renders, its URIs. */
  removeFolder(root: string): Folder | undefined;
  /** Re-evaluates a folder after a pause in edits (see Runs). */
  schedule(f: Folder, delay?: number): void;
  /** Evaluates folders now, then tells the `onEvaluated` listeners. */
  evaluate(targets: Iterable<Folder>): Promise<void>;
  /** Reads every folder from disk again; the number of files read. `read` hears the running total after each folder. */
  indexAll(read?: (total: number) => void): number;
  /** Called, in order, after each evaluation that was not superseded: diagnostics, then the matrix. */
  onEvaluated(listener: () => void): void;
}

/** A folder's path from its URI, without a trailing separator; undefined for a URI that is not a file. */
export function rootOf(uri: string): string | undefined {
  try {
    return resolve(fileURLToPath(uri));
  } catch {
    return undefined;
  }
}

/** The offset of a line and character in a text (for files that are not open in the editor). */
export function offsetIn(text: string, line: number, character: number): number {
  let off = 0;
  for (let l = 0; l < line; l++) {
    const nl = text.indexOf('\n', off);
    if (nl < 0) return text.length;
    off = nl + 1;
  }
  return off + character;
}

/** The folder holding `path`: the innermost one when folders nest. */
function folderOf(folders: Folder[], uri: string): At | undefined {
  let path: string;
  try {
    path = fileURLToPath(uri);
  } catch {
    return undefined;
  }
  const folder = folders.filter((f) => path === f.root || path.startsWith(f.root + sep)).sort((a, b) => b.root.length - a.root.length)[0];
  return folder ? { folder, rel: relative(folder.root, path).split(sep).join('/') } : undefined;
}

export function createContext(connection: Connection): ServerContext {
  const folders: Folder[] = [];
  const documents = new TextDocuments(TextDocument);
  const listeners: (() => void)[] = [];
  const uris = new Map<string, string>();
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((r) => (markReady = r));
  const log = (msg: string): void => connection.console.log(msg);
  const error = (msg: string): void => connection.console.error(msg);
  const debug = (msg: string): void => connection.console.debug(msg);
  const runs = new Runs(folders, { log, debug, error, publish: () => listeners.forEach((l) => l()) });
  const ctx: ServerContext = {
    connection, documents, folders, log, debug, error,
    client: { configure: false, watch: false, resolveEdit: false, followFolders: false, hoverFormat: 'markdown', hoverTables: false },
    settings: DEFAULT_SETTINGS,
    trusted: true,
    markReady: () => markReady(),
    async runSafe(what, fallback, token, fn) {
      try {
        await ready;
        if (token?.isCancellationRequested) return fallback;
        return await fn();
      } catch (e) {
        error(`Error while ${what}: ${(e as Error).stack ?? e}`);
        return fallback;
      }
    },
    locate: (uri) => folderOf(folders, uri),
    uriOf(f, rel) {
      const key = `${f.root}\0${rel}`;
      let u = uris.get(key);
      if (u === undefined) uris.set(key, (u = pathToFileURL(resolve(f.root, rel)).href));
      return u;
    },
    tokenAt(uri, position) {
      const at = folderOf(folders, uri);
      if (!at || !at.folder.analysis) return undefined;
      const doc = documents.get(uri);
      const text = at.folder.textOf(at.rel);
      // The folder's text is the one analysed: the editor's may be ahead of it (unsaved, with portParity.run onSave).
      const offset = doc && doc.getText() === text ? doc.offsetAt(position) : offsetIn(text ?? '', position.line, position.character);
      const token = tokenAt(at.folder.tokens, at.rel, offset);
      return token ? { at, token } : undefined;
    },
    addFolder: (uri) => addFolder(ctx, uri),
    removeFolder(root) {
      const i = folders.findIndex((f) => f.root === root);
      if (i < 0) return undefined;
      const [gone] = folders.splice(i, 1);
      runs.forget(gone);
      gone.close();
      for (const key of [...uris.keys()]) if (key.startsWith(`${gone.root}\0`)) uris.delete(key);
      return gone;
    },
    schedule: (f, delay) => runs.schedule(f, delay),
    evaluate: (targets) => runs.evaluate(targets),
    indexAll(read) {
      let files = 0;
      for (const f of folders) {
        try {
          files += f.index();
          read?.(files);
          // One line per folder, not one per path: files too large or unreadable have their diagnostic.
          const unread = f.unreadCount();
          if (unread) log(`${f.root}: ${unread} path${unread === 1 ? '' : 's'} not read (links, files too large or unreadable): "Port Parity: Explain Service" → "Every file found" says which and why`);
        } catch (e) {
          error(`Error while indexing ${f.root}: ${(e as Error).message}`);
        }
      }
      return files;
    },
    onEvaluated: (listener) => void listeners.push(listener),
  };
  return ctx;
}

function addFolder(ctx: ServerContext, uri: string): Folder | undefined {
  const root = rootOf(uri);
  if (root === undefined) {
    ctx.error(`Skipping workspace folder ${uri}: not a file URI`);
    return undefined;
  }
  if (ctx.folders.some((f) => f.root === root)) return undefined;
  const folder = new Folder(root, ctx.settings);
  folder.trusted = ctx.trusted;
  // A background `helm template` render finished: evaluate again to take it in.
  folder.onHelmDone = () => ctx.schedule(folder, 0);
  folder.onSkip = (rel, reason) => ctx.connection.console.warn(`skipped ${rel}: ${reason}`);
  ctx.folders.push(folder);
  return folder;
}

// A real LSP client over stdio for tests: it waits for the server's events, never for a fixed time.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import rpc from 'vscode-languageserver-protocol/node';

const { createProtocolConnection, StreamMessageReader, StreamMessageWriter } = rpc;
export const SERVER = new URL('../../dist/server.js', import.meta.url).pathname;

/** Copies a fixture workspace to a fresh temporary folder, so tests may change files on disk. */
export function copyWorkspace(fixture) {
  const dir = mkdtempSync(join(tmpdir(), 'pp-lsp-'));
  cpSync(fixture, dir, { recursive: true });
  return dir;
}

export const uriOf = (root, rel) => pathToFileURL(join(root, rel)).href;

export class LspClient {
  constructor() {
    this.diagnostics = new Map();
    this.waiters = [];
    this.logs = [];
    this.matrixEvents = 0;
  }

  /** `folders`: the workspace folders (a multi-root workspace); `root` alone by default. */
  async start(root, { capabilities = {}, configuration = {}, initializationOptions, env, folders = [root] } = {}) {
    this.root = root;
    this.configuration = configuration;
    // PP_SERVER_NODE_ARGS: extra node flags for the server (e.g. --cpu-prof when profiling the benchmark).
    const nodeArgs = process.env.PP_SERVER_NODE_ARGS ? process.env.PP_SERVER_NODE_ARGS.split(' ') : [];
    this.proc = spawn(process.execPath, [...nodeArgs, SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: env ?? process.env });
    this.stderr = '';
    this.proc.stderr.on('data', (d) => (this.stderr += d));
    this.exited = new Promise((r) => this.proc.once('exit', (code) => r(code)));
    this.conn = createProtocolConnection(new StreamMessageReader(this.proc.stdout), new StreamMessageWriter(this.proc.stdin));
    this.conn.onNotification('textDocument/publishDiagnostics', (p) => {
      this.diagnostics.set(p.uri, p.diagnostics);
      this.fire();
    });
    this.conn.onNotification('portParity/matrixChanged', (m) => {
      this.matrixEvents++;
      this.lastMatrix = m;
      this.fire();
    });
    this.levels = [];
    this.conn.onNotification('window/logMessage', (m) => {
      this.logs.push(m.message);
      // LSP MessageType: 1 error, 2 warning, 3 info, 4 log, 5 debug.
      this.levels.push(m.type);
      this.fire();
    });
    this.conn.onRequest('window/workDoneProgress/create', () => null);
    this.progress = [];
    this.conn.onNotification('$/progress', (p) => {
      this.progress.push(p.value);
      this.fire();
    });
    this.conn.onRequest('workspace/configuration', (p) => p.items.map(() => this.configuration));
    this.registrations = [];
    this.conn.onRequest('client/registerCapability', (p) => {
      this.registrations.push(...p.registrations);
      return null;
    });
    this.conn.listen();
    const init = await this.conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(root).href,
      workspaceFolders: folders.map((f, i) => ({ uri: pathToFileURL(f).href, name: `ws${i}` })),
      initializationOptions,
      capabilities: {
        window: { workDoneProgress: true },
        workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true }, didChangeConfiguration: { dynamicRegistration: true } },
        textDocument: { publishDiagnostics: { relatedInformation: true }, hover: { contentFormat: ['markdown'] }, codeAction: {} },
        ...capabilities,
      },
    });
    this.conn.sendNotification('initialized', {});
    return init;
  }

  fire() {
    this.waiters = this.waiters.filter((w) => !w());
  }

  /** Resolves when `predicate()` holds after some server event (checked at once too). */
  until(predicate, what, timeoutMs = 15000) {
    return new Promise((resolve, reject) => {
      const check = () => {
        let v;
        try {
          v = predicate();
        } catch (e) {
          reject(e);
          return true;
        }
        if (v) {
          clearTimeout(t);
          resolve(v);
          return true;
        }
        return false;
      };
      const t = setTimeout(() => reject(new Error(`timed out waiting for ${what}\nserver stderr:\n${this.stderr}\nlogs:\n${this.logs.join('\n')}`)), timeoutMs);
      if (!check()) this.waiters.push(check);
    });
  }

  /** The diagnostics of a file once they satisfy `predicate`. */
  diagnosticsFor(rel, predicate = () => true, what = `diagnostics for ${rel}`) {
    const uri = uriOf(this.root, rel);
    return this.until(() => {
      const d = this.diagnostics.get(uri);
      return d && predicate(d) ? d : undefined;
    }, what);
  }

  /** Waits for the re-evaluation that follows whatever was just sent. */
  nextEvaluation() {
    const n = this.matrixEvents;
    return this.until(() => this.matrixEvents > n, 'a re-evaluation');
  }

  request(method, params) {
    return this.conn.sendRequest(method, params);
  }

  notify(method, params) {
    return this.conn.sendNotification(method, params);
  }

  async stop() {
    await this.conn.sendRequest('shutdown');
    await this.conn.sendNotification('exit');
    const code = await this.exited;
    this.conn.dispose();
    return code;
  }
}

/** Applies LSP text edits to a text (positions in UTF-16 code units, as the server sends them). */
export function applyLspEdits(text, edits) {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const off = (p) => lineStarts[p.line] + p.character;
  const sorted = [...edits].sort((a, b) => off(b.range.start) - off(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, off(e.range.start)) + e.newText + out.slice(off(e.range.end));
  return out;
}

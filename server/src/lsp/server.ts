// The language server: wiring only. Each language feature registers its own handlers (features/*.ts)
// over the shared context (context.ts); every handler guards its own errors.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import type { Connection } from 'vscode-languageserver/node';
import { createContext } from './context';
import { registerCodeActions } from './features/codeActions';
import { registerCodeLens } from './features/codeLens';
import { registerCommands } from './features/commands';
import { registerConfiguration } from './features/configuration';
import { registerDefinition } from './features/definition';
import { registerDiagnostics } from './features/diagnostics';
import { registerDocuments } from './features/documents';
import { registerExplain } from './features/explain';
import { registerHover } from './features/hover';
import { registerLifecycle } from './features/lifecycle';
import { registerLocal } from './features/local';
import { registerMatrix } from './features/matrix';
import { registerReferences } from './features/references';
import { registerWatching } from './features/watching';

export function startServer(connection: Connection): void {
  const ctx = createContext(connection);
  registerLifecycle(ctx);
  // After each evaluation: the diagnostics first, then (once edits pause) the matrix.
  registerDiagnostics(ctx);
  registerMatrix(ctx);
  registerDocuments(ctx);
  registerWatching(ctx);
  registerConfiguration(ctx);
  registerHover(ctx);
  registerCodeActions(ctx);
  registerReferences(ctx);
  registerDefinition(ctx);
  registerCodeLens(ctx);
  registerCommands(ctx);
  registerExplain(ctx);
  registerLocal(ctx);
  ctx.documents.listen(connection);
  connection.listen();
}

if (require.main === module) {
  process.on('uncaughtException', (e) => console.error(`port-parity: uncaught ${e.stack ?? e}`));
  startServer(createConnection(ProposedFeatures.all));
}

// Explain: how a service was formed, or every file found and what became of it, as `port-parity explain`
// prints it; the editor shows the Markdown in a read-only document.
import { explainFilesMarkdown, explainMarkdown } from '../../core';
import { EXPLAIN_REQUEST } from '../../protocol';
import type { ExplainParams, ExplainResult } from '../../protocol';
import type { ServerContext } from '../context';

/** The answer for one request; null when the folder or the service is not there (or nothing was checked yet). */
export function explain(ctx: ServerContext, params: ExplainParams | undefined): ExplainResult | null {
  const folders = ctx.folders.filter((f) => f.analysis && (!params?.folder || f.root === params.folder));
  if (params?.files) {
    const f = folders[0];
    return f ? { markdown: `# Files found in ${f.root}\n\n${explainFilesMarkdown(f.accounts())}` } : null;
  }
  const name = params?.service;
  if (name === undefined) return null;
  for (const f of folders) {
    const markdown = f.analysis && explainMarkdown(f.analysis.model, name);
    if (markdown) return { markdown };
  }
  return null;
}

export function registerExplain(ctx: ServerContext): void {
  ctx.connection.onRequest(EXPLAIN_REQUEST, (params: ExplainParams | undefined, token) => ctx.runSafe('explaining', null, token, () => explain(ctx, params)));
}

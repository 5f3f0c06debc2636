// "Run Locally with Production Ports": plans `port-parity local`'s Compose override for a folder and, once
// the user has seen it, writes exactly the text shown, with the CLI's safe writer (only its own files).
import { LOCAL_HEADER } from '../../core';
import { planLocal, writeLocal } from '../../host/local';
import { LOCAL_REQUEST } from '../../protocol';
import type { LocalParams, LocalResult } from '../../protocol';
import type { ServerContext } from '../context';

export function localOverride(ctx: ServerContext, params: LocalParams): LocalResult {
  const folder = ctx.folders.find((f) => !params.folder || f.root === params.folder);
  if (!folder) return { files: [], unaligned: [], errors: ['no workspace folder is open'] };
  if (params.write) {
    // Only override files: each starts with the header the writer checks before it replaces a file.
    const bad = params.write.find((w) => !w.text.startsWith(LOCAL_HEADER) || !/compose|override/i.test(w.path));
    if (bad) return { folder: folder.root, files: [], unaligned: [], errors: [`${bad.path}: not an override port-parity local planned`] };
    const refused = writeLocal(folder.root, params.write.map((w) => ({ ...w, services: [], composeFiles: [], overrideTag: false })));
    return { folder: folder.root, files: [], unaligned: [], errors: refused.map((r) => `${r.path}: ${r.error}`) };
  }
  try {
    const { writes, plan } = planLocal(folder.root, folder.files(), folder.config, params.env);
    return { folder: folder.root, files: writes.map((w) => ({ path: w.path, text: w.text, services: w.services, composeFiles: w.composeFiles })), unaligned: plan.unaligned, errors: [] };
  } catch (e) {
    return { folder: folder.root, files: [], unaligned: [], errors: [(e as Error).message] };
  }
}

export function registerLocal(ctx: ServerContext): void {
  ctx.connection.onRequest(LOCAL_REQUEST, (params: LocalParams, token) => ctx.runSafe('planning the local override', { files: [], unaligned: [], errors: ['the server failed; see its log'] }, token, () => localOverride(ctx, params)));
}

// Document sync: an open document's text wins over the disk's until it is closed; each change re-checks
// its folder. With `portParity.run: onSave` (as ESLint's `eslint.run`) only a save does: the folder
// keeps the saved text, and unsaved edits are not checked.
import { CONFIG_FILES } from '../../core';
import type { ServerContext } from '../context';

const onSave = (ctx: ServerContext): boolean => ctx.settings.run === 'onSave';

/** Hands an open document's text (or, on close, the disk's) to its folder and re-checks the folder. */
function onText(ctx: ServerContext, uri: string, text: string | undefined): void {
  const at = ctx.locate(uri);
  if (!at) return;
  if (CONFIG_FILES.includes(at.rel)) at.folder.reloadConfig(at.rel, text ?? at.folder.textOf(at.rel));
  at.folder.setOpen(at.rel, text);
  ctx.schedule(at.folder);
}

/**
 * The run mode changed: the folders take the open documents' texts again (on type) or their saved
 * texts, the disk's (on save); the caller re-checks every folder.
 */
export function resyncDocuments(ctx: ServerContext): void {
  for (const doc of ctx.documents.all()) {
    const at = ctx.locate(doc.uri);
    if (!at) continue;
    const text = onSave(ctx) ? undefined : doc.getText();
    at.folder.setOpen(at.rel, text);
    if (CONFIG_FILES.includes(at.rel)) at.folder.reloadConfig(at.rel, at.folder.textOf(at.rel));
  }
}

export function registerDocuments(ctx: ServerContext): void {
  ctx.documents.onDidOpen((e) => void ctx.runSafe('opening a document', undefined, undefined, () => {
    const at = ctx.locate(e.document.uri);
    // Opening a file whose text equals the disk changes nothing: no re-evaluation. On save, an
    // unsaved text is not checked either.
    if (at && (onSave(ctx) || at.folder.textOf(at.rel) === e.document.getText())) {
      if (!onSave(ctx)) at.folder.setOpen(at.rel, e.document.getText());
      return;
    }
    onText(ctx, e.document.uri, e.document.getText());
  }));
  // TextDocuments reports an opened document as a change too: a text the folder holds already changes nothing.
  ctx.documents.onDidChangeContent((e) => void ctx.runSafe('applying a change', undefined, undefined, () => {
    const at = ctx.locate(e.document.uri);
    if (onSave(ctx) || (at && at.folder.textOf(at.rel) === e.document.getText())) return;
    onText(ctx, e.document.uri, e.document.getText());
  }));
  ctx.documents.onDidSave((e) => void ctx.runSafe('saving a document', undefined, undefined, () => {
    const at = ctx.locate(e.document.uri);
    if (!at || !onSave(ctx)) return;
    // The saved text is the disk's: the folder reads it from there, as it would a change on disk.
    at.folder.refreshFromDisk(at.rel);
    onText(ctx, e.document.uri, undefined);
  }));
  ctx.documents.onDidClose((e) => void ctx.runSafe('closing a document', undefined, undefined, () => {
    const at = ctx.locate(e.document.uri);
    if (!at) return;
    at.folder.setOpen(at.rel, undefined);
    at.folder.refreshFromDisk(at.rel);
    if (CONFIG_FILES.includes(at.rel)) at.folder.reloadConfig(at.rel, at.folder.textOf(at.rel));
    ctx.schedule(at.folder);
  }));
}

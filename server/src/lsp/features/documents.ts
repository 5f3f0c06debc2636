// Document sync: an open document's text wins over the disk's until it is closed; each change re-checks its folder.
import { CONFIG_FILES } from '../../core';
import type { ServerContext } from '../context';

export function registerDocuments(ctx: ServerContext): void {
  const onText = (uri: string, text: string | undefined): void => {
    const at = ctx.locate(uri);
    if (!at) return;
    if (CONFIG_FILES.includes(at.rel)) at.folder.reloadConfig(at.rel, text ?? at.folder.textOf(at.rel));
    at.folder.setOpen(at.rel, text);
    ctx.schedule(at.folder);
  };
  ctx.documents.onDidOpen((e) => void ctx.runSafe('opening a document', undefined, undefined, () => {
    const at = ctx.locate(e.document.uri);
    // Opening a file whose text equals the disk changes nothing: no re-evaluation.
    if (at && at.folder.textOf(at.rel) === e.document.getText()) {
      at.folder.setOpen(at.rel, e.document.getText());
      return;
    }
    onText(e.document.uri, e.document.getText());
  }));
  // TextDocuments reports an opened document as a change too: a text the folder holds already changes nothing.
  ctx.documents.onDidChangeContent((e) => void ctx.runSafe('applying a change', undefined, undefined, () => {
    const at = ctx.locate(e.document.uri);
    if (at && at.folder.textOf(at.rel) === e.document.getText()) return;
    onText(e.document.uri, e.document.getText());
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

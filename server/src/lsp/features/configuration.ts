// Settings and workspace trust: a change of either re-checks every folder (helm renders only once trusted).
import { DidChangeConfigurationNotification } from 'vscode-languageserver/node';
import { TRUSTED_NOTIFICATION } from '../../protocol';
import type { ServerContext } from '../context';
import { DEFAULT_SETTINGS } from '../folder';
import type { Settings } from '../folder';
import { resyncDocuments } from './documents';

/** Reads the `portParity` settings (when the client serves them) and hands them to every folder. */
export async function readSettings(ctx: ServerContext): Promise<void> {
  if (!ctx.client.configure) return;
  try {
    const s = (await ctx.connection.workspace.getConfiguration('portParity')) as Partial<Settings> | null;
    ctx.settings = { ...DEFAULT_SETTINGS, ...(s ?? {}) };
    for (const f of ctx.folders) f.setSettings(ctx.settings);
  } catch (e) {
    ctx.error(`Error while reading settings: ${(e as Error).message}`);
  }
}

/** Once initialized: asks the client to say when the `portParity` settings change. */
export function startConfiguration(ctx: ServerContext): void {
  if (ctx.client.configure) void ctx.connection.client.register(DidChangeConfigurationNotification.type, { section: 'portParity' });
}

export function registerConfiguration(ctx: ServerContext): void {
  ctx.connection.onNotification(TRUSTED_NOTIFICATION, () => void ctx.runSafe('trusting the workspace', undefined, undefined, async () => {
    ctx.trusted = true;
    for (const f of ctx.folders) {
      f.trusted = true;
      f.setSettings(ctx.settings);
      ctx.schedule(f, 0);
    }
  }));
  ctx.connection.onDidChangeConfiguration(() => void ctx.runSafe('reading settings', undefined, undefined, async () => {
    const run = ctx.settings.run;
    await readSettings(ctx);
    if (ctx.settings.run !== run) resyncDocuments(ctx);
    for (const f of ctx.folders) ctx.schedule(f, 0);
  }));
}

// What the extraction keeps between runs: each unit (a file read for itself, a chart's renders, an overlay's render per environment) with the reads it made.
import { renderMemo } from '../extract/render';
import type { RenderMemo } from '../extract/render';
import type { Config } from '../config';
import type { HelmTemplates } from '../formats/helm/helm-compare';
import type { FileFacts, SourceFile } from '../types';

/** How a file is read for itself: alone, as a kustomization's patch, or as a part of a Helm chart (those keep only their suppressions). */
export type Role = 'own' | 'patch' | 'chart';

/** A file read for itself, with what it read: its own text and, when a plug-in asked for it (Compose), the `.env` beside it. */
export interface FileUnit {
  text: string;
  role: Role;
  /** The `.env` text it interpolated with (undefined text: there was none); absent when it did not read one. */
  env?: { text: string | undefined };
  facts: FileFacts;
}

/** What the last extraction gave back, where each file's facts stand in it, and the files the renders consumed. */
export interface LastRun {
  /** The files the core read (not ignored), with where each stands: patched in place by later edits. */
  wanted: SourceFile[];
  wantedAt: Map<string, number>;
  facts: FileFacts[];
  at: Map<string, number>;
  consumed: Set<string>;
  helm: HelmTemplates | undefined;
}

/**
 * The units of one workspace, each kept with the reads it made and run again only when one of them
 * reads differently: the language server's folder keeps one for its life; a one-off run (the CLI)
 * starts from an empty one, which is the same path with every unit to run.
 */
export class Store {
  /** The config's fields the extraction reads; another value empties the store. */
  private key?: string;
  /** Every file the last extraction was given, with its text: what an edit is compared with. */
  readonly texts = new Map<string, string>();
  /** Each file the core reads (not ignored), read for itself. */
  readonly files = new Map<string, FileUnit>();
  /** Charts and overlays rendered per environment, with the reads each made (extract/render.ts). */
  renders: RenderMemo = renderMemo();
  /** The same stand-in each time for the same facts of a file a render consumed, so an unchanged one looks unchanged. */
  readonly standIns = new WeakMap<FileFacts, FileFacts>();
  last?: LastRun;

  /** Empties the store when `config` reads files otherwise than the one it was filled under. */
  configure(config: Config): void {
    const key = JSON.stringify([config.environments, config.ignore, config.maxFileSize]);
    if (key === this.key) return;
    this.key = key;
    this.texts.clear();
    this.files.clear();
    this.renders = renderMemo();
    this.last = undefined;
  }

  /**
   * The files whose text differs from the last extraction's; undefined when there was none, or a
   * path appeared or went (which can change what a folder holds, so every unit is looked at).
   * `known`: the only paths that may have changed, when the caller tracks them: only those are compared.
   */
  edits(files: SourceFile[], known?: Edit[]): SourceFile[] | undefined {
    if (!this.last) return undefined;
    const out: SourceFile[] = [];
    if (known) {
      for (const f of known) {
        const was = this.texts.get(f.path);
        if (was === undefined || f.text === undefined) return undefined;
        if (was !== f.text) out.push(f as SourceFile);
      }
      return out;
    }
    for (const f of files) {
      const was = this.texts.get(f.path);
      if (was === undefined) return undefined;
      if (was !== f.text) out.push(f);
    }
    return files.length === this.texts.size ? out : undefined;
  }

  /** Remembers the texts an extraction was given (`edited`: only those differ from the last ones). */
  remember(files: SourceFile[], edited: SourceFile[] | undefined): void {
    if (edited) {
      for (const f of edited) this.texts.set(f.path, f.text);
      return;
    }
    this.texts.clear();
    for (const f of files) this.texts.set(f.path, f.text);
  }
}

/** A file the caller says may have changed since the last extraction (`text` undefined: it is gone). */
export interface Edit {
  path: string;
  text: string | undefined;
}

/** Two `helm template` output sets with the same outputs (the same objects) for the same chart environments. */
export function sameTemplates(a: HelmTemplates | undefined, b: HelmTemplates | undefined): boolean {
  if ((a?.size ?? 0) !== (b?.size ?? 0)) return false;
  for (const [k, v] of a ?? []) if (b?.get(k) !== v) return false;
  return true;
}

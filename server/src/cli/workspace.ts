// Reads a workspace from disk: the files the core reads, skipping node_modules, .git and what .gitignore ignores.
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import ignore from 'ignore';
import type { Ignore } from 'ignore';
import { CONFIG_FILES, defaultConfig, isIgnored, kindOfPath, parseConfig, RULE_IDS } from '../core';
import type { Config, Problem, SourceFile } from '../core';
import { readRegularFile, realRoot } from '../host/read';

const ALWAYS_SKIPPED = new Set(['node_modules', '.git', '.hg', '.svn', '.terraform', '.venv', '__pycache__']);

export interface Workspace {
  root: string;
  files: SourceFile[];
  config: Config;
  configProblems: Problem[];
  /** Files passed over, with why (too large, unreadable). */
  skipped: { path: string; reason: string }[];
}

/** Is this path one the core reads (or the kustomizations that name patches)? */
export function isWanted(rel: string): boolean {
  return kindOfPath(rel) !== undefined;
}

export function loadConfig(root: string, configPath?: string): { config: Config; problems: Problem[] } {
  const candidates = configPath ? [configPath] : CONFIG_FILES.map((f) => join(root, f));
  let rootReal: string | undefined;
  for (const file of candidates) {
    let text: string;
    try {
      // A config the user named is read where it is; the workspace's own is read like its other files.
      const read = configPath ? { text: readFileSync(file, 'utf8') } : readRegularFile(file, rootReal ??= realRoot(root), Number.MAX_SAFE_INTEGER);
      if ('missing' in read && read.missing) continue;
      if ('skipped' in read) throw new Error(`${toPosix(relative(root, file))}: ${read.skipped}`);
      text = read.text;
    } catch (e) {
      // No folder at all: the walk says so.
      if (!configPath && (e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      return { config: defaultConfig(), problems: [{ message: `cannot read config: ${(e as Error).message}`, loc: { file: configPath ?? toPosix(relative(root, file)), start: 0, end: 0, line: 0, col: 0, endLine: 0, endCol: 0 } }] };
    }
    const rel = toPosix(relative(root, file)) || file;
    return parseConfig(rel.startsWith('..') ? file : rel, text, RULE_IDS);
  }
  return { config: defaultConfig(), problems: [] };
}

export function toPosix(p: string): string {
  return p.split(sep).join('/');
}

/** A file's text through the safe reader; what it cannot read (a link swapped in, a FIFO) throws. */
function readText(full: string, rootReal: string): string {
  const read = readRegularFile(full, rootReal, Number.MAX_SAFE_INTEGER);
  if ('text' in read) return read.text;
  throw new Error(read.skipped);
}

/** Walks `root`; `.gitignore` files apply to their folder and below, as git applies them. */
export function readWorkspace(root: string, configPath?: string): Workspace {
  const { config, problems } = loadConfig(root, configPath);
  const ignoredByConfig = isIgnored(config);
  const files: SourceFile[] = [];
  const skipped: { path: string; reason: string }[] = [];
  const walk = (dir: string, rules: { base: string; ig: Ignore }[]): void => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      skipped.push({ path: toPosix(relative(root, dir)) || '.', reason: (e as Error).message });
      return;
    }
    const relDir = toPosix(relative(root, dir));
    let here = rules;
    if (entries.some((e) => e.name === '.gitignore' && e.isFile())) {
      try {
        here = [...rules, { base: relDir, ig: ignore().add(readText(join(dir, '.gitignore'), rootReal)) }];
      } catch {
        // An unreadable .gitignore ignores nothing.
      }
    }
    const gitIgnored = (rel: string, isDir: boolean): boolean =>
      here.some(({ base, ig }) => {
        const sub = base ? posix.relative(base, rel) : rel;
        return sub !== '' && !sub.startsWith('..') && ig.ignores(isDir ? `${sub}/` : sub);
      });
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const rel = relDir ? `${relDir}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (ALWAYS_SKIPPED.has(e.name) || gitIgnored(rel, true) || ignoredByConfig(rel) || ignoredByConfig(`${rel}/`)) continue;
        walk(join(dir, e.name), here);
        continue;
      }
      if (!e.isFile() || !isWanted(rel) || gitIgnored(rel, false) || ignoredByConfig(rel)) continue;
      const read = readRegularFile(join(dir, e.name), rootReal, config.maxFileSize);
      if ('text' in read) files.push({ path: rel, text: read.text });
      else skipped.push({ path: rel, reason: read.skipped });
    }
  };
  if (!lstatSync(root).isDirectory()) throw new Error(`${root} is not a directory`);
  const rootReal = realRoot(root);
  walk(root, []);
  return { root, files, config, configProblems: problems, skipped };
}

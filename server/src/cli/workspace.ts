// Reads a workspace from disk: the files the core reads, skipping node_modules, .git and what .gitignore ignores.
import { lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import ignore from 'ignore';
import type { Ignore } from 'ignore';
import { CONFIG_FILES, defaultConfig, isIgnored, kindOfPath, parseConfig, RULE_IDS } from '../core';
import type { Config, Problem, SourceFile } from '../core';

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
  for (const file of candidates) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      if (configPath) return { config: defaultConfig(), problems: [{ message: `cannot read config: ${(e as Error).message}`, loc: { file: configPath, start: 0, end: 0, line: 0, col: 0, endLine: 0, endCol: 0 } }] };
      continue;
    }
    const rel = toPosix(relative(root, file)) || file;
    return parseConfig(rel.startsWith('..') ? file : rel, text, RULE_IDS);
  }
  return { config: defaultConfig(), problems: [] };
}

export function toPosix(p: string): string {
  return p.split(sep).join('/');
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
        here = [...rules, { base: relDir, ig: ignore().add(readFileSync(join(dir, '.gitignore'), 'utf8')) }];
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
      const full = join(dir, e.name);
      try {
        const size = statSync(full).size;
        if (size > config.maxFileSize) {
          skipped.push({ path: rel, reason: `larger than ${config.maxFileSize} bytes` });
          continue;
        }
        files.push({ path: rel, text: readFileSync(full, 'utf8') });
      } catch (err) {
        skipped.push({ path: rel, reason: (err as Error).message });
      }
    }
  };
  if (!lstatSync(root).isDirectory()) throw new Error(`${root} is not a directory`);
  walk(root, []);
  return { root, files, config, configProblems: problems, skipped };
}

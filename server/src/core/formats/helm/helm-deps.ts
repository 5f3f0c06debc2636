// A chart's dependencies as helm 3 assembles them (pkg/chartutil/dependencies.go): which subcharts render,
// under which name (alias; one chart may be several dependencies), `tags` and `condition`, the values
// each gets (its defaults under the parent's), `global:` flowing down and `import-values` flowing up.
import { isMap, isScalar } from 'yaml';
import type { Node } from 'yaml';
import type { Loc, Problem } from '../../types';
import { get, items, str as yamlStr } from '../../yaml';
import { deepCopy } from './helm-funcs-data';
import { mergeValues, valueAt } from './helm-values';
import type { Val } from './helm-values';
import { plainVal } from './helm-eval';
import { semverMatches } from './helm-funcs-numbers';

/** One `import-values` entry: `child` (a path in the subchart's values) goes to `parent` (`.` the root). */
export interface Import {
  child: string;
  parent: string;
  /** The string form (`- data`): `exports.data` of the child, merged at the parent's root. */
  exports?: string;
  range: [number, number];
}

export interface Dependency {
  name: string;
  /** The version constraint (`~17.3.0`); none: any release version, as helm reads an empty constraint. */
  version?: string;
  alias?: string;
  condition?: string;
  tags: string[];
  imports: Import[];
  /** The dependency's entry in Chart.yaml (or requirements.yaml). */
  file: string;
  range: [number, number];
}

export function dependenciesOf(file: string, root: Node | null | undefined): Dependency[] {
  const out: Dependency[] = [];
  for (const d of items(get(root, 'dependencies'))) {
    const n = get(d, 'name');
    const name = yamlStr(n);
    if (!name || !n?.range) continue;
    const tags = items(get(d, 'tags')).flatMap((t) => yamlStr(t) ?? []);
    const imports: Import[] = [];
    for (const iv of items(get(d, 'import-values'))) {
      const range: [number, number] = iv.range ? [iv.range[0], iv.range[1]] : [n.range[0], n.range[1]];
      if (isScalar(iv) && yamlStr(iv)) imports.push({ child: `exports.${yamlStr(iv)}`, parent: '.', exports: yamlStr(iv), range });
      else if (isMap(iv)) {
        const child = yamlStr(get(iv, 'child'));
        const parent = yamlStr(get(iv, 'parent'));
        if (child !== undefined && parent !== undefined) imports.push({ child, parent, range });
      }
    }
    out.push({ name, version: yamlStr(get(d, 'version')), alias: yamlStr(get(d, 'alias')), condition: yamlStr(get(d, 'condition')), tags, imports, file, range: [n.range[0], n.range[1]] });
  }
  return out;
}

/** What the dependency code needs of a chart. */
export interface DepChart<C> {
  name: string;
  dir: string;
  /** Chart.yaml as `.Chart` holds it (its `Version`). */
  meta: Val;
  dependencies: Dependency[];
  subcharts: C[];
}

/** A subchart as it renders: the chart, the key its values sit under (its alias, else its name), its dependency entry. */
export interface SubRun<C> {
  chart: C;
  key: string;
  dep?: Dependency;
  values: Val;
}

/**
 * Helm's getAliasDependency and processDependencyEnabled: each dependency entry names a chart of
 * `charts/` (once per alias: two entries on one chart render it twice); a chart no entry names renders
 * under its own name. `missing`: entries no chart of charts/ answers.
 */
export function subchartsOf<C extends DepChart<C>>(chart: C): { runs: { chart: C; key: string; dep?: Dependency }[]; missing: { dep: Dependency; unfit: string[] }[] } {
  const runs: { chart: C; key: string; dep?: Dependency }[] = [];
  const missing: { dep: Dependency; unfit: string[] }[] = [];
  for (const dep of chart.dependencies) {
    const named = chart.subcharts.filter((c) => c.name === dep.name);
    // Helm's getAliasDependency takes the first chart of the name whose version meets the constraint.
    const sub = named.find((c) => fits(dep.version, versionOf(c)));
    if (sub) runs.push({ chart: sub, key: dep.alias ?? dep.name, dep });
    else missing.push({ dep, unfit: named.map((c) => versionOf(c) || '(no version)') });
  }
  for (const sub of chart.subcharts) if (!chart.dependencies.some((d) => d.name === sub.name)) runs.push({ chart: sub, key: sub.name });
  return { runs, missing };
}

function versionOf(c: { meta: Val }): string {
  const v = c.meta.k === 'map' ? c.meta.v.get('Version') : undefined;
  return v && (v.k === 'str' || v.k === 'num') ? String(v.v) : '';
}

/** Helm's IsCompatibleRange: an empty constraint is any release version; one that does not parse fits none. */
function fits(constraint: string | undefined, version: string): boolean {
  try {
    return semverMatches(constraint?.trim() || '*', version);
  } catch {
    return false;
  }
}

/**
 * Helm's processDependencyTags then processDependencyConditions: a dependency is off when none of its
 * tags is true and one is false (tags are the top chart's `tags:`); its condition, where one of its paths
 * is a boolean (the first that is), decides over the tags. `cvals`: the parent's values with each
 * subchart's defaults under its key, as helm's coalesced values hold them.
 */
export function isEnabled(dep: Dependency | undefined, cvals: Val, top: Val): boolean {
  if (!dep) return true;
  let on = true;
  const tags = valueAt(top, 'tags');
  if (tags && tags.k === 'map' && dep.tags.length) {
    const set = dep.tags.map((t) => tags.v.get(t)).filter((v): v is Extract<Val, { k: 'bool' }> => v?.k === 'bool');
    if (!set.some((v) => v.v) && set.some((v) => !v.v)) on = false;
  }
  for (const path of (dep.condition ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const v = valueAt(cvals, path);
    if (v && v.k === 'bool') return v.v;
  }
  return on;
}

/**
 * The subcharts that render with `values` (the parent's), each with its values: its defaults under
 * what the parent sets at its key, the parent's `global:` over its own. `values` comes back with the
 * subcharts' `import-values` merged under it (the parent's own values win, as helm's processImportValues
 * does); an import whose child is not a map is a note, as helm warns of it.
 */
export function assemble<C extends DepChart<C>>(chart: C, values: Val, top: Val, defaults: (c: C) => Val, note: (p: Problem) => void, loc: (file: string, s: number, e: number) => Loc): { runs: SubRun<C>[]; values: Val } {
  if (chart.subcharts.length === 0) return { runs: [], values };
  const { runs: all } = subchartsOf(chart);
  const withDefaults = all.map((s) => {
    const own = values.k === 'map' ? values.v.get(s.key) : undefined;
    // A copy: templates change dicts in place (`set`), and the defaults serve every environment.
    return { ...s, values: deepCopy(mergeValues(defaults(s.chart), own && own.k === 'map' ? own : plainVal({}))) };
  });
  const cvals: Val = values.k === 'map' ? { k: 'map', v: new Map([...values.v, ...withDefaults.map((s) => [s.key, s.values] as [string, Val])]) } : values;
  const runs = withDefaults.filter((s) => isEnabled(s.dep, cvals, top));
  // Helm imports bottom-up: a subchart's values hold what its own subcharts export to it.
  for (const s of runs) if (s.chart.subcharts.some((c) => s.chart.dependencies.some((d) => d.name === c.name && d.imports.length))) s.values = assemble(s.chart, s.values, top, defaults, note, loc).values;
  let imported: Val = plainVal({});
  for (const s of runs) {
    for (const iv of s.dep?.imports ?? []) {
      const table = valueAt(s.values, iv.child);
      if (!table || table.k !== 'map') {
        note({ message: `import-values of ${s.key}: ${iv.child} is not a map in ${s.key}'s values, so helm imports nothing from it`, loc: loc(s.dep?.file ?? '', iv.range[0], iv.range[1]) });
        continue;
      }
      // Helm coalesces each import under those before it: the first import of a key wins.
      imported = mergeValues(atPath(iv.parent, table), imported);
    }
  }
  const merged = runs.some((s) => s.dep?.imports.length) ? mergeValues(imported, values) : values;
  const global = merged.k === 'map' ? merged.v.get('global') : undefined;
  for (const s of runs) {
    // Globals flow down: the parent's `global` over the subchart's own.
    if (global && global.k === 'map' && s.values.k === 'map') {
      const g = s.values.v.get('global');
      s.values = { k: 'map', v: new Map(s.values.v).set('global', mergeValues(g && g.k === 'map' ? g : plainVal({}), global)) };
    }
  }
  return { runs, values: merged };
}

/** `table` placed at a dotted path of an empty map (`.`: the root). */
function atPath(path: string, table: Val): Val {
  const keys = path.split('.').filter((k) => k !== '');
  let v = table;
  for (const k of keys.reverse()) v = { k: 'map', v: new Map([[k, v]]) };
  return v;
}

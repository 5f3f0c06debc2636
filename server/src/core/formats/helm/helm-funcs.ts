// The function table templates call: Go's text/template builtins, Sprig v3 and Helm's own, and those that cannot be known before install.
import { Cannot, need, text } from './helm-print';
import type { Val } from './helm-values';
import { DATA_FUNCS } from './helm-funcs-data';
import { ENCODING_FUNCS } from './helm-funcs-encoding';
import { NUMBER_FUNCS } from './helm-funcs-numbers';
import { TEXT_FUNCS } from './helm-funcs-text';
import type { Fn } from './helm-funcs-text';

export type { Fn };

/** Helm's own functions that are plain values in, value out (include, tpl and lookup need the renderer: see RENDERER_FUNCS). */
const HELM_FUNCS: Record<string, Fn> = {
  required: (a) => {
    need(a, 2, 'required');
    if (a[1].k === 'nil' || (a[1].k === 'str' && a[1].v === '')) throw new Cannot(`required value is not set: ${text(a[0])}`);
    return a[1];
  },
  fail: (a): Val => {
    throw new Cannot(`the chart fails here: ${a.map(text).join(' ')}`);
  },
};

/** Functions the renderer itself evaluates, since they need the chart or the scope: `and`/`or` stop early, `include`/`tpl` render. */
export const RENDERER_FUNCS = ['and', 'or', 'include', 'tpl'];

/**
 * Functions whose result cannot be known before install, by design: calling one leaves its value unknown
 * (reported where it is used), never a guess.
 */
export const UNKNOWN_BY_DESIGN: Record<string, string> = {
  lookup: 'lookup reads the live cluster, which helm template and Port Parity do not see',
  getHostByName: 'getHostByName resolves a DNS name at install time',
  randInt: 'randInt picks a number at install time',
  call: 'call runs a function value, which chart data never holds',
  env: 'env is removed by Helm (charts cannot read the environment)',
  expandenv: 'expandenv is removed by Helm (charts cannot read the environment)',
};

/** Every function the evaluator computes. */
export const FUNCS: Record<string, Fn> = { ...TEXT_FUNCS, ...DATA_FUNCS, ...NUMBER_FUNCS, ...ENCODING_FUNCS, ...HELM_FUNCS };

/** How the evaluator treats a function: computed, evaluated by the renderer, unknown by design; undefined: not known. */
export function helmFunctionKind(name: string): 'computed' | 'renderer' | 'unknown-by-design' | undefined {
  if (Object.hasOwn(UNKNOWN_BY_DESIGN, name)) return 'unknown-by-design';
  if (RENDERER_FUNCS.includes(name)) return 'renderer';
  return Object.hasOwn(FUNCS, name) ? 'computed' : undefined;
}

// .env files into the model: the variables of the service whose folder holds them (its Dockerfile's,
// else a folder named like it); they follow the service into its environments, but where a file of its
// own environment (.env.production) replaces them. Beside a compose project they only interpolate.
import { ensureUnits, unitKey, unitsOf } from '../../join';
import type { FormatJoin, Placement, UnitKey } from '../../join';
import type { EnvView } from '../../model-types';
import { dirOf } from '../../paths';
import type { DotenvFacts } from '../../types';

const VIEW: UnitKey<DotenvFacts[]> = unitKey('dotenv');

/** The .env files of a view's service folder. */
export function dotenvsOf(v: EnvView): DotenvFacts[] {
  return unitsOf(v, VIEW) ?? [];
}

export const dotenvJoin: FormatJoin = {
  kind: 'dotenv',
  order: 5,
  run(facts, { j }) {
    const out: Placement[] = [];
    for (const e of facts as DotenvFacts[]) {
      const dir = dirOf(e.file);
      const env = j.marked(e.file);
      j.fileEnv.set(e.file, env);
      if (j.projectDirs.has(dir)) continue;
      const key = j.dirOwner.get(dir) ?? j.keyIn(j.appOf(e.file), ...dir.split('/').reverse());
      if (!key) continue;
      out.push({ env, policy: 'follows', key, mark: `dotenv:${key}`, counts: true, stage: 5, place: (x, at) => void ensureUnits(at.views.view(key, x), VIEW, () => []).push(e) });
    }
    return out;
  },
  signature: () => 'dotenv',
  vars: (f) => (f.kind === 'dotenv' ? f.vars : []),
};

// What a service folder's .env files contribute to its view: variables the application reads itself.
import type { EnvView } from '../../model';
import { emptyParts, PRECEDENCE } from '../../contributions';
import type { ViewParts } from '../../contributions';
import { isOwnPortVar } from '../../port-names';

export function lowerDotenv(v: EnvView): ViewParts | undefined {
  if (v.dotenvs.length === 0) return undefined;
  const out = emptyParts();
  for (const d of v.dotenvs) for (const e of d.vars) if (e.port !== undefined && isOwnPortVar(e.name, v.service)) out.ports.push({ role: 'listens', loc: e.valueLoc, port: e.port, literal: e.literal, text: `${e.name} variable (.env)`, internal: true, aligns: true });
  out.vars.push({ layer: '.env', precedence: PRECEDENCE.appDotenv, vars: v.dotenvs.flatMap((d) => d.vars) });
  out.files.push(...v.dotenvs.map((d) => d.file));
  return out;
}

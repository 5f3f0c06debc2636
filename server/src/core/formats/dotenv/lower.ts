// What a service folder's .env files contribute to its view: variables the application reads itself,
// and the tokens of its port variables.
import type { EnvView } from '../../model-types';
import { emptyLowering, PRECEDENCE } from '../../contributions';
import type { LoweredParts, PortPart } from '../../contributions';
import { isOwnPortVar } from '../../port-names';
import { dotenvsOf } from './join';

export function lowerDotenv(v: EnvView): LoweredParts | undefined {
  const dotenvs = dotenvsOf(v);
  if (dotenvs.length === 0) return undefined;
  const out = emptyLowering();
  out.vars.push({ layer: '.env', precedence: PRECEDENCE.appDotenv, vars: dotenvs.flatMap((d) => d.vars) });
  out.files.push(...dotenvs.map((d) => d.file));
  return out;
}

export function dotenvPorts(v: EnvView): PortPart[] {
  const out: PortPart[] = [];
  for (const d of dotenvsOf(v)) for (const e of d.vars) if (e.port !== undefined && isOwnPortVar(e.name, v.service)) out.push({ role: 'listens', loc: e.valueLoc, port: e.port, literal: e.literal, text: `${e.name} variable (.env)`, internal: true, aligns: true });
  return out;
}

/** The .env files of the service's folder (`port-parity explain`). */
export function explainDotenv(v: EnvView): { file: string; what: string }[] {
  return dotenvsOf(v).map((d) => ({ file: d.file, what: `a .env file of its folder (the folder of its Dockerfile, or one named like it), read by the process` }));
}

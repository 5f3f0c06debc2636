// What the image a service runs contributes to its view: ENV and the start command; and its port tokens
// (EXPOSE, port variables, listening flags, HEALTHCHECK).
import type { EnvView } from '../../model-types';
import { emptyLowering, PRECEDENCE } from '../../contributions';
import type { LoweredParts, PortPart } from '../../contributions';
import { isOwnPortVar } from '../../port-names';
import { imageOf } from './join';

export function lowerImage(v: EnvView): LoweredParts | undefined {
  const img = imageOf(v);
  if (!img) return undefined;
  const out = emptyLowering();
  out.vars.push({ layer: 'Dockerfile ENV', precedence: PRECEDENCE.image, vars: img.env });
  out.commands.push({ command: img.command, from: 'image' });
  out.files.push(img.file);
  return out;
}

/** EXPOSE: the image's own word on its ports, the declaration of last resort. */
export function imageDeclares(v: EnvView): PortPart[] {
  // A range (`EXPOSE 8000-8010`) is documentation of many ports: a fix never rewrites one end of it.
  return (imageOf(v)?.exposes ?? []).map((e) => ({ role: 'exposed', loc: e.loc, port: e.port, literal: e.literal && e.rangeEnd === undefined, text: 'Dockerfile EXPOSE', internal: true, aligns: true, through: e.rangeEnd, declares: true, protocol: e.protocol }));
}

export function imagePorts(v: EnvView): PortPart[] {
  const img = imageOf(v);
  if (!img) return [];
  const out: PortPart[] = [];
  // A range (`EXPOSE 8000-8010`) is documentation of many ports: a fix never rewrites one end of it.
  out.push(...imageDeclares(v));
  for (const e of img.env) if (e.port !== undefined && isOwnPortVar(e.name, v.service)) out.push({ role: 'listens', loc: e.valueLoc, port: e.port, literal: e.literal, text: `${e.name} variable (Dockerfile ENV)`, internal: true, aligns: true });
  for (const p of img.command.ports) out.push({ role: 'listens', loc: p.loc, port: p.port, literal: p.literal, text: `listening flag ${p.flag}`, internal: p.primary, aligns: p.primary });
  for (const h of img.healthchecks) out.push({ role: 'probed', loc: h.port.loc, port: h.port.port, literal: h.port.literal, text: 'HEALTHCHECK port', internal: true, aligns: true });
  return out;
}

/** The image the service runs, and why it is this service's (`port-parity explain`). */
export function explainImage(v: EnvView): { file: string; what: string }[] {
  const img = imageOf(v);
  return img ? [{ file: img.file, what: `its image${img.target ? ` (build target ${img.target})` : ''}: ${img.why}` }] : [];
}

// What the image a service runs contributes to its view: EXPOSE, ENV, the start command, HEALTHCHECK.
import type { EnvView } from '../../model';
import { emptyParts, PRECEDENCE } from '../../contributions';
import type { ViewParts } from '../../contributions';
import { isOwnPortVar } from '../../port-names';

export function lowerImage(v: EnvView): ViewParts | undefined {
  const img = v.image;
  if (!img) return undefined;
  const out = emptyParts();
  // A range (`EXPOSE 8000-8010`) is documentation of many ports: a fix never rewrites one end of it.
  for (const e of img.exposes) out.ports.push({ role: 'exposed', loc: e.loc, port: e.port, literal: e.literal && e.rangeEnd === undefined, text: 'Dockerfile EXPOSE', internal: true, aligns: true });
  for (const e of img.env) if (e.port !== undefined && isOwnPortVar(e.name, v.service)) out.ports.push({ role: 'listens', loc: e.valueLoc, port: e.port, literal: e.literal, text: `${e.name} variable (Dockerfile ENV)`, internal: true, aligns: true });
  for (const p of img.command.ports) out.ports.push({ role: 'listens', loc: p.loc, port: p.port, literal: p.literal, text: `listening flag ${p.flag}`, internal: p.primary, aligns: p.primary });
  for (const h of img.healthchecks) out.ports.push({ role: 'probed', loc: h.port.loc, port: h.port.port, literal: h.port.literal, text: 'HEALTHCHECK port', internal: true, aligns: true });
  out.vars.push({ layer: 'Dockerfile ENV', precedence: PRECEDENCE.image, vars: img.env });
  out.commands.push({ command: img.command, from: 'image' });
  out.files.push(img.file);
  return out;
}

// .env files: `KEY=value` lines, with the exact range of each value for hovers and fixes.
import { LIMITS } from '../../limits';
import { LineIndex } from '../../text';
import type { DotenvFacts, EnvVar, SourceFile } from '../../types';
import { commentSuppressions } from '../../extract/suppress';

const LINE = /^(\s*)(export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*/;

export function extractDotenv(file: SourceFile): DotenvFacts {
  const ix = new LineIndex(file.path, file.text);
  const facts: DotenvFacts = { kind: 'dotenv', file: file.path, vars: [], problems: [], suppressions: commentSuppressions(file.text) };
  const re = /[^\r\n]*(\r\n|\r|\n|$)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(file.text)) !== null && m[0] !== '') {
    const lineStart = m.index;
    const line = m[0].replace(/[\r\n]+$/, '');
    const head = LINE.exec(line);
    if (!head) continue;
    const nameStart = lineStart + head[1].length + (head[2]?.length ?? 0);
    const name = head[3];
    let vs = head[0].length;
    let ve = line.length;
    let quoted = false;
    const q = line[vs];
    if (q === '"' || q === "'" || q === '`') {
      const close = line.indexOf(q, vs + 1);
      if (close > 0) {
        vs += 1;
        ve = close;
        quoted = true;
      }
    } else {
      // An unquoted value ends at ` #` (a comment) and loses trailing spaces.
      const hash = line.slice(vs).search(/\s#/);
      if (hash >= 0) ve = vs + hash;
      while (ve > vs && /\s/.test(line[ve - 1])) ve--;
    }
    const value = line.slice(vs, ve);
    const isInt = /^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= 65535;
    const v: EnvVar = {
      name,
      value: quoted && q === '"' ? value.replace(/\\n/g, '\n') : value,
      nameLoc: ix.loc(nameStart, nameStart + name.length),
      valueLoc: ix.loc(lineStart + vs, lineStart + ve),
      literal: isInt,
    };
    if (isInt) v.port = Number(value);
    if (facts.vars.length >= LIMITS.envVars) {
      facts.unknowns = [{ message: `only the first ${LIMITS.envVars} variables of this file are read: this one and the ones after it are not checked`, loc: v.nameLoc }];
      break;
    }
    facts.vars.push(v);
  }
  return facts;
}

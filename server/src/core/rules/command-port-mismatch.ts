// command-port-mismatch: the port in the start command differs from the declared container port.
import { effectiveCommands } from '../query';
import { declaredMismatches } from '../mismatch';
import type { ListenToken } from '../mismatch';
import { defineRule } from './types';

export const rule = defineRule({
  meta: {
    id: 'command-port-mismatch',
    description: "The listening port in the start command (--port, --bind, -Dserver.port, --urls...) differs from the service's declared container port.",
    defaultSeverity: 'warning',
    fixable: true,
    movesPorts: false,
    alignable: true,
  },
  check(model) {
    return declaredMismatches('command-port-mismatch', model, (_s, v) => {
      const tokens: ListenToken[] = [];
      for (const c of effectiveCommands(v)) {
        for (const p of c.ports) {
          // `--port $PORT`: the variable's own value is checked by env-port-mismatch.
          if (!p.primary || p.port === undefined || p.variable) continue;
          tokens.push({ loc: p.loc, port: p.port, literal: p.literal, said: `the start command listens on ${p.port} (${p.flag})`, fixTitle: (q) => `Listen on ${q}` });
        }
      }
      return tokens;
    });
  },
});

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
    messages: {
      portDiffers: "the start command listens on {{port}} ({{flag}}) but {{service}}'s container port is {{ports}}{{at}}",
    },
  },
  check(model) {
    return declaredMismatches('command-port-mismatch', 'portDiffers', model, (_s, v) => {
      const tokens: ListenToken[] = [];
      for (const c of effectiveCommands(v)) {
        for (const p of c.ports) {
          // `--port $PORT`: the variable's own value is checked by env-port-mismatch.
          if (!p.primary || p.port === undefined || p.variable) continue;
          tokens.push({ loc: p.loc, port: p.port, literal: p.literal, said: { port: p.port, flag: p.flag }, fixTitle: (q) => `Listen on ${q}` });
        }
      }
      return tokens;
    });
  },
});

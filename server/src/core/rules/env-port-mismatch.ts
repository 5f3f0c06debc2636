// env-port-mismatch: a PORT-style variable differs from the declared container port.
import { effectiveVars, isOwnPortVar } from '../query';
import { declaredMismatches } from '../mismatch';
import type { ListenToken } from '../mismatch';
import { defineRule } from './types';

export const rule = defineRule({
  meta: {
    id: 'env-port-mismatch',
    description: "A PORT-style variable (PORT, HTTP_PORT, SERVER_PORT, <SERVICE>_PORT...) differs from the service's declared container port.",
    defaultSeverity: 'warning',
    fixable: true,
    movesPorts: false,
    alignable: true,
    messages: {
      portDiffers: "{{name}}={{port}} but {{service}}'s container port is {{ports}}{{at}}",
    },
  },
  check(model) {
    // Only the value the process sees: an orchestrator's variable hides the image's and the .env's.
    return declaredMismatches('env-port-mismatch', 'portDiffers', model, (s, v) => {
      const tokens: ListenToken[] = [];
      for (const e of effectiveVars(v).values()) {
        if (e.port === undefined || !isOwnPortVar(e.name, s.name)) continue;
        tokens.push({ loc: e.valueLoc, port: e.port, literal: e.literal, said: { name: e.name, port: e.port }, fixTitle: (p) => `Set ${e.name} to ${p}` });
      }
      return tokens;
    });
  },
});

// contract: a declared internal port differs from the committed `.portparity.yaml` contract.
import { alignEdits, inEnvs, list, PerToken, where } from '../query';
import type { EnvView } from '../model-types';
import { servicesNamed } from '../model-types';
import type { Fix, RawFinding } from '../types';
import { movedPorts } from './port-parity';
import { defineRule } from './types';

export const rule = defineRule({
  meta: {
    id: 'contract',
    description: 'A service declares an internal port other than the one committed in .portparity.yaml.',
    defaultSeverity: 'error',
    fixable: true,
    movesPorts: true,
    alignable: true,
    messages: {
      unknownService: 'the port contract names service "{{name}}", which no Dockerfile, compose file or manifest defines (services: {{services}})',
      portDiffers: '{{service}} listens on {{from}}{{in}} but the port contract says {{ports}} ({{at}})',
    },
  },
  check(model) {
    const out = new PerToken<{ service: string; from: number; to: number; view: EnvView }>();
    for (const s of model.services.values()) {
      if (!s.contract) continue;
      for (const v of s.views.values()) {
        // Another application's service of the same name is not the one the contract names.
        if (v.foreign) continue;
        for (const [from, to] of movedPorts(v.declared, s.contract.ports, [])) {
          for (const d of v.declared.filter((x) => x.port === from)) out.add(d.loc, v.env, { service: s.name, from, to, view: v });
        }
      }
    }
    const findings: RawFinding[] = [];
    // A contract entry for a service the workspace does not define is most likely a typo.
    for (const [name, entry] of Object.entries(model.config.services)) {
      if (model.partial || servicesNamed(model, name).length > 0) continue;
      findings.push({ rule: 'contract', messageId: 'unknownService', data: { name, services: list([...model.services.keys()].sort()) || 'none' }, loc: entry.loc, related: [] });
    }
    for (const { loc, envs, data } of out.entries()) {
      const contract = model.services.get(data.service)?.contract;
      if (!contract) continue;
      let fix: Fix | undefined;
      if (envs.length === 1) {
        const edits = alignEdits(model, data.view, data.from, data.to);
        if (edits.some((e) => e.loc.file === loc.file && e.loc.start === loc.start)) fix = { title: `Align ${data.service} in ${envs[0]} to ${data.to} (the port contract)`, edits };
      }
      findings.push({
        rule: 'contract',
        messageId: 'portDiffers',
        data: { service: data.service, from: data.from, in: inEnvs(envs), ports: list(contract.ports), at: where(contract.loc) },
        loc,
        service: data.service,
        environment: envs.join(','),
        related: [{ loc: contract.loc, message: `the contract for ${data.service}` }],
        fix,
      });
    }
    return findings;
  },
});

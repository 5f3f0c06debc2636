// The bounds on the work one file may cause, so that a raised maxFileSize cannot take the machine (docs/configuration.md).

/**
 * Each is far above what real repositories hold (the largest seen: tens of services in a compose
 * file, nesting under 20 levels, a few hundred alias nodes); past one, what lies beyond is not read
 * and a note says so at the place.
 */
export interface Limits {
  /** Nesting levels of one YAML document (flow brackets and block collections together). */
  yamlDepth: number;
  /** Nodes the aliases (`*name`) of one YAML file may add, counted as expanded. */
  aliasNodes: number;
  /** Services of one compose file, objects of one Kubernetes manifest. */
  servicesPerFile: number;
  /** Port entries of one service or container (ports, expose, EXPOSE words). */
  portsPerService: number;
}

export const LIMITS: Readonly<Limits> = Object.freeze({
  yamlDepth: 200,
  aliasNodes: 1_000_000,
  servicesPerFile: 10_000,
  portsPerService: 1_000,
});

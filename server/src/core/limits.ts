// The bounds on the work one file may cause, so that a raised maxFileSize cannot take the machine (docs/configuration.md).

/**
 * Each is far above what real repositories hold (the largest seen: tens of services in a compose
 * file, nesting under 20 levels, a few hundred alias nodes); past one, what lies beyond is not read
 * and a note says so at the place.
 */
export interface Limits {
  /** Lexer tokens (scalars, indicators, spaces, line breaks) read from one YAML file: about 3 MB of YAML. */
  yamlTokens: number;
  /** Documents of one YAML file (objects of a Kubernetes manifest). */
  yamlDocuments: number;
  /** Entries of one YAML list or map (services of a compose file, ports of a container, ...). */
  yamlItems: number;
  /** Nesting levels of one YAML document (flow brackets and block collections together). */
  yamlDepth: number;
  /** Nodes the aliases (`*name`) of one YAML file may add, counted as expanded. */
  aliasNodes: number;
  /** Services of one compose file, counted after merge keys (`<<`). */
  servicesPerFile: number;
  /** Ports the EXPOSE instructions of one Dockerfile stage list (a port repeated within one EXPOSE counts once). */
  exposePorts: number;
  /** Characters of a Dockerfile read (whole lines): the default maxFileSize, so nothing changes unless it is raised. */
  dockerfileChars: number;
  /** Variables of one .env file. */
  envVars: number;
  /** Characters of one finding's message (one that quotes a huge token is cut, saying how much). */
  messageChars: number;
}

export const LIMITS: Readonly<Limits> = Object.freeze({
  yamlTokens: 1_000_000,
  yamlDocuments: 10_000,
  yamlItems: 10_000,
  yamlDepth: 200,
  aliasNodes: 1_000_000,
  servicesPerFile: 10_000,
  exposePorts: 1_000,
  dockerfileChars: 2_097_152,
  envVars: 10_000,
  messageChars: 1_000,
});

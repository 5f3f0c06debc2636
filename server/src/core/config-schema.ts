// `.portparity.yaml` declared once: the JSON Schema that esbuild.mjs compiles (ajv) into parseConfig's
// validator and that scripts/contributions.mjs writes to schemas/portparity.schema.json for the editor,
// and the words parseConfig says for a value that does not fit it.
import type { RuleMeta } from './rules/types';

/** What the schema takes from each rule: its meta's id, description, default severity and page. */
type RuleInfo = { meta: Pick<RuleMeta, 'id' | 'description' | 'defaultSeverity' | 'docs'> };

const DOCS = 'https://github.com/port-parity/port-parity/blob/main/docs/';
export const SEVERITY_SETTINGS = ['error', 'warning', 'info', 'off'] as const;

/** A node of the schema: JSON Schema draft-07 plus the editor's `markdownDescription`. */
export type SchemaNode = { [keyword: string]: unknown };

/** The schema's own keywords that only editors read: ajv is told they are annotations. */
export const EDITOR_KEYWORDS = ['markdownDescription'];
/**
 * ajv's options for this schema: esbuild.mjs compiles it with them into the bundles' validator, the tests
 * too. `unicode: false`: the one length the schema checks is `minLength: 1`, where UTF-16 length is
 * right, and ajv's code-point counter would bring a helper that names a module the bundles do not ship
 * (ajv calls the option deprecated: its notice is the one thing `logger: false` silences, since strict
 * mode throws rather than logs).
 */
export const AJV_OPTIONS = { allErrors: true, allowUnionTypes: true, strict: true, unicode: false, logger: false } as const;

const globs = (description: string): SchemaNode => ({
  // A type list rather than oneOf: a value that fits neither gets one error, an entry that is not a string its own.
  type: ['string', 'array'],
  items: { type: 'string' },
  description,
});
const GLOB_TEXT = 'A glob or a list of globs (picomatch, relative to the folder with .portparity.yaml).';

/** The schema of `.portparity.yaml`, with one property per rule of `rules` (its severities, its default, what it finds). */
export function configSchema(rules: readonly RuleInfo[]): SchemaNode {
  const severities: Record<string, SchemaNode> = {};
  for (const { meta: m } of rules) {
    const text = `${m.description} Default: \`${m.defaultSeverity}\`.`;
    severities[m.id] = { type: 'string', enum: [...SEVERITY_SETTINGS], default: m.defaultSeverity, markdownDescription: `${text} [Docs](${m.docs})`, description: text };
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Port Parity configuration (.portparity.yaml)',
    description: `Environments, the reference environment, ignored paths, rule severities and the port contract. ${DOCS}configuration.md`,
    type: 'object',
    additionalProperties: false,
    properties: {
      environments: {
        type: 'object',
        description: 'Path globs that name an environment, tried before inference from file and folder names. Names are normalised (prod means production).',
        additionalProperties: globs(GLOB_TEXT),
        examples: [{ preview: ['deploy/pr-*/**'], production: ['deploy/eu-*/**', 'deploy/us-*/**'] }],
      },
      applications: {
        type: 'object',
        description: 'Path globs of each application\'s files, tried before inference (each compose project\'s folder is an application). Services of one name in different applications are different services.',
        additionalProperties: globs(GLOB_TEXT),
        examples: [{ shop: ['shop/**', 'deploy/shop/**'], billing: ['billing/**'] }],
      },
      reference: {
        type: 'string',
        minLength: 1,
        default: 'production',
        description: 'The environment that defines the right ports; the others are compared with it. Aliases are allowed (prod means production).',
        examples: ['production', 'staging', 'local', 'test'],
      },
      ignore: globs('Globs of files and folders never read, one or a list (picomatch, relative to the folder with .portparity.yaml). node_modules, .git and what .gitignore ignores are always skipped.'),
      rules: {
        type: 'object',
        description: 'Severity per rule: error, warning, info or off.',
        properties: severities,
        additionalProperties: false,
      },
      services: {
        type: 'object',
        description: 'The port contract: service name → port or list of ports. Every environment must serve these.',
        additionalProperties: {
          // One port or a non-empty list of them: if/then/else keeps one error per problem (oneOf reports every branch).
          if: { type: 'array' },
          then: { type: 'array', items: { $ref: '#/definitions/port' }, minItems: 1 },
          else: { $ref: '#/definitions/port' },
        },
        examples: [{ api: 8080, gateway: [8080, 8443] }],
      },
      maxFileSize: { type: 'integer', minimum: 1, default: 2097152, description: 'Files larger than this many bytes are skipped.' },
    },
    definitions: {
      port: { type: 'integer', minimum: 1, maximum: 65535, description: 'A port number, 1-65535.' },
    },
  };
}

/** The schema file's text, as schemas/portparity.schema.json holds it. */
export function configSchemaText(rules: readonly RuleInfo[]): string {
  return `${JSON.stringify(configSchema(rules), null, 2)}\n`;
}

/**
 * What parseConfig says where a value does not fit the schema, by the value's path (`*`: any name or
 * index). `subject` is the path as the user writes it (`rules.port-parity`), `shown` the offending value
 * (`"70000"`, or `this` for a map or list), `value` the value itself.
 */
export const CONFIG_MESSAGES: Record<string, (subject: string, shown: string, value: unknown) => string> = {
  'environments': () => 'environments must map an environment name to path globs',
  'environments/*': (s) => `${s} must be a glob or a list of globs`,
  'environments/*/*': (s) => `${s}: each entry must be a string`,
  'applications': () => 'applications must map an application name to path globs',
  'applications/*': (s) => `${s} must be a glob or a list of globs`,
  'applications/*/*': (s) => `${s}: each entry must be a string`,
  'reference': () => 'reference must be an environment name',
  'ignore': () => 'ignore must be a glob or a list of globs',
  'ignore/*': (s) => `${s}: each entry must be a string`,
  'rules': () => 'rules must map a rule id to error, warning, info or off',
  'rules/*': (s) => `${s} must be error, warning, info or off`,
  'services': () => 'services must map a service name to its port or list of ports',
  'services/*': portMessage,
  'services/*/*': portMessage,
  'maxFileSize': () => 'maxFileSize must be a positive number of bytes',
};

function portMessage(subject: string, shown: string, value: unknown): string {
  // A quoted port is a string in YAML: say so, it is the one fix the value alone does not show.
  if (typeof value === 'string' && /^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= 65535) return `${subject}: ${shown} is quoted, so it is a string: write the port number without quotes`;
  return `${subject}: ${shown} is not a port number (1-65535)`;
}

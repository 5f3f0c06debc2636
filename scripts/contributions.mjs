// Writes the parts of the extension manifest and the `.portparity.yaml` JSON Schema that come from the
// rule registry, so a new rule shows up in the settings UI and in YAML completion, and the activation
// events that come from the format registry, so a new format activates the extension.
// usage: node scripts/contributions.mjs [--check]     (--check: exit 1 when a file is out of date)
// Needs dist/api.js (node esbuild.mjs).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const { RULES, activationEvents } = createRequire(import.meta.url)(join(ROOT, 'dist', 'api.js'));
const DOCS = 'https://github.com/port-parity/port-parity/blob/main/docs/';
const SEVERITIES = ['error', 'warning', 'info', 'off'];
const SEVERITY_TEXT = ['Reported as an error.', 'Reported as a warning.', 'Reported as information.', 'Not checked.'];

/** One property per rule, from its meta: its severities, its default, what it finds and its page. */
export function ruleProperties() {
  const out = {};
  for (const { meta: m } of RULES) {
    out[m.id] = {
      type: 'string',
      enum: SEVERITIES,
      enumDescriptions: SEVERITY_TEXT,
      default: m.defaultSeverity,
      markdownDescription: `${m.description} Default: \`${m.defaultSeverity}\`. [Docs](${m.docs})`,
    };
  }
  return out;
}

export function schema() {
  const globs = {
    oneOf: [
      { type: 'string', description: 'A glob (picomatch, relative to the folder with .portparity.yaml).' },
      { type: 'array', items: { type: 'string' }, description: 'Globs (picomatch, relative to the folder with .portparity.yaml).' },
    ],
  };
  const rules = ruleProperties();
  for (const r of Object.values(rules)) {
    r.description = r.markdownDescription.replace(/ \[Docs\]\(.*\)$/, '');
    delete r.enumDescriptions;
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
        additionalProperties: globs,
        examples: [{ preview: ['deploy/pr-*/**'], production: ['deploy/eu-*/**', 'deploy/us-*/**'] }],
      },
      reference: {
        type: 'string',
        minLength: 1,
        default: 'production',
        description: 'The environment that defines the right ports; the others are compared with it. Aliases are allowed (prod means production).',
        examples: ['production', 'staging', 'local', 'test'],
      },
      ignore: { ...globs, description: 'Globs of files and folders never read. node_modules, .git and what .gitignore ignores are always skipped.' },
      rules: {
        type: 'object',
        description: 'Severity per rule: error, warning, info or off.',
        properties: rules,
        additionalProperties: false,
      },
      services: {
        type: 'object',
        description: 'The port contract: service name → port or list of ports. Every environment must serve these.',
        additionalProperties: {
          oneOf: [
            { $ref: '#/definitions/port' },
            { type: 'array', items: { $ref: '#/definitions/port' }, minItems: 1 },
          ],
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

const files = [
  {
    path: join(ROOT, 'package.json'),
    update(text) {
      const pkg = JSON.parse(text);
      pkg.contributes.configuration.properties['portParity.rules'].properties = ruleProperties();
      // Activation follows the format registry (server/src/core/formats/registry.ts).
      pkg.activationEvents = activationEvents();
      return JSON.stringify(pkg, null, 2) + '\n';
    },
  },
  { path: join(ROOT, 'schemas', 'portparity.schema.json'), update: () => JSON.stringify(schema(), null, 2) + '\n' },
];

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const f of files) {
    let before = '';
    try {
      before = readFileSync(f.path, 'utf8');
    } catch {
      // a new file
    }
    const after = f.update(before);
    if (after === before) continue;
    stale++;
    if (check) console.error(`${f.path} is out of date with the rule registry: run node scripts/contributions.mjs`);
    else writeFileSync(f.path, after);
  }
  process.exit(check && stale ? 1 : 0);
}

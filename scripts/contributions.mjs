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
const { RULES, activationEvents, configSchemaText } = createRequire(import.meta.url)(join(ROOT, 'dist', 'api.js'));
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

const files = [
  {
    path: join(ROOT, 'package.json'),
    update(text) {
      const pkg = JSON.parse(text);
      const rules = pkg.contributes.configuration.properties['portParity.rules'];
      rules.properties = ruleProperties();
      // Every rule with its default, so the Settings editor lists them all, each with its severity.
      rules.default = Object.fromEntries(RULES.map(({ meta: m }) => [m.id, m.defaultSeverity]));
      // Activation follows the format registry (server/src/core/formats/registry.ts).
      pkg.activationEvents = activationEvents();
      return JSON.stringify(pkg, null, 2) + '\n';
    },
  },
  // Declared once in server/src/core/config-schema.ts, the schema parseConfig validates with.
  { path: join(ROOT, 'schemas', 'portparity.schema.json'), update: () => configSchemaText(RULES) },
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

// The rule fixture workspaces (test/fixtures/<rule>/<case>/) and how a case is analysed, shared by the
// fixture runner (rules.test.mjs) and the tests that look across all cases (messages.test.mjs).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import api from '../dist/api.js';

const { analyze } = api;

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** Every `<rule>/<case>` folder, sorted. */
export function fixtureCases() {
  const out = [];
  if (!existsSync(FIXTURES)) return out;
  for (const rule of readdirSync(FIXTURES).sort()) {
    const ruleDir = join(FIXTURES, rule);
    if (!statSync(ruleDir).isDirectory()) continue;
    for (const name of readdirSync(ruleDir).sort()) {
      const dir = join(ruleDir, name);
      if (statSync(dir).isDirectory()) out.push({ rule, name, dir });
    }
  }
  return out;
}

/**
 * A case may stand in for `helm template` (which these machines do not have): helm-template.json maps a
 * chart environment (`charts/api#production`) to a file of canned output (not a file the walk reads) or
 * to an error, as the CLI's --helm-template would pass them.
 */
function helmTemplates(dir) {
  const spec = join(dir, 'helm-template.json');
  if (!existsSync(spec)) return undefined;
  const out = new Map();
  for (const [key, v] of Object.entries(JSON.parse(readFileSync(spec, 'utf8')))) out.set(key, v.file ? { text: readFileSync(join(dir, v.file), 'utf8') } : { error: v.error });
  return out;
}

export function run(files, config, dir) {
  return analyze(files, config, { helmTemplates: helmTemplates(dir) });
}


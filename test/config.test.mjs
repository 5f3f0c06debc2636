// `.portparity.yaml` read through its one schema (core/config-schema.ts): the committed JSON Schema is
// that declaration, ajv's verdicts come back as today's messages at the YAML node's line, every option
// keeps its meaning.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import api from '../dist/api.js';

const ROOT = new URL('..', import.meta.url).pathname;
const FILE = '.portparity.yaml';

/** Each problem as `line:column message` (1-based, as the CLI prints it). */
function problems(text) {
  return api.parseConfig(FILE, text).problems.map((p) => `${p.loc.line + 1}:${p.loc.col + 1} ${p.message}`);
}

test('schemas/portparity.schema.json is the declaration in core/config-schema.ts, byte for byte (node scripts/contributions.mjs writes it)', () => {
  assert.equal(readFileSync(join(ROOT, 'schemas/portparity.schema.json'), 'utf8'), api.configSchemaText(api.RULES));
});

test('the schema is valid draft-07 and compiles under ajv\'s strict mode with only the editor keywords added', () => {
  const ajv = new Ajv({ ...api.AJV_OPTIONS });
  ajv.addVocabulary(api.EDITOR_KEYWORDS);
  const schema = api.configSchema(api.RULES);
  assert.equal(ajv.validateSchema(schema), true, JSON.stringify(ajv.errors));
  assert.equal(typeof ajv.compile(schema), 'function');
});

test('the validator built into the bundle (esbuild.mjs) gives the verdicts of the declaration compiled now', () => {
  const ajv = new Ajv({ ...api.AJV_OPTIONS });
  ajv.addVocabulary(api.EDITOR_KEYWORDS);
  const fresh = ajv.compile(api.configSchema(api.RULES));
  const docs = ['reference: prod\n', 'reference: ""\n', 'rules:\n  contract: off\n', 'rules:\n  contract: often\n', 'rules:\n  nope: off\n', 'services:\n  a: [1, 65535]\n', 'services:\n  a: []\n', 'services:\n  a: 65536\n',
    'ignore: [a, b]\n', 'ignore: [a, 1]\n', 'environments:\n  x: y\n', 'environments:\n  x: {}\n', 'maxFileSize: 1\n', 'maxFileSize: -1\n', 'other: 1\n'];
  for (const text of docs) assert.equal(problems(text).length === 0, fresh(parse(text)), text);
  // And it is plain code in the bundle: no schema compiler, no new Function.
  const server = readFileSync(join(ROOT, 'dist/server.js'), 'utf8');
  assert.doesNotMatch(server, /ajv\/dist\/compile/);
});

test('a config using every option reads as documented: names normalised, a lone glob a list, the contract with its value range', () => {
  const text = 'reference: prod\nenvironments:\n  preview: "deploy/pr-*/**"\n  prd: [a/**, b/**]\nignore: vendor/**\nrules:\n  loopback-bind: off\n  duplicate-port: error\nservices:\n  api: 8080\n  web: [3000, 9100]\nmaxFileSize: 1048576\n';
  const { config, problems: p } = api.parseConfig(FILE, text);
  assert.deepEqual(p, []);
  assert.equal(config.reference, 'production');
  assert.deepEqual(config.environments, { preview: ['deploy/pr-*/**'], production: ['a/**', 'b/**'] });
  assert.deepEqual(config.ignore, ['vendor/**']);
  assert.deepEqual(config.rules, { 'loopback-bind': 'off', 'duplicate-port': 'error' });
  assert.deepEqual(config.services.api.ports, [8080]);
  assert.equal(text.slice(config.services.api.loc.start, config.services.api.loc.end), '8080');
  assert.deepEqual(config.services.web.ports, [3000, 9100]);
  assert.equal(text.slice(config.services.web.loc.start, config.services.web.loc.end), '[3000, 9100]');
  assert.equal(config.maxFileSize, 1048576);
  assert.equal(config.file, FILE);
});

test('an empty config, and the repository\'s own configs, have no problems', () => {
  assert.deepEqual(problems(''), []);
  assert.deepEqual(problems('# nothing yet\n'), []);
  for (const f of ['examples/shop/.portparity.yaml', 'test/fixtures/contract/valid-contract-held/.portparity.yaml', 'test/fixtures/port-parity/valid-rule-off/.portparity.yaml']) {
    assert.deepEqual(problems(readFileSync(join(ROOT, f), 'utf8')), [], f);
  }
});

test('each value that does not fit is one problem at its node, in the words the reader always used', () => {
  const cases = [
    ['- a\n', ['1:1 .portparity.yaml must be a mapping with keys environments, applications, reference, ignore, rules, services, maxFileSize']],
    ['bogus: 1\n', ['1:1 unknown key "bogus" (expected environments, applications, reference, ignore, rules, services, maxFileSize)']],
    ['environments: 5\n', ['1:15 environments must map an environment name to path globs']],
    ['environments:\n  staging: 5\n', ['2:12 environments.staging must be a glob or a list of globs']],
    ['environments:\n  prod: [a, 1]\n', ['2:13 environments.prod: each entry must be a string']],
    ['reference: ""\n', ['1:12 reference must be an environment name']],
    ['reference: [a]\n', ['1:12 reference must be an environment name']],
    ['ignore: 3\n', ['1:9 ignore must be a glob or a list of globs']],
    ['ignore: [v, {a: 1}]\n', ['1:13 ignore: each entry must be a string']],
    ['rules: [a]\n', ['1:8 rules must map a rule id to error, warning, info or off']],
    ['rules:\n  port-parity: sometimes\n', ['2:16 rules.port-parity must be error, warning, info or off']],
    ['rules:\n  contract: 5\n', ['2:13 rules.contract must be error, warning, info or off']],
    ['rules:\n  no-such-rule: error\n', [`2:3 unknown rule "no-such-rule" (known: ${api.RULES.map((r) => r.id).sort().join(', ')})`]],
    ['services: x\n', ['1:11 services must map a service name to its port or list of ports']],
    ['services:\n  api: 70000\n', ['2:8 services.api: "70000" is not a port number (1-65535)']],
    ['services:\n  api: 0\n', ['2:8 services.api: "0" is not a port number (1-65535)']],
    ['services:\n  api: 80.5\n', ['2:8 services.api: "80.5" is not a port number (1-65535)']],
    ['services:\n  api: {a: 1}\n', ['2:8 services.api: this is not a port number (1-65535)']],
    ['services:\n  api: []\n', ['2:3 services.api needs a port or a list of ports']],
    ['services:\n  api: [8080, http]\n', ['2:15 services.api: "http" is not a port number (1-65535)']],
    ['maxFileSize: 0\n', ['1:14 maxFileSize must be a positive number of bytes']],
    ['maxFileSize: 2.5\n', ['1:14 maxFileSize must be a positive number of bytes']],
  ];
  for (const [text, expected] of cases) assert.deepEqual(problems(text), expected, JSON.stringify(text));
});

test('several problems come in the order of the file, and the valid parts of a config still apply', () => {
  const text = 'services:\n  web: [3000, 70000, 9100]\n  api: []\nrules:\n  port-parity: off\n  contract: sometimes\nbogus: 1\nenvironments:\n  prod: [a, 1, b]\n';
  assert.deepEqual(problems(text), [
    '2:15 services.web: "70000" is not a port number (1-65535)',
    '3:3 services.api needs a port or a list of ports',
    '6:13 rules.contract must be error, warning, info or off',
    '7:1 unknown key "bogus" (expected environments, applications, reference, ignore, rules, services, maxFileSize)',
    '9:13 environments.prod: each entry must be a string',
  ]);
  const { config } = api.parseConfig(FILE, text);
  assert.deepEqual(config.services.web.ports, [3000, 9100]);
  assert.equal(config.services.api, undefined);
  assert.deepEqual(config.rules, { 'port-parity': 'off' });
  assert.deepEqual(config.environments, { production: ['a', 'b'] });
});

test('a quoted port is a string, as the schema has always said: the message says to drop the quotes', () => {
  assert.deepEqual(problems('services:\n  api: "8080"\n'), ['2:8 services.api: "8080" is quoted, so it is a string: write the port number without quotes']);
  assert.deepEqual(problems('maxFileSize: "100"\n'), ['1:14 maxFileSize must be a positive number of bytes']);
});

test('a key named __proto__ is an unknown key like any other and changes no object', () => {
  assert.deepEqual(problems('__proto__: {reference: x}\nservices:\n  __proto__: 8080\n'), [
    '1:1 unknown key "__proto__" (expected environments, applications, reference, ignore, rules, services, maxFileSize)',
  ]);
  const { config } = api.parseConfig(FILE, 'environments:\n  __proto__: [x/**]\nservices:\n  __proto__: 8080\n');
  assert.deepEqual(Object.keys(config.services), ['__proto__']);
  assert.deepEqual(Object.keys(config.environments), ['__proto__']);
  assert.equal(Object.getPrototypeOf(config.services), Object.prototype);
  assert.equal(Object.getPrototypeOf(config.environments), Object.prototype);
  assert.equal({}.reference, undefined);
});

test('names with / and ~ in them find their node (JSON pointers are escaped both ways)', () => {
  assert.deepEqual(problems('environments:\n  "a/b~c": 5\nservices:\n  "x/y": 0\n'), [
    '2:12 environments.a/b~c must be a glob or a list of globs',
    '4:10 services.x/y: "0" is not a port number (1-65535)',
  ]);
});

test('a YAML syntax error is reported as before, and nothing is validated', () => {
  const p = problems('rules: [\n');
  assert.equal(p.length, 1);
  assert.match(p[0], /^\d+:\d+ YAML syntax error: /);
});

test('applications: a name maps to globs; a value that is not a glob is one problem at its node, and the valid globs still apply', () => {
  assert.deepEqual(problems('applications:\n  shop: shop/**\n  billing: [billing/**, 7]\n  x: {a: 1}\n'), ['3:25 applications.billing: each entry must be a string', '4:6 applications.x must be a glob or a list of globs']);
  assert.deepEqual(problems('applications: [shop]\n'), ['1:15 applications must map an application name to path globs']);
  const { config } = api.parseConfig(FILE, 'applications:\n  shop: shop/**\n  billing: [billing/**, deploy/billing/**]\n');
  assert.deepEqual(config.applications, { shop: ['shop/**'], billing: ['billing/**', 'deploy/billing/**'] });
});

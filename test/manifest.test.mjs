// The extension manifest against the code: every command the client registers is contributed (and the
// other way round), every setting the server reads is declared, the rules and the .portparity.yaml
// schema follow the rule registry, activation and workspace trust are as documented.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import picomatch from 'picomatch';
import { parse } from 'yaml';
import api from '../dist/api.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const read = (p) => readFileSync(join(ROOT, p), 'utf8');
const pkg = JSON.parse(read('package.json'));
const c = pkg.contributes;
const schema = JSON.parse(read('schemas/portparity.schema.json'));

test('activation: Dockerfiles, compose files, .portparity.yaml, YAML manifests and charts, the dockerfile language', () => {
  const ev = pkg.activationEvents;
  assert.ok(!ev.includes('*') && !ev.includes('onStartupFinished'), 'no eager activation');
  for (const needle of ['Dockerfile', 'compose', '.portparity.', '*.yaml', 'Chart']) assert.ok(ev.some((e) => e.startsWith('workspaceContains:') && e.includes(needle)), `workspaceContains for ${needle}`);
  assert.ok(ev.includes('onLanguage:dockerfile'));
  assert.equal(pkg.main, './dist/extension.js');
});

/** Whether a workspace holding `paths` activates the extension through a workspaceContains event. */
function activatedBy(paths) {
  const globs = pkg.activationEvents.filter((e) => e.startsWith('workspaceContains:')).map((e) => e.slice('workspaceContains:'.length));
  const match = picomatch(globs, { dot: true });
  return paths.filter((p) => match(p));
}

test('activation follows the format registry and plain YAML activates only where manifests are kept', () => {
  assert.deepEqual(pkg.activationEvents, api.activationEvents(), 'package.json is out of date: node scripts/contributions.mjs');
  // A GitHub workflow, an OpenAPI spec, a linter's config: YAML that says nothing of ports.
  assert.deepEqual(activatedBy(['.github/workflows/ci.yml', '.github/dependabot.yml', 'openapi.yaml', 'docs/mkdocs.yml', '.golangci.yml']), []);
  const shop = ['deploy/staging/api.yaml', 'k8s/app.yml', 'kubernetes/base/svc.yaml', 'manifests/web.yaml', 'Dockerfile', 'services/api/Dockerfile', 'docker-compose.yml', 'charts/api/Chart.yaml', 'overlays/prod/kustomization.yaml', 'services/api/.env', 'fly.toml', '.portparity.yaml'];
  assert.deepEqual(activatedBy(shop), shop);
  // Every event is one VS Code can read: no nested braces (VS Code's globs refuse them).
  for (const e of pkg.activationEvents) assert.doesNotMatch(e, /\{[^}]*\{/, e);
});

test('untrusted workspaces are supported but for the helm template render (it runs helm); virtual workspaces are not', () => {
  assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
  assert.deepEqual(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations, ['portParity.helm.render', 'portParity.helm.path']);
  assert.match(read('client/src/extension.ts'), /initializationOptions: \{ trusted: vscode\.workspace\.isTrusted[ ,]/);
  assert.match(read('client/src/extension.ts'), /onDidGrantWorkspaceTrust/);
  assert.equal(pkg.capabilities.virtualWorkspaces.supported, false);
});

test('every command the client registers is contributed under the "Port Parity" category, and only those', () => {
  const src = read('client/src/extension.ts');
  const block = src.slice(src.indexOf('export const COMMANDS'), src.indexOf('} as const'));
  const registered = [...block.matchAll(/'(portParity\.[A-Za-z]+)'/g)].map((m) => m[1]).sort();
  assert.deepEqual(c.commands.map((x) => x.command).sort(), registered);
  for (const cmd of c.commands) assert.equal(cmd.category, 'Port Parity', cmd.command);
  const titles = c.commands.map((x) => x.title);
  for (const t of ['Show Parity Panel', 'Re-index Workspace', 'Align Service in All Environments', 'Create Port Contract', 'Export Parity Report']) assert.ok(titles.includes(t), t);
  for (const menu of Object.values(c.menus).flat()) assert.ok(registered.includes(menu.command), `menu item ${menu.command} is a command`);
});

test('the panel is a webview view in its own activity-bar container', () => {
  const container = c.viewsContainers.activitybar.find((x) => x.id === 'portParity');
  assert.ok(container && existsSync(join(ROOT, container.icon)));
  const view = c.views.portParity.find((v) => v.id === 'portParity.matrix');
  assert.equal(view.type, 'webview');
  assert.match(read('client/src/panel.ts'), /VIEW_ID = 'portParity\.matrix'/);
});

test('every setting the server reads is declared with a type, a default and a description', () => {
  const folder = read('server/src/lsp/folder.ts');
  const body = folder.slice(folder.indexOf('export interface Settings {'), folder.indexOf('}', folder.indexOf('export interface Settings {')));
  const keys = [...body.matchAll(/^\s+(\w+)\??:/gm)].map((m) => m[1]);
  assert.deepEqual(keys.sort(), ['environments', 'exclude', 'helm', 'maxFileSize', 'reference', 'rules', 'run']);
  const props = c.configuration.properties;
  // `helm` is read as an object: VS Code spells its fields as settings of their own.
  for (const k of [...keys.filter((x) => x !== 'helm'), 'helm.render', 'helm.path']) {
    const p = props[`portParity.${k}`];
    assert.ok(p, `portParity.${k} is contributed`);
    assert.ok(p.type, `portParity.${k} has a type`);
    assert.ok('default' in p, `portParity.${k} has a default`);
    assert.ok((p.markdownDescription ?? p.description ?? '').length > 20, `portParity.${k} is described`);
  }
  assert.equal(props['portParity.maxFileSize'].default, 2 * 1024 * 1024);
  assert.equal(props['portParity.reference'].default, 'production');
});

test('portParity.rules and the schema list every rule of the registry with its severities (scripts/contributions.mjs)', () => {
  const ids = api.RULES.map((r) => r.id).sort();
  const settings = c.configuration.properties['portParity.rules'].properties;
  assert.deepEqual(Object.keys(settings).sort(), ids);
  assert.deepEqual(Object.keys(schema.properties.rules.properties).sort(), ids);
  for (const r of api.RULES) {
    assert.deepEqual(settings[r.id].enum, ['error', 'warning', 'info', 'off']);
    assert.equal(settings[r.id].default, r.defaultSeverity);
  }
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'contributions.mjs'), '--check'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});

test('the .portparity.yaml schema has exactly the keys the config reader accepts and is contributed for YAML', () => {
  // The keys the reader accepts, as it lists them for an unknown one (config.ts no longer spells them in a KEYS literal: they come from the schema's declaration).
  const keys = api.parseConfig('.portparity.yaml', 'nope: 1\n').problems[0].message.match(/\(expected (.*)\)$/)[1].split(', ');
  assert.deepEqual(Object.keys(schema.properties).sort(), [...keys].sort());
  assert.equal(schema.additionalProperties, false);
  assert.deepEqual(schema.definitions.port, { type: 'integer', minimum: 1, maximum: 65535, description: 'A port number, 1-65535.' });
  const v = c.yamlValidation.find((x) => x.fileMatch.includes('.portparity.yaml'));
  assert.equal(v.url, './schemas/portparity.schema.json');
  assert.ok(v.fileMatch.includes('.portparity.yml'));
});

test('the example .portparity.yaml files fit the schema\'s keys, severities and ports', () => {
  const rules = schema.properties.rules.properties;
  for (const file of ['examples/shop/.portparity.yaml']) {
    const y = parse(read(file));
    for (const k of Object.keys(y)) assert.ok(k in schema.properties, `${file}: ${k}`);
    for (const [id, sev] of Object.entries(y.rules ?? {})) assert.ok(rules[id]?.enum.includes(sev), `${file}: rules.${id}`);
    for (const [name, ports] of Object.entries(y.services ?? {})) for (const p of [ports].flat()) assert.ok(Number.isInteger(p) && p >= 1 && p <= 65535, `${file}: services.${name}`);
  }
});

test('@types/vscode is not newer than engines.vscode (vsce refuses to package otherwise)', () => {
  const engine = pkg.engines.vscode.replace(/^\^/, '').split('.').map(Number);
  const types = JSON.parse(read('node_modules/@types/vscode/package.json')).version.split('.').map(Number);
  assert.ok(types[0] < engine[0] || (types[0] === engine[0] && types[1] <= engine[1]), `@types/vscode ${types.join('.')} vs engines ${pkg.engines.vscode}`);
});

/** The `portParity.*` context keys a when-clause reads. */
const contextKeys = (when) => [...(when ?? '').replace(/\bview == [\w.]+/g, '').matchAll(/(?<![.\w])(portParity\.\w+)/g)].map((m) => m[1]);
/** The context keys the client sets (client/src/control.ts CONTEXT). */
const SET_KEYS = [...read('client/src/control.ts').matchAll(/^\s+\w+: '(portParity\.\w+)',$/gm)].map((m) => m[1]);

test('every command has a codicon, and Restart Server and Show Output are there', () => {
  for (const cmd of c.commands) assert.match(cmd.icon ?? '', /^\$\([a-z-]+\)$/, `${cmd.command} has a codicon`);
  const titles = Object.fromEntries(c.commands.map((x) => [x.command, x.title]));
  assert.equal(titles['portParity.restartServer'], 'Restart Server');
  assert.equal(titles['portParity.showOutput'], 'Show Output');
});

test('the Command Palette offers a command only where it can run; the when-clauses read keys the client sets', () => {
  assert.deepEqual(SET_KEYS.sort(), ['portParity.activeFile', 'portParity.running']);
  const palette = Object.fromEntries(c.menus.commandPalette.map((m) => [m.command, m.when]));
  for (const cmd of c.commands) {
    if (cmd.command === 'portParity.showOutput') assert.equal(palette[cmd.command], undefined, 'the output is there whatever the server does');
    else assert.ok(palette[cmd.command], `${cmd.command} has a when-clause in the Command Palette`);
  }
  // The tree's own item commands (a finding's go-to and fix) take the node they are on: never in the palette.
  const hidden = Object.entries(palette).filter(([, when]) => when === 'false').map(([cmd]) => cmd).sort();
  assert.deepEqual(hidden, ['portParity.fixFinding', 'portParity.openFinding']);
  for (const cmd of hidden) assert.ok(c.menus['view/item/context'].some((m) => m.command === cmd), `${cmd} is offered on the tree's items`);
  for (const [cmd, when] of Object.entries(palette)) if (cmd !== 'portParity.restartServer' && !hidden.includes(cmd)) assert.match(when, /\bportParity\.running\b/, cmd);
  assert.match(palette['portParity.createContract'], /workspaceFolderCount > 0/);
  assert.equal(palette['portParity.restartServer'], 'config.portParity.enable');
  for (const item of Object.values(c.menus).flat()) {
    for (const k of contextKeys(item.when)) assert.ok(SET_KEYS.includes(k), `${item.command}: ${k} is a context key the client sets`);
    for (const [, key] of (item.when ?? '').matchAll(/config\.(portParity\.[\w.]+)/g)) assert.ok(c.configuration.properties[key], key);
  }
});

test('the editor\'s context menu and title bar align and explain the service under the cursor, in files the server reads', () => {
  for (const menu of ['editor/context', 'editor/title']) {
    const items = c.menus[menu];
    for (const cmd of ['portParity.alignService', 'portParity.explainService']) {
      const item = items.find((m) => m.command === cmd);
      assert.ok(item, `${menu} has ${cmd}`);
      assert.match(item.when, /portParity\.running && portParity\.activeFile && resourceScheme == file/);
    }
  }
  // The command takes the service under the cursor when called without a service name (a menu passes a Uri).
  // (The tree passes its service node; serviceArg gives nothing for a Uri.)
  assert.match(read('client/src/extension.ts'), /COMMANDS\.align, guarded\('Align Service', \(service\?: unknown, folder\?: unknown\) => align\(h, typeof service === 'string' \? service : serviceArg\(service\)\?\.service/);
  assert.match(read('client/src/control.ts'), /vscode\.languages\.match\(selector/);
});

test('settings: portParity.enable and portParity.run (onType/onSave, as eslint.run), each order once, every rule listed with its default', () => {
  const props = c.configuration.properties;
  assert.equal(props['portParity.enable'].type, 'boolean');
  assert.equal(props['portParity.enable'].default, true);
  assert.deepEqual(props['portParity.run'].enum, ['onType', 'onSave']);
  assert.equal(props['portParity.run'].default, 'onType');
  assert.match(read('server/src/lsp/folder.ts'), /run\?: 'onType' \| 'onSave';/);
  const orders = Object.values(props).map((p) => p.order);
  assert.deepEqual([...orders].sort((a, b) => a - b), orders.map((_, i) => i + 1), 'orders are 1..n, each once');
  assert.deepEqual(props['portParity.rules'].default, Object.fromEntries(api.RULES.map((r) => [r.id, r.defaultSeverity])));
});

test('the walkthrough and the empty workspace\'s welcome say what Port Parity reads and how to start, with links that work', () => {
  const commands = new Set(c.commands.map((x) => x.command));
  const [walk] = c.walkthroughs;
  assert.equal(walk.id, 'portParity.start');
  assert.ok(walk.steps.length >= 4);
  const links = [];
  for (const step of walk.steps) {
    const media = join(ROOT, step.media.markdown);
    assert.ok(existsSync(media), `${step.id}: ${step.media.markdown}`);
    assert.match(readFileSync(media, 'utf8'), /^# /, `${step.media.markdown} has a title`);
    links.push(...step.description.matchAll(/\(command:([\w.]+)/g));
    for (const ev of step.completionEvents) {
      const [kind, arg] = ev.split(/:(.*)/s);
      if (kind === 'onCommand') assert.ok(commands.has(arg), ev);
      else if (kind === 'onSettingChanged') assert.ok(c.configuration.properties[arg], ev);
      else if (kind === 'onContext') assert.ok(SET_KEYS.includes(arg), ev);
      // A step that only informs completes when read (VS Code's onStepSelected takes no argument).
      else if (kind === 'onStepSelected') assert.equal(arg, undefined, ev);
      else assert.fail(`unexpected completion event ${ev}`);
    }
    for (const k of contextKeys(step.when)) assert.ok(SET_KEYS.includes(k), `${step.id}: ${k}`);
  }
  const welcome = c.viewsWelcome.find((w) => w.view === 'explorer' && w.when === 'workbenchState == empty');
  assert.ok(welcome, 'the empty window says what Port Parity is');
  for (const kind of ['Dockerfiles', 'Compose', 'Kubernetes', 'Helm', 'Kustomize', '.env']) assert.ok(welcome.contents.includes(kind), kind);
  links.push(...welcome.contents.matchAll(/\(command:([\w.]+)(?:\?([^)]*))?/g));
  for (const [, id] of links) assert.ok(commands.has(id) || /^workbench\.action\.(files\.openFolder|openSettings|openWalkthrough)$/.test(id), `the link's command ${id} exists`);
  // The welcome's link opens this walkthrough: <publisher>.<name>#<walkthrough id>.
  assert.ok(welcome.contents.includes(encodeURIComponent(JSON.stringify([`${pkg.publisher}.${pkg.name}#${walk.id}`]))), welcome.contents);
  // The walkthrough's files are packaged (.vscodeignore).
  assert.match(read('.vscodeignore'), /^!media\/walkthrough\/\*\.md$/m);
});

// Kustomize renderer: overlays rendered per environment at the facts level, every effective value
// placed at the file and line that set it (base, patch, inline patch, generator or env file).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import api from '../../dist/api.js';

const { extractAll, readWorkspace, analyze } = api;
const HERE = dirname(fileURLToPath(import.meta.url));
const FIXTURES = join(HERE, 'fixtures', 'kustomize');
const CLI = join(HERE, '..', '..', 'dist', 'cli.js');

/** Renders a fixture case (or in-memory files): the facts by file, a slicer for Locs, and the renders by environment. */
function load(input) {
  const files = typeof input === 'string' ? readWorkspace(join(FIXTURES, input)).files : Object.entries(input).map(([path, text]) => ({ path, text }));
  const texts = new Map(files.map((f) => [f.path, f.text]));
  const facts = extractAll(files);
  const renders = facts.filter((f) => f.renderedFrom?.startsWith('kustomization'));
  return {
    files,
    facts: new Map(facts.map((f) => [f.file, f])),
    renders,
    env: (env) => {
      const r = renders.find((x) => x.env === env);
      assert.ok(r, `a render for ${env} (have ${renders.map((x) => x.env).join(', ')})`);
      return r;
    },
    /** `file:line="text"`, 1-based, the text sliced from the real file with loc.start/loc.end. */
    at: (loc) => `${loc.file}:${loc.line + 1}=${texts.get(loc.file)?.slice(loc.start, loc.end)}`,
  };
}

function workload(render, name) {
  const w = render.workloads.find((x) => x.name === name);
  assert.ok(w, `workload ${name} in ${render.file} (have ${render.workloads.map((x) => x.name).join(', ')})`);
  return w;
}
function container(w, name) {
  const c = w.containers.find((x) => x.name === name);
  assert.ok(c, `container ${name}`);
  return c;
}
function service(render, name) {
  const s = render.services.find((x) => x.name === name);
  assert.ok(s, `Service ${name} in ${render.file}`);
  return s;
}

test('each environment overlay is one render: a virtual file id, env, renderedFrom; base and patch files are consumed', () => {
  const k = load('smp-adds-port');
  assert.deepEqual(k.renders.map((r) => [r.file, r.env, r.renderedFrom]).sort(), [
    ['overlays/production/kustomization.yaml#production', 'production', 'kustomization overlays/production'],
    ['overlays/staging/kustomization.yaml#staging', 'staging', 'kustomization overlays/staging'],
  ]);
  for (const f of ['base/deployment.yaml', 'base/service.yaml', 'overlays/production/tls-port.yaml', 'overlays/staging/probe-patch.yaml']) assert.equal(k.facts.get(f).kind, 'skipped', f);
});

test('a strategic merge patch that lists 8443 adds it beside the base 8080 (kustomize #173), each at its own file and line', () => {
  const k = load('smp-adds-port');
  const prod = container(workload(k.env('production'), 'api'), 'api');
  assert.deepEqual(prod.ports.map((p) => [p.containerPort.port, p.name, k.at(p.containerPort.loc)]), [
    [8443, 'https', 'overlays/production/tls-port.yaml:12=8443'],
    [8080, 'http', 'base/deployment.yaml:21=8080'],
  ]);
  const staging = container(workload(k.env('staging'), 'api'), 'api');
  assert.deepEqual(staging.ports.map((p) => p.containerPort.port), [8080]);
});

test("a probe patch's port wins for the handler it names; the other probes stay the base's", () => {
  const k = load('smp-adds-port');
  const c = container(workload(k.env('staging'), 'api'), 'api');
  assert.deepEqual(c.probes.map((p) => [p.kind, p.type, p.port.port ?? p.port.name, k.at(p.port.loc)]), [
    ['liveness', 'httpGet', 8081, 'overlays/staging/probe-patch.yaml:13=8081'],
    ['readiness', 'httpGet', 'http', 'base/deployment.yaml:33=http'],
  ]);
});

test('a JSON 6902 replace of containerPort takes the value node of the patch file as its Loc', () => {
  const k = load('json6902-containerport');
  const c = container(workload(k.env('production'), 'api'), 'api');
  assert.deepEqual(c.ports.map((p) => [p.containerPort.port, p.name, p.containerPort.literal, k.at(p.containerPort.loc)]), [[9090, 'http', true, 'overlays/production/port.yaml:3=9090']]);
  assert.deepEqual(c.probes.filter((p) => p.kind === 'liveness').map((p) => k.at(p.port.loc)), ['overlays/production/port.yaml:6=9090']);
  // The staging overlay's inline JSON patch (a block scalar of the kustomization) maps back onto the kustomization's lines.
  const s = container(workload(k.env('staging'), 'api'), 'api');
  const log = s.env.find((e) => e.name === 'LOG_LEVEL');
  assert.equal(k.at(log.valueLoc), 'overlays/staging/kustomization.yaml:14=debug');
  assert.deepEqual(s.ports.map((p) => k.at(p.containerPort.loc)), ['base/deployment.yaml:21=8080']);
});

test('namePrefix/nameSuffix rename workloads, Services and ConfigMaps and the references to them; the base name stays the identity', () => {
  const k = load('names-namespace-labels');
  const st = k.env('staging');
  const w = workload(st, 'staging-web');
  assert.equal(w.baseName, 'web');
  assert.equal(w.namespace, 'shop-staging');
  assert.deepEqual(container(w, 'web').envFrom, ['staging-web-config']);
  assert.deepEqual(st.configMaps.map((c) => [c.namespace, c.name]), [['shop-staging', 'staging-web-config']]);
  assert.deepEqual(st.backends.map((b) => [b.from, b.namespace, b.service, k.at(b.serviceLoc)]), [['Ingress staging-web', 'shop-staging', 'staging-web', 'base/app.yaml:61=web']]);
  const prod = k.env('production');
  assert.equal(workload(prod, 'web-prod').baseName, 'web');
  assert.equal(service(prod, 'web-prod').namespace, 'shop');
  // The model joins staging-web and web-prod into one service, web.
  const model = analyze([...readWorkspace(join(FIXTURES, 'names-namespace-labels')).files]).model;
  assert.deepEqual([...model.services.keys()], ['web']);
});

test('commonLabels reach template labels and Service selectors; labels reach them only when asked', () => {
  const k = load('names-namespace-labels');
  const st = k.env('staging');
  assert.deepEqual(workload(st, 'staging-web').labels, { app: 'web', env: 'staging' });
  assert.deepEqual(service(st, 'staging-web').selector, { app: 'web', env: 'staging' });
  const prod = k.env('production');
  assert.deepEqual(workload(prod, 'web-prod').labels, { app: 'web', env: 'production', team: 'storefront' });
  assert.deepEqual(service(prod, 'web-prod').selector, { app: 'web', env: 'production' });
});

test('configMapGenerator literals and env files become ConfigMap data at their exact ranges; behavior merge overrides keys', () => {
  const k = load('configmap-generator');
  const data = (env) => Object.fromEntries(k.env(env).configMaps[0].data.map((e) => [e.name, [e.port ?? e.value, k.at(e.valueLoc), k.at(e.nameLoc)]]));
  assert.deepEqual(data('production'), {
    PORT: [7001, 'overlays/production/kustomization.yaml:7=7001', 'overlays/production/kustomization.yaml:7=PORT'],
    METRICS_PORT: [9100, 'base/kustomization.yaml:7=9100', 'base/kustomization.yaml:7=METRICS_PORT'],
    LOG_LEVEL: ['info', 'base/kustomization.yaml:8=info', 'base/kustomization.yaml:8=LOG_LEVEL'],
  });
  assert.deepEqual(data('staging').PORT, [7000, 'overlays/staging/worker.env:3=7000', 'overlays/staging/worker.env:3=PORT']);
  assert.equal(k.facts.get('overlays/staging/worker.env').kind, 'skipped');
  // The workload's envFrom and configMapKeyRef follow the generated (and prefixed) name.
  const c = container(workload(k.env('staging'), 'stg-worker'), 'worker');
  assert.deepEqual([c.envFrom, c.envRefs.map((r) => r.configMap)], [['stg-worker-config'], ['stg-worker-config']]);
});

test('configMapGenerator values reach the process through envFrom: a rule reports the literal in the overlay', () => {
  const { findings } = analyze(readWorkspace(join(FIXTURES, 'configmap-generator')).files);
  assert.deepEqual(findings.map((f) => [f.rule, `${f.loc.file}:${f.loc.line + 1}:${f.loc.col + 1}`]), [['env-port-mismatch', 'overlays/production/kustomization.yaml:7:14']]);
});

test('a component adds its resources and patches the including overlay only', () => {
  const k = load('components');
  const prod = k.env('production');
  const w = workload(prod, 'api');
  assert.deepEqual(w.containers.map((c) => c.name), ['exporter', 'api']);
  assert.deepEqual(container(w, 'exporter').ports.map((p) => k.at(p.containerPort.loc)), ['components/metrics/kustomization.yaml:18=9102']);
  assert.equal(service(prod, 'api-metrics').namespace, 'prod');
  assert.deepEqual(workload(k.env('staging'), 'api').containers.map((c) => c.name), ['api']);
  assert.equal(k.facts.get('components/metrics/metrics-service.yaml').kind, 'skipped');
});

test('remote resources and components are unknowns at the URL token, never guessed', () => {
  const k = load('remote-resource');
  const u = (env) => k.env(env).unknowns.map((x) => [x.message, k.at(x.loc)]);
  assert.deepEqual(u('production'), [
    ['remote resource github.com/example/monitoring/deploy?ref=v1.2.0 is not read: its ports are not checked', 'overlays/production/kustomization.yaml:3=github.com/example/monitoring/deploy?ref=v1.2.0'],
    ['remote resource https://raw.githubusercontent.com/example/infra/main/redis.yaml is not read: its ports are not checked', 'overlays/production/kustomization.yaml:4=https://raw.githubusercontent.com/example/infra/main/redis.yaml'],
  ]);
  assert.deepEqual(u('staging'), [['remote component git::https://github.com/example/components.git//tls?ref=main is not read: its ports are not checked', 'overlays/staging/kustomization.yaml:4=git::https://github.com/example/components.git//tls?ref=main']]);
  // The local base is still rendered.
  assert.deepEqual(container(workload(k.env('production'), 'api'), 'api').ports.map((p) => p.containerPort.port), [8080]);
});

test('$patch: delete and replace, null-free inline patches, and Service ports merged by port and protocol', () => {
  const k = load('inline-directives');
  const st = k.env('staging');
  const w = workload(st, 'gateway');
  assert.deepEqual(w.containers.map((c) => c.name), ['gateway', 'migrate']);
  const g = container(w, 'gateway');
  assert.deepEqual(g.ports.map((p) => k.at(p.containerPort.loc)), ['overlays/staging/kustomization.yaml:20=8000']);
  assert.deepEqual(g.command.ports.map((p) => [p.flag, p.primary, k.at(p.loc)]), [
    ['--listen', true, 'overlays/staging/kustomization.yaml:17=8000'],
    ['--admin-port', false, 'overlays/staging/kustomization.yaml:17=8001'],
  ]);
  assert.deepEqual(service(st, 'gateway').ports.map((p) => [p.name, p.port.port, p.targetPort?.port, k.at(p.targetPort.loc)]), [
    ['http', 80, 8000, 'base/resources.yaml:47=8000'],
    ['admin', 8001, 8001, 'overlays/staging/kustomization.yaml:31=8001'],
  ]);
  const prod = k.env('production');
  const pw = workload(prod, 'gateway');
  assert.deepEqual(pw.containers.map((c) => c.name), ['gateway', 'envoy']);
  const pg = container(pw, 'gateway');
  assert.deepEqual(pg.ports.map((p) => [p.containerPort.port, k.at(p.containerPort.loc)]), [[8443, 'overlays/production/gateway-patch.yaml:16=8443'], [8000, 'base/resources.yaml:23=8000']]);
  assert.deepEqual(pg.env.map((e) => e.name), ['TLS_PORT', 'PORT']);
  assert.deepEqual(pg.probes.map((p) => [p.kind, p.type, p.port.name]), [['readiness', 'tcpSocket', 'https']]);
  // With a protocol written, a new port comes first and the base's keep their order; 53/UDP takes the patch's targetPort.
  assert.deepEqual(service(prod, 'gateway').ports.map((p) => [p.port.port, p.protocol, p.targetPort?.port, k.at(p.targetPort.loc)]), [
    [443, 'TCP', 8443, 'overlays/production/kustomization.yaml:16=8443'],
    [80, 'TCP', 8000, 'base/resources.yaml:47=8000'],
    [53, 'UDP', 53, 'overlays/production/kustomization.yaml:13=53'],
  ]);
});

test('object, container, env and probe directives; an item-level $patch: replace keeps the base item, as kubectl does', () => {
  const k = load('directives');
  const prod = k.env('production');
  assert.deepEqual(prod.workloads.map((w) => w.name), ['a']);
  const w = workload(prod, 'a');
  assert.deepEqual(w.labels, { app: 'a', extra: 'y' });
  assert.deepEqual(container(w, 'b').ports.map((p) => k.at(p.containerPort.loc)), ['base/r.yaml:18=3']);
  const a = container(w, 'a');
  assert.deepEqual(a.env.map((e) => [e.name, e.value]), [['C', '30'], ['D', '4'], ['B', '2']]);
  assert.deepEqual(a.envFrom, ['two']);
  assert.deepEqual(a.probes.map((p) => [p.kind, p.port.port, k.at(p.port.loc)]), [['readiness', 22, 'overlays/production/kustomization.yaml:25=22']]);
  assert.deepEqual(service(prod, 'a').selector, { app: 'a' });
  const st = k.env('staging');
  // `- $patch: replace` replaces the whole list; the JSON patch targets a-s, a name the suffix gives only after patches run: it selects nothing.
  const only = workload(st, 'a-s').containers;
  assert.deepEqual(only.map((c) => [c.name, c.ports.map((p) => p.containerPort.port), c.probes.length]), [['only', [5], 0]]);
  assert.deepEqual(service(st, 'a-s').ports.map((p) => [p.name, p.port.port, p.targetPort.port, k.at(p.targetPort.loc)]), [['x', 1, 5, 'overlays/staging/kustomization.yaml:31=5']]);
});

test('replacements copy a ConfigMap value into containerPort, env, probe and targetPort, placed at the literal', () => {
  const k = load('replacements');
  const prod = k.env('production');
  const c = container(workload(prod, 'billing'), 'billing');
  const lit = 'overlays/production/kustomization.yaml:6=5050';
  assert.deepEqual(c.ports.map((p) => [p.containerPort.port, p.containerPort.literal, k.at(p.containerPort.loc)]), [[5050, true, lit]]);
  assert.deepEqual(c.env.map((e) => [e.name, e.port, k.at(e.valueLoc), k.at(e.nameLoc)]), [['PORT', 5050, lit, 'base/app.yaml:21=PORT']]);
  assert.deepEqual(c.probes.map((p) => k.at(p.port.loc)), [lit]);
  assert.deepEqual(service(prod, 'billing').ports.map((p) => k.at(p.targetPort.loc)), [lit]);
  assert.deepEqual(prod.unknowns, []);
});

test('Kustomization without extension, bases, a List, a CronJob and a Pod; envs/dev is local; a target name is an anchored regex', () => {
  const k = load('variants');
  const dev = k.env('local');
  assert.equal(dev.file, 'deploy/envs/dev/kustomization.yml#local');
  const report = workload(dev, 'report');
  assert.deepEqual(report.labels, { app: 'report', tier: 'batch' });
  assert.deepEqual(container(report, 'report').ports.map((p) => k.at(p.containerPort.loc)), ['deploy/envs/dev/kustomization.yml:9=6001']);
  const prod = k.env('production');
  const dbg = container(workload(prod, 'debug'), 'debug');
  assert.deepEqual(dbg.ports.map((p) => [p.containerPort.port, p.protocol]), [[7071, 'UDP'], [7070, 'TCP']]);
  assert.deepEqual(workload(prod, 'debug').labels, { app: 'debug', role: 'debug' });
  assert.equal(workload(prod, 'report').namespace, 'batch');
});

const BASE = {
  'base/kustomization.yaml': 'resources:\n  - app.yaml\n',
  'base/app.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    metadata:
      labels:
        app: api
    spec:
      containers:
        - name: api
          image: example/api
          command: ["uvicorn", "main:app"]
          ports:
            - containerPort: 8000
`,
};

/** BASE with a production overlay whose strategic merge patch p.yaml gives container api the lines `body`. */
function withPatch(body) {
  const head = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n';
  return { ...BASE, 'overlays/production/kustomization.yaml': 'resources: [../../base]\npatches:\n  - path: p.yaml\n', 'overlays/production/p.yaml': head + body };
}

test('with the language server\'s store, a render is kept while everything it read reads the same, and made again when any of it changes', () => {
  const files = {
    ...withPatch('          ports:\n            - containerPort: 9000\n'),
    'overlays/staging/kustomization.yaml': 'resources: [../../base, extra.yaml]\n',
    'other/kustomization.yaml': 'resources: [../base]\n',
  };
  const store = new api.Store();
  const run = (fs) => {
    const list = Object.entries(fs).map(([path, text]) => ({ path, text }));
    const got = api.extract(list, undefined, store).facts.filter((f) => f.renderedFrom?.startsWith('kustomization'));
    // Whatever the store gives back equals a cold run of the same files.
    assert.deepEqual(got, extractAll(list).filter((f) => f.renderedFrom?.startsWith('kustomization')));
    return new Map(got.map((f) => [f.env ?? 'base', f]));
  };
  const a = run(files);
  assert.deepEqual([...a.keys()].sort(), ['base', 'production', 'staging']);
  // Nothing changed: the same objects.
  const b = run({ ...files });
  for (const [env, f] of a) assert.equal(b.get(env), f, env);
  // The production patch changed: production alone is rendered again.
  const c = run({ ...files, 'overlays/production/p.yaml': files['overlays/production/p.yaml'].replace('9000', '9001') });
  assert.notEqual(c.get('production'), a.get('production'));
  assert.equal(c.get('staging'), a.get('staging'));
  assert.equal(c.get('base'), a.get('base'));
  assert.equal(container(workload(c.get('production'), 'api'), 'api').ports.some((p) => p.containerPort.port === 9001), true);
  // The shared base changed: every render that reads it is made again.
  const d = run({ ...files, 'base/app.yaml': files['base/app.yaml'].replace('8000', '8100') });
  for (const env of ['production', 'staging', 'base']) assert.notEqual(d.get(env), a.get(env), env);
  // Back as it was (each render is compared with the last run from here on).
  const back = run(files);
  // A file staging looked for and did not find appears: staging is made again, and reads it.
  const withExtra = { ...files, 'overlays/staging/extra.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: extra\nspec:\n  ports:\n    - port: 80\n' };
  const e = run(withExtra);
  assert.notEqual(e.get('staging'), back.get('staging'));
  assert.deepEqual(e.get('staging').services.map((x) => x.name), ['extra']);
  assert.equal(e.get('production'), back.get('production'));
  assert.equal(e.get('base'), back.get('base'));
  // A kustomization's own text changed (a comment): its render is made again; the others are kept.
  const f = run({ ...withExtra, 'other/kustomization.yaml': '# moved\nresources: [../base]\n' });
  assert.notEqual(f.get('base'), e.get('base'));
  assert.equal(f.get('production'), e.get('production'));
  assert.equal(f.get('staging'), e.get('staging'));
  // An overlay that is gone is forgotten: brought back, it is rendered anew.
  const noStaging = { ...withExtra };
  delete noStaging['overlays/staging/kustomization.yaml'];
  assert.equal(run(noStaging).has('staging'), false);
  assert.notEqual(run(withExtra).get('staging'), e.get('staging'));
});

test('which kustomizations render: overlays are environments, an included base is not, an aggregating root is not, an unmarked root is the base', () => {
  const k = load({
    ...BASE,
    'overlays/staging/kustomization.yaml': 'resources: [../../base]\n',
    'overlays/production/kustomization.yaml': 'resources: [../../base, ../production/extra]\n',
    'overlays/production/extra/kustomization.yaml': 'resources: []\n',
    'kustomization.yaml': 'resources: [overlays/staging, overlays/production]\n',
    'other/kustomization.yaml': 'resources: [../base]\n',
    'components/x/kustomization.yaml': 'kind: Component\n',
  });
  assert.deepEqual(k.renders.map((r) => [r.file, r.env]).sort(), [
    ['other/kustomization.yaml#base', undefined],
    ['overlays/production/kustomization.yaml#production', 'production'],
    ['overlays/staging/kustomization.yaml#staging', 'staging'],
  ]);
});

test('a command whose args a patch replaces is parsed again whole: the base program, the patch flags at their lines', () => {
  const k = load(withPatch('          args: ["--host", "0.0.0.0", "--port", "9000"]\n'));
  const c = container(workload(k.env('production'), 'api'), 'api');
  assert.deepEqual(c.command.ports.map((p) => [p.port, p.literal, k.at(p.loc)]), [[9000, true, 'overlays/production/p.yaml:10=9000']]);
  // uvicorn in the base's command, --host in the patch's args: not the loopback default.
  assert.deepEqual(c.command.binds.map((b) => [b.host, k.at(b.loc)]), [['0.0.0.0', 'overlays/production/p.yaml:10=0.0.0.0']]);
});

test('what cannot be followed is an unknown at its token: no match, a missing JSON path, a generator, a missing file; a delimiter replacement is followed', () => {
  const k = load({
    ...BASE,
    'overlays/production/kustomization.yaml': `resources:
  - ../../base
  - missing.yaml
helmCharts:
  - name: redis
configMapGenerator:
  - name: cfg
    literals: [PORT=9000]
    envs: [app.properties]
patches:
  - patch: |-
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: nothing
  - target: {kind: Deployment}
    patch: |-
      - op: replace
        path: /spec/template/spec/containers/3/ports/0/containerPort
        value: 1
replacements:
  - source: {kind: ConfigMap, name: cfg, fieldPath: data.PORT}
    targets:
      - select: {kind: Deployment}
        fieldPaths: [spec.template.spec.containers.0.ports.0.containerPort]
        options: {delimiter: ":"}
`,
  });
  assert.deepEqual(k.env('production').unknowns.map((u) => [u.message, k.at(u.loc)]), [
    ['resource missing.yaml is not a file Port Parity reads in this workspace: its ports are not checked', 'overlays/production/kustomization.yaml:3=missing.yaml'],
    ['Helm chart redis is not run: the ports it produces or changes are not checked', 'overlays/production/kustomization.yaml:5=redis'],
    ['configMapGenerator env file app.properties is not a file Port Parity reads: its variables are not checked', 'overlays/production/kustomization.yaml:9=app.properties'],
    ['inline patch matches no resource (Deployment nothing): kustomize cannot apply it', 'overlays/production/kustomization.yaml:12=apiVersion: apps/v1'],
    ['JSON patch path /spec/template/spec/containers/3/ports/0/containerPort does not exist in Deployment api: kustomize cannot apply it', 'overlays/production/kustomization.yaml:19=/spec/template/spec/containers/3/ports/0/containerPort'],
  ]);
  // On YAML trees the delimiter replacement is applied as kubectl applies it: "8000" split on ":" has one part, which becomes 9000.
  assert.deepEqual(container(workload(k.env('production'), 'api'), 'api').ports.map((p) => [p.containerPort.port, k.at(p.containerPort.loc)]), [[9000, 'overlays/production/kustomization.yaml:8=9000']]);
});

test('a bad value in a patch is a problem at the patch; a field a patch leaves out is not', () => {
  const k = load(withPatch('          ports:\n            - containerPort: 70000\n          livenessProbe:\n            httpGet:\n              path: /healthz\n'));
  assert.deepEqual(k.env('production').problems.map((p) => [p.message, k.at(p.loc)]), [['containerPort 70000 is not a port number (1-65535)', 'overlays/production/p.yaml:11=70000']]);
  assert.deepEqual(k.facts.get('overlays/production/p.yaml').problems, []);
});

test('check reports a drift only overlays/production has at the patch line, and fix edits the patch files, not the base', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pp-kustomize-'));
  cpSync(join(HERE, '..', 'fixtures', 'port-parity', 'invalid-kustomize-patch-drift'), dir, { recursive: true });
  const run = (args) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  const check = run(['check', dir, '--fail-on', 'never']);
  assert.equal(check.status, 0, check.stderr);
  assert.match(check.stdout, /k8s\/overlays\/production\/container-port\.yaml\n {2}3:10 +warning +api listens on 9090 in production but 8080 in staging \(k8s\/base\/deployment\.yaml:18\) +port-parity/);
  const base = readFileSync(join(dir, 'k8s/base/deployment.yaml'), 'utf8');
  const fix = run(['fix', dir, '--rule', 'port-parity']);
  assert.equal(fix.status, 0, fix.stderr);
  assert.equal(readFileSync(join(dir, 'k8s/overlays/production/container-port.yaml'), 'utf8').split('\n')[2], '  value: 8080');
  assert.match(readFileSync(join(dir, 'k8s/overlays/production/service-port.yaml'), 'utf8'), /targetPort: 8080/);
  assert.equal(readFileSync(join(dir, 'k8s/base/deployment.yaml'), 'utf8'), base);
  const again = run(['check', dir, '--fail-on', 'never']);
  assert.doesNotMatch(again.stdout, /port-parity/);
});

test('legacy vars: $(NAME) in env values and args becomes the named field after every transformer ($$ escapes, others stay; then the kubelet expands), at the value token', () => {
  const k = load('vars');
  const env = (render) => Object.fromEntries(workload(render, render.env === 'production' ? 'prod-web' : 'web').containers[0].env.map((v) => [v.name, [v.value, v.port ?? null, v.literal, k.at(v.valueLoc)]]));
  assert.deepEqual(env(k.env('production')), {
    API_URL: ['http://prod-api:8080', null, false, 'base/app.yaml:49=http://$(API_SERVICE):$(API_PORT)'],
    API_PORT: ['8080', 8080, false, 'base/app.yaml:51=$(API_PORT)'],
    // Kustomize leaves `$(API_PORT)` of `$$(API_PORT)`, which the kubelet then expands from API_PORT above.
    ESCAPED: ['8080 and $(NOT_A_VAR)', null, false, 'base/app.yaml:53=$$(API_PORT) and $(NOT_A_VAR)'],
  });
  // Staging's patch adds port 9090 first: spec.ports[0] is it, as kubectl renders.
  assert.equal(env(k.env('staging')).API_URL[0], 'http://api:9090');
  assert.deepEqual(k.env('staging').unknowns, []);
});

test('a var whose object or field is not there is an unknown at its name, and its $(NAME) stays; a URL through a var is checked', () => {
  const k = load({
    ...BASE,
    'overlays/production/kustomization.yaml': `resources: [../../base, svc.yaml, web.yaml]
patches:
  - path: p.yaml
vars:
  - name: GONE
    objref: {kind: Service, name: nothing, apiVersion: v1}
  - name: REPLICAS
    objref: {kind: Deployment, name: api, apiVersion: apps/v1}
    fieldref: {fieldpath: spec.replicas}
  - name: SECOND
    objref: {kind: Service, name: api, apiVersion: v1}
    fieldref: {fieldpath: 'spec.ports[1].port'}
  - name: API_HOST
    objref: {kind: Service, name: api, apiVersion: v1}
`,
    'overlays/production/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: api\nspec:\n  selector:\n    app: api\n  ports:\n    - port: 8000\n',
    'overlays/production/p.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          env:\n            - name: SELF_URL\n              value: http://$(API_HOST):9000/$(GONE)\n',
    'overlays/production/web.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: example/web\n          env:\n            - name: API_URL\n              value: http://$(API_HOST):9000\n',
  });
  const r = k.env('production');
  assert.deepEqual(r.unknowns.map((u) => [u.message, k.at(u.loc)]), [
    ['var GONE refers to Service nothing, which this kustomization does not output: kustomize cannot build it', 'overlays/production/kustomization.yaml:5=GONE'],
    ['var REPLICAS reads spec.replicas, which Deployment api does not have: kustomize cannot build it', 'overlays/production/kustomization.yaml:7=REPLICAS'],
    ['var SECOND reads spec.ports[1].port, which Service api does not have: kustomize cannot build it', 'overlays/production/kustomization.yaml:10=SECOND'],
  ]);
  assert.equal(workload(r, 'api').containers[0].env.find((v) => v.name === 'SELF_URL').value, 'http://api:9000/$(GONE)');
  const found = analyze(k.files).findings.filter((f) => f.rule === 'reference-port').map((f) => [f.message, k.at(f.loc)]);
  assert.equal(found.length, 1, JSON.stringify(found));
  assert.match(found[0][0], /9000/);
  // The value is what the var made of it: the finding underlines the value as written.
  assert.equal(found[0][1], 'overlays/production/web.yaml:13=http://$(API_HOST):9000');
});

test('a patches entry that is not a map is an unknown: kustomize cannot build the kustomization', () => {
  const k = load({ ...BASE, 'overlays/production/kustomization.yaml': 'resources: [../../base]\npatches:\n  - p.yaml\n', 'overlays/production/p.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n' });
  assert.deepEqual(k.env('production').unknowns.map((u) => [u.message, k.at(u.loc)]), [
    ['patches entry p.yaml is not a map with a path or a patch: kustomize cannot build this kustomization', 'overlays/production/kustomization.yaml:3=p.yaml'],
  ]);
});

test("env values are expanded as the kubelet does once the patches are merged: a patch's variable reaches the base's $(NAME)", () => {
  const k = load(withPatch('          env:\n            - name: API_PORT\n              value: "9090"\n'));
  const files = { ...k.files.reduce((o, f) => ({ ...o, [f.path]: f.text }), {}) };
  files['base/app.yaml'] = files['base/app.yaml'].replace('          ports:\n', () => '          env:\n            - name: API_URL\n              value: http://api:$(API_PORT)\n            - name: RAW\n              value: $$(API_PORT)\n          ports:\n');
  const r = load(files).env('production');
  const env = Object.fromEntries(workload(r, 'api').containers[0].env.map((v) => [v.name, [v.value, v.literal]]));
  assert.deepEqual(env, { API_PORT: ['9090', true], API_URL: ['http://api:9090', false], RAW: ['$(API_PORT)', false] });
});

test('on YAML trees: JSON test, copy and move keep each value at the line that wrote it; a replacement takes part of a value, or makes the field it writes', () => {
  const k = load('tree-operations');
  const prod = k.env('production');
  assert.deepEqual(prod.unknowns, []);
  const shop = workload(prod, 'shop');
  assert.deepEqual(shop.containers.map((c) => c.name), ['shop']);
  const c = container(shop, 'shop');
  // The exporter's port, copied before the exporter is removed, is still placed in the base.
  assert.deepEqual(c.ports.map((p) => [p.containerPort.port, p.name, k.at(p.containerPort.loc)]), [
    [8080, 'http', 'base/app.yaml:21=8080'],
    [9100, 'metrics', 'base/app.yaml:33=9100'],
  ]);
  assert.deepEqual(c.probes.map((p) => [p.kind, p.type, p.port.port ?? p.port.name, k.at(p.port.loc)]), [
    ['liveness', 'httpGet', 'http', 'base/app.yaml:26=http'],
    ['startup', 'tcpSocket', 8080, 'base/app.yaml:21=8080'],
  ]);
  assert.deepEqual(c.command.ports.map((p) => [p.port, k.at(p.loc)]), [[8081, 'overlays/production/volumes.yaml:13=8081']]);
  // 8080 is a part of "0.0.0.0:8080": placed at that value, not a literal a fix could edit.
  assert.deepEqual(service(prod, 'shop').ports.map((p) => [p.port.port, p.port.literal, k.at(p.port.loc)]), [[8080, false, 'base/app.yaml:56="0.0.0.0:8080"']]);
  const st = k.env('staging');
  assert.deepEqual(st.unknowns, []);
  const sc = container(workload(st, 'shop-stg'), 'shop');
  assert.deepEqual(sc.probes.map((p) => [p.kind, p.type, p.port.port, k.at(p.port.loc)]), [['readiness', 'tcpSocket', 8080, 'overlays/staging/kustomization.yaml:20=8080']]);
  assert.deepEqual(service(st, 'shop-stg').ports.map((p) => [p.targetPort.port, k.at(p.targetPort.loc)]), [[8080, 'overlays/staging/kustomization.yaml:30=8080']]);
  assert.deepEqual(st.configMaps.map((m) => m.name), ['shop-env-stg']);
});

test('a JSON patch test that does not hold and a move from a path that is not there are unknowns at their path: kustomize cannot apply them', () => {
  const k = load({
    ...BASE,
    'overlays/production/kustomization.yaml': `resources: [../../base]
patches:
  - target: {kind: Deployment}
    patch: |-
      - op: test
        path: /spec/template/spec/containers/0/name
        value: web
      - op: move
        from: /spec/template/spec/containers/0/livenessProbe
        path: /spec/template/spec/containers/0/readinessProbe
`,
  });
  assert.deepEqual(k.env('production').unknowns.map((u) => [u.message, k.at(u.loc)]), [
    ['JSON patch test of /spec/template/spec/containers/0/name fails in Deployment api: kustomize cannot apply it', 'overlays/production/kustomization.yaml:6=/spec/template/spec/containers/0/name'],
    ['JSON patch move from /spec/template/spec/containers/0/livenessProbe, which does not exist in Deployment api: kustomize cannot apply it', 'overlays/production/kustomization.yaml:9=/spec/template/spec/containers/0/livenessProbe'],
  ]);
  assert.deepEqual(container(workload(k.env('production'), 'api'), 'api').ports.map((p) => p.containerPort.port), [8000]);
});

test('a shell command in an inline patch that cannot be placed char for char is placed at its whole value, on the kustomization line that wrote it', () => {
  const k = load({
    ...BASE,
    'overlays/production/kustomization.yaml': `resources: [../../base]
patches:
  - patch: |-
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: api}
      spec:
        template:
          spec:
            containers:
              - name: api
                command: ["sh", "-c", "exec uvicorn main:app --port 9000 --header \\"x: y\\""]
`,
  });
  const c = container(workload(k.env('production'), 'api'), 'api');
  assert.deepEqual(c.command.ports.map((p) => [p.port, p.literal, k.at(p.loc)]), [[9000, false, 'overlays/production/kustomization.yaml:12="exec uvicorn main:app --port 9000 --header \\"x: y\\""']]);
});

// Renders share their base's parse and copy only what they write into (copy on write): a render that
// wrote into a shared node in place would leak its patches into the next render of the same base, or
// into the base's own facts. Three environments and an unmarked render over one base, the environments
// each patching the same fields its own way, in several orders of rendering, each checked against the
// same render made alone.
const SHARED_BASE = {
  'base/kustomization.yaml': `resources: [deployment.yaml, service.yaml, config.yaml]
labels:
  - pairs: {team: shop}
    includeSelectors: true
`,
  'base/deployment.yaml': `kind: Deployment
apiVersion: apps/v1
metadata: {name: api}
spec:
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
        - image: shop/api
          name: api
          ports:
            - name: http
              containerPort: 8080
          env: &env
            - name: PORT
              value: "8080"
            - name: MODE
              value: base
        - name: sidecar
          image: shop/sidecar
          ports:
            - containerPort: 9102
          env: *env
`,
  'base/service.yaml': `apiVersion: v1
kind: Service
metadata:
  name: api
spec:
  selector: {app: api}
  ports:
    - name: http
      port: 80
      targetPort: 8080
`,
  'base/config.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: api-config
data:
  PORT: "8080"
`,
};

/** The overlay of each environment: strategic merge, JSON 6902, replacements, generators, names, namespaces. */
function sharedBaseOverlay(env) {
  if (env === 'staging') {
    return {
      'kustomization.yaml': `resources: [../../base]
namePrefix: stg-
namespace: staging
commonLabels: {tier: web}
configMapGenerator:
  - name: api-config
    behavior: merge
    literals: [PORT=9090]
patches:
  - path: port.yaml
  - patch: '[{op: replace, path: /spec/ports/0/targetPort, value: 9090}]'
    target: {kind: Service, name: api}
replacements:
  - source: {kind: Service, name: api, fieldPath: metadata.name}
    targets: [{select: {kind: Deployment}, fieldPaths: [spec.template.spec.containers.1.env.1.value]}]
`,
      'port.yaml': `{apiVersion: apps/v1, kind: Deployment, metadata: {name: api}, spec: {template: {spec: {containers: [
  {name: api, ports: [{name: http, containerPort: 9090}], env: [{name: PORT, value: "9090"}]}
]}}}}
`,
    };
  }
  if (env === 'production') {
    return {
      'kustomization.yaml': `resources: [../../base]
namespace: production
patches:
  - path: delete-env.yaml
  - target: {kind: Deployment}
    patch: |-
      - op: move
        from: /spec/template/spec/containers/0/env
        path: /spec/template/spec/containers/0/environment
      - op: add
        path: /spec/template/spec/containers/1/ports/-
        value: {containerPort: 9443}
      - op: remove
        path: /spec/selector
`,
      'delete-env.yaml': `kind: Deployment
apiVersion: apps/v1
metadata: {name: api}
spec:
  template:
    spec:
      containers:
        - name: sidecar
          env:
            - name: PORT
              $patch: delete
          ports:
            - $patch: replace
            - containerPort: 9200
`,
    };
  }
  if (env === 'local') return { 'kustomization.yaml': 'resources: [../../base]\nnamespace: local\n' };
  // Not an environment: the base as it is, rendered once more.
  return { 'kustomization.yaml': 'resources: [../../base]\n' };
}

function sharedBaseFiles(dirs) {
  const files = {};
  for (const [p, t] of Object.entries(SHARED_BASE)) files[`deploy/${p}`] = t;
  for (const [env, dir] of Object.entries(dirs)) for (const [p, t] of Object.entries(sharedBaseOverlay(env))) files[`deploy/${dir}/${env}/${p}`] = t;
  return Object.entries(files).map(([path, text]) => ({ path, text }));
}

/** What the render of an environment (`plain`: the unmarked one) says. */
const renderOf = (facts, env) => {
  const r = facts.find((f) => f.env === (env === 'plain' ? undefined : env) && f.renderedFrom?.startsWith('kustomization'));
  assert.ok(r, `a render for ${env}`);
  return JSON.parse(JSON.stringify(r));
};

test('renders over one base share its parse and never write into it: each environment renders as it does alone, in either order, and the base reads as it does alone', () => {
  const envs = ['staging', 'production', 'local', 'plain'];
  const alone = new Map(envs.map((env) => [env, renderOf(extractAll(sharedBaseFiles({ [env]: 'a' })), env)]));
  // The values each environment wrote stay its own; the base's aliased env list is two lists.
  const containers = (env) => Object.fromEntries(alone.get(env).workloads[0].containers.map((c) => [c.name, [c.ports.map((p) => p.containerPort.port), c.env.map((v) => `${v.name}=${v.value}`)]]));
  assert.deepEqual(containers('staging'), { api: [[9090, 8080], ['PORT=9090', 'MODE=base']], sidecar: [[9102], ['PORT=8080', 'MODE=stg-api']] });
  assert.deepEqual(containers('production'), { sidecar: [[9200], []], api: [[8080, 9443], ['PORT=8080', 'MODE=base']] });
  for (const env of ['local', 'plain']) assert.deepEqual(containers(env), { api: [[8080], ['PORT=8080', 'MODE=base']], sidecar: [[9102], ['PORT=8080', 'MODE=base']] });
  assert.deepEqual(envs.map((env) => alone.get(env).configMaps[0].data.map((v) => `${v.name}=${v.value}`)), [['PORT=9090'], ['PORT=8080'], ['PORT=8080'], ['PORT=8080']]);
  assert.deepEqual(envs.map((env) => alone.get(env).services[0].ports.map((p) => p.targetPort.port)), [[9090], [8080], [8080], [8080]]);
  // The base's own files, read for themselves from the parse the renders share: a render consumes them
  // (they stand in for themselves among the facts), and the language server's cache keeps what they read.
  const own = (store) => JSON.parse(JSON.stringify(['deployment', 'service', 'config'].map((f) => store.files.get(`deploy/base/${f}.yaml`)?.facts)));
  const baseAlone = new api.Store();
  api.extract(Object.entries(SHARED_BASE).map(([p, text]) => ({ path: `deploy/${p}`, text })), undefined, baseAlone);
  assert.deepEqual(own(baseAlone).map((f) => [f.kind, f.workloads.length, f.services.length, f.configMaps.length]), [['kubernetes', 1, 0, 0], ['kubernetes', 0, 1, 0], ['kubernetes', 0, 0, 1]]);
  // Folders in alphabetical order are the order of the renders: every render first, between and last.
  for (const order of [['a', 'b', 'c', 'd'], ['d', 'c', 'b', 'a'], ['b', 'd', 'a', 'c'], ['c', 'a', 'd', 'b']]) {
    const dirs = Object.fromEntries(envs.map((env, i) => [env, order[i]]));
    const facts = extractAll(sharedBaseFiles(dirs));
    assert.equal(facts.filter((f) => f.renderedFrom).length, 4);
    const solo = (env) => renderOf(extractAll(sharedBaseFiles({ [env]: dirs[env] })), env);
    for (const env of envs) assert.deepEqual(renderOf(facts, env), solo(env), `${env} rendered in ${dirs[env]}/ beside the others`);
    // With the language server's store: the base's own facts, then an edit of one environment's patch renders it again over the same base.
    const store = new api.Store();
    api.extract(sharedBaseFiles(dirs), undefined, store);
    assert.deepEqual(own(store), own(baseAlone), `the base's own facts with the renders in ${order.join(', ')}`);
    const edited = sharedBaseFiles(dirs).map((f) => (f.path.endsWith('/staging/port.yaml') ? { ...f, text: f.text.replace(/9090/g, '9091') } : f));
    const again = api.extract(edited, undefined, store).facts;
    for (const env of ['production', 'local', 'plain']) assert.deepEqual(renderOf(again, env), solo(env), `${env} after staging's patch was edited`);
    assert.deepEqual(renderOf(again, 'staging').workloads[0].containers[0].ports.map((p) => p.containerPort.port), [9091, 8080]);
  }
});

// GitOps declarations: which environment each declared release is, its values layered as the tool layers
// them and located where they are written, and an edit of a declaration giving what a cold run gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import api from '../../dist/api.js';

const config = api.defaultConfig();

const chart = (name = 'web') => [
  { path: `charts/${name}/Chart.yaml`, text: `apiVersion: v2\nname: ${name}\nversion: 1.0.0\n` },
  { path: `charts/${name}/values.yaml`, text: 'port: 8080\nextra: []\n' },
  {
    path: `charts/${name}/templates/deployment.yaml`,
    text: `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  template:\n    metadata:\n      labels:\n        app: ${name}\n    spec:\n      containers:\n        - name: ${name}\n          image: example/${name}\n          ports:\n            - containerPort: {{ .Values.port }}\n            {{- range .Values.extra }}\n            - containerPort: {{ .port }}\n            {{- end }}\n`,
  },
];

const app = (name, { path = 'charts/web', helm = '', namespace = 'apps' } = {}) =>
  `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: ${name}\nspec:\n  source:\n    repoURL: https://git.example.com/acme/shop.git\n    path: ${path}\n${helm ? `    helm:\n${helm}` : ''}  destination:\n    namespace: ${namespace}\n`;

/** The chart renders GitOps files declared: env, the render's id, and its workloads' ports with where each is written. */
function releases(files) {
  return api
    .extractAll(files, config)
    .filter((f) => f.kind === 'kubernetes' && f.renderedFrom?.includes(' deploys it'))
    .map((f) => ({ env: f.env, file: f.file, workloads: f.workloads.map((w) => ({ name: w.name, ports: w.containers.flatMap((c) => c.ports.map(({ containerPort: p }) => ({ port: p.port, at: `${p.loc.file}:${p.loc.line + 1}:${p.loc.col + 1}` }))) })) }));
}

test('the environment of a release: the declaring file\'s path, else its name, else its destination namespace, else none (a base)', () => {
  const files = [
    ...chart(),
    { path: 'argocd/prod/web.yaml', text: app('web-staging', { namespace: 'qa' }) },
    { path: 'argocd/web-eu.yaml', text: app('web-staging', { namespace: 'qa' }) },
    { path: 'argocd/web-us.yaml', text: app('web-us', { namespace: 'qa' }) },
    { path: 'argocd/web-asia.yaml', text: app('web-asia', { namespace: 'shop' }) },
  ];
  const envs = releases(files).map((r) => [r.file.replace(/ \(.*/, ''), r.env]);
  assert.deepEqual(envs.sort(), [['charts/web#base', undefined], ['charts/web#production', 'production'], ['charts/web#staging', 'staging'], ['charts/web#test', 'test']].sort());
});

test('a declared release replaces the chart\'s own environment of the same name and its base run, and keeps the others', () => {
  const files = [...chart(), { path: 'charts/web/values-staging.yaml', text: 'port: 8181\n' }, { path: 'charts/web/values-production.yaml', text: 'port: 8282\n' }, { path: 'deploy/web-production.yaml', text: app('web', { helm: '      values: |\n        port: 9000\n' }) }];
  const all = api.extractAll(files, config).filter((f) => f.kind === 'kubernetes' && f.renderedFrom);
  assert.deepEqual(all.map((f) => [f.env, f.workloads[0].containers[0].ports[0].containerPort.port]).sort(), [['production', 9000], ['staging', 8181]]);
});

test('Argo CD values: valueFiles, then values, then parameters (--set typing, list indexes), each port located in the file that writes it', () => {
  const helm = '      valueFiles:\n        - ../../deploy/web.yaml\n      values: |\n        port: 8443\n      parameters:\n        - name: extra[0].port\n          value: "9100"\n';
  const files = [...chart(), { path: 'deploy/web.yaml', text: 'port: 7000\n' }, { path: 'apps/production/web.yaml', text: app('web', { helm }) }];
  const [r] = releases(files);
  assert.deepEqual(r.workloads[0].ports, [
    { port: 8443, at: 'apps/production/web.yaml:13:15' },
    { port: 9100, at: 'apps/production/web.yaml:16:19' },
  ]);
});

test('valuesObject wins over values, and a parameter forced to a string stays one', () => {
  const helm = '      values: |\n        port: 1111\n      valuesObject:\n        port: 2222\n      parameters:\n        - name: port\n          value: "3333"\n          forceString: true\n';
  const files = [...chart(), { path: 'apps/production/web.yaml', text: app('web', { helm }) }];
  const facts = api.extractAll(files, config);
  const r = facts.find((f) => f.kind === 'kubernetes' && f.env === 'production');
  // A string where containerPort needs a number: the reader reports it; 2222 and 1111 are not read.
  const ports = r.workloads[0].containers[0].ports.map((p) => p.containerPort.port);
  assert.ok(!ports.includes(1111) && !ports.includes(2222), `ports ${ports}`);
  const notes = facts.flatMap((f) => f.unknowns ?? []).map((u) => u.message);
  assert.ok(notes.some((m) => /helm\.values is set beside helm\.valuesObject/.test(m)), notes.join('\n'));
});

test('an explicit release name is .Release.Name; without one the chart\'s name is, so that environments line up', () => {
  const files = [...chart(), { path: 'apps/production/web.yaml', text: app('web-production', { helm: '      releaseName: storefront\n' }) }, { path: 'apps/staging/web.yaml', text: app('web-staging') }];
  const names = releases(files).map((r) => [r.env, r.workloads[0].name]).sort();
  assert.deepEqual(names, [['production', 'storefront'], ['staging', 'web']]);
});

test('helmfile: each environment renders each release, {{ .Environment.Name }} and {{ .Values.x }} evaluated in its values paths', () => {
  const files = [
    ...chart(),
    { path: 'env/staging.yaml', text: 'region: eu\n' },
    { path: 'env/production.yaml', text: 'region: us\n' },
    { path: 'values/eu-staging.yaml', text: 'port: 8001\n' },
    { path: 'values/us-production.yaml', text: 'port: 8002\n' },
    { path: 'helmfile.yaml', text: 'environments:\n  staging:\n    values: [env/staging.yaml]\n  production:\n    values: [env/production.yaml]\n---\nreleases:\n  - name: web\n    chart: ./charts/web\n    values:\n      - values/{{ .Values.region }}-{{ .Environment.Name }}.yaml\n' },
  ];
  assert.deepEqual(releases(files).map((r) => [r.env, r.workloads[0].ports[0].at]).sort(), [['production', 'values/us-production.yaml:1:7'], ['staging', 'values/eu-staging.yaml:1:7']]);
});

test('an ApplicationSet git directories generator makes one application per matching folder, excluded ones left out', () => {
  const files = [
    ...chart('web'),
    { path: 'envs/staging/values.yaml', text: 'port: 8500\n' },
    { path: 'envs/production/values.yaml', text: 'port: 8600\n' },
    { path: 'envs/sandbox/values.yaml', text: 'port: 8700\n' },
    {
      path: 'argocd/web.yaml',
      text: 'apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: web\nspec:\n  goTemplate: true\n  generators:\n    - git:\n        repoURL: https://git.example.com/acme/shop.git\n        revision: HEAD\n        directories:\n          - path: envs/*\n          - path: envs/sandbox\n            exclude: true\n  template:\n    metadata:\n      name: \'web-{{ .path.basename }}\'\n    spec:\n      source:\n        repoURL: https://git.example.com/acme/shop.git\n        path: charts/web\n        helm:\n          valueFiles:\n            - \'../../{{ .path.path }}/values.yaml\'\n      destination:\n        namespace: web\n',
    },
  ];
  assert.deepEqual(releases(files).map((r) => [r.env, r.workloads[0].ports[0].port]).sort(), [['production', 8600], ['staging', 8500]]);
});

test('a Flux Kustomization deploys a folder as the environment its path or name marks', () => {
  const files = [
    { path: 'apps/eu-west/kustomization.yaml', text: 'resources:\n  - deployment.yaml\n' },
    { path: 'apps/eu-west/deployment.yaml', text: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: example/api\n          ports:\n            - containerPort: 8080\n' },
    { path: 'clusters/prod/apps.yaml', text: 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  interval: 10m\n  path: ./apps/eu-west\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n' },
  ];
  const r = api.extractAll(files, config).filter((f) => f.kind === 'kubernetes' && f.renderedFrom?.startsWith('kustomization'));
  assert.deepEqual(r.map((f) => f.env), ['production']);
});

test('an edit of a declaration (a release\'s inline port, a new release) gives what a cold run gives', () => {
  const store = new api.Store();
  let files = [...chart(), { path: 'apps/production/web.yaml', text: app('web', { helm: '      values: |\n        port: 9000\n' }) }];
  const check = () => assert.deepEqual(api.extract(files, config, store).facts, api.extractAll(files, config));
  check();
  files = files.map((f) => (f.path === 'apps/production/web.yaml' ? { ...f, text: f.text.replace('9000', '9001') } : f));
  check();
  assert.equal(releases(files)[0].workloads[0].ports[0].port, 9001);
  files = [...files, { path: 'apps/staging/web.yaml', text: app('web') }];
  check();
  files = files.map((f) => (f.path === 'charts/web/values.yaml' ? { ...f, text: 'port: 8081\nextra: []\n' } : f));
  check();
  assert.deepEqual(releases(files).map((r) => r.workloads[0].ports[0].port).sort(), [8081, 9001]);
});

test('Flux objects whose chart or folder is not this repository\'s say so at the line: an artifact\'s path, an OCI chartRef, a patch naming no chart', () => {
  const files = [
    { path: 'apps/production/kustomization.yaml', text: 'resources: []\n' },
    { path: 'clusters/production/apps.yaml', text: 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\nspec:\n  sourceRef:\n    kind: ExternalArtifact\n    name: apps\n  path: ./production\n' },
    { path: 'infra/gateway.yaml', text: 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: gateway\nspec:\n  chartRef:\n    kind: OCIRepository\n    name: gateway-helm\n' },
    { path: 'apps/production/values-patch.yaml', text: 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: podinfo\nspec:\n  chart:\n    spec:\n      version: ">=1.0.0"\n  values:\n    replicaCount: 2\n' },
  ];
  const notes = api.extractAll(files, config).flatMap((f) => (f.unknowns ?? []).map((u) => `${u.loc.file}:${u.loc.line + 1} ${u.message}`));
  assert.deepEqual(notes.sort(), [
    'apps/production/values-patch.yaml:4 Flux HelmRelease podinfo: it names no chart (a Kustomize patch of a HelmRelease?): the values it writes are not followed into the release it patches',
    "clusters/production/apps.yaml:7 Flux Kustomization apps reads ./production from an ExternalArtifact apps, whose folders are not this repository's as written: not checked",
    'infra/gateway.yaml:7 Flux HelmRelease gateway: its chart comes from an OCIRepository gateway-helm, which is not a chart folder of the workspace: its ports are not checked',
  ]);
});

test('after a chart edit, the language server\'s steps render the declared releases, and the extraction that follows takes them from the store', () => {
  const store = new api.Store();
  let files = [...chart(), { path: 'apps/production/web.yaml', text: app('web', { helm: '      values: |\n        port: 9000\n' }) }];
  api.extract(files, config, store);
  files = files.map((f) => (f.path === 'charts/web/templates/deployment.yaml' ? { ...f, text: f.text.replace('image: example/web', 'image: example/web:2') } : f));
  const steps = [...api.extractSteps(files, config, store, () => ({}))];
  assert.ok(steps.length > 0, 'the edited chart renders in steps');
  const kept = store.renders.charts.get('charts/web').facts;
  const r = api.extract(files, config, store);
  assert.deepEqual(r.facts, api.extractAll(files, config));
  assert.ok(kept.every((f) => r.facts.includes(f)), 'the renders the steps made are the ones the extraction gives');
});

test('a path Port Parity did not read is said as such: another repository, or a folder .gitignore leaves out (aks-store-demo ignores its kustomize/)', () => {
  const files = [{ path: 'sample-manifests/argocd/pets.yaml', text: app('pets', { path: 'kustomize/overlays/kaito' }) }];
  const notes = api.extractAll(files, config).flatMap((f) => f.unknowns ?? []).map((p) => p.message);
  assert.deepEqual(notes, ['Argo CD Application pets: kustomize/overlays/kaito is not a folder Port Parity reads here (another repository, or left out by .gitignore?): not checked']);
});

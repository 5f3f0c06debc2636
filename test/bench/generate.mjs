// Deterministic synthetic monorepo for the benchmark: N services, each with a Dockerfile, a .env and a
// staging and a production manifest, compose stacks of 100 services, source files, ignored folders and
// a node_modules tree the walk must skip, with ~2% planted drifts whose expected findings are recorded.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Bump whenever the generated content changes: existing trees are then regenerated. */
export const GENERATOR_VERSION = 4;
export const DEFAULT_SEED = 0x5eed1234;
export const MANIFEST = 'bench-manifest.json';
/** Services per compose stack (`stack-<g>/docker-compose.yml`). */
export const STACK_SIZE = 100;

/**
 * The drift kinds, planted round-robin on services with `i % driftEvery === 7`; `rule` is the finding
 * each must produce at `file` (the other findings a drift causes are its natural consequences).
 */
export const DRIFTS = [
  { kind: 'staging-container-port', rule: 'port-parity', file: (s) => `deploy/staging/${s}.yaml` },
  { kind: 'dockerfile-expose', rule: 'expose-mismatch', file: (s) => `services/${s}/Dockerfile` },
  { kind: 'production-env-port', rule: 'env-port-mismatch', file: (s) => `deploy/production/${s}.yaml` },
  { kind: 'liveness-probe-port', rule: 'probe-port', file: (s) => `deploy/production/${s}.yaml` },
  { kind: 'staging-target-port', rule: 'service-target-port', file: (s) => `deploy/staging/${s}.yaml` },
  { kind: 'cmd-port-flag', rule: 'command-port-mismatch', file: (s) => `services/${s}/Dockerfile` },
  { kind: 'compose-host-port-clash', rule: 'duplicate-port', file: (s, stack) => `${stack}/docker-compose.yml` },
  { kind: 'compose-container-port', rule: 'port-parity', file: (s, stack) => `${stack}/docker-compose.yml` },
  { kind: 'ingress-target-port', rule: 'ingress-backend-port', file: (s) => `deploy/production/${s}.yaml` },
  { kind: 'netpol-port', rule: 'networkpolicy-port', file: (s) => `deploy/production/${s}.yaml` },
];

/** mulberry32: small, fast and the same on every platform. */
function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (xs) => xs[Math.floor(next() * xs.length)],
    chance: (p) => next() < p,
  };
}

/** Each service draws from its own stream, so service i looks the same whatever N is. */
function serviceRng(seed, i) {
  return rng((seed ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0);
}

function stackOf(i) {
  return `stack-${String(Math.floor(i / STACK_SIZE)).padStart(2, '0')}`;
}

/** The plan of one service: everything the files are made from. */
function planService(seed, i, driftEvery) {
  const r = serviceRng(seed, i);
  const name = `svc-${i}`;
  const lang = r.pick(['node', 'node', 'node', 'python', 'python', 'go']);
  const port = r.pick([3000, 8000, 8080, 5000, 9090, 4000]) + (r.chance(0.3) ? r.int(1, 9) : 0);
  const drift = driftEvery > 0 && i % driftEvery === 7 ? DRIFTS[Math.floor(i / driftEvery) % DRIFTS.length] : undefined;
  return {
    i,
    name,
    lang,
    port,
    multiStage: lang === 'go' || r.chance(0.4),
    exposeVar: r.chance(0.5),
    healthcheck: r.chance(0.6),
    sidecar: r.pick([undefined, undefined, undefined, undefined, undefined, undefined, 'metrics', 'logs']),
    namedTarget: r.chance(0.7),
    livenessTcp: r.chance(0.4),
    shortBuild: r.chance(0.3),
    envFile: r.chance(0.5),
    composeHealth: r.chance(0.5),
    replicas: r.int(2, 6),
    upstream: i > 0 ? `svc-${r.int(0, i - 1)}` : undefined,
    ingress: r.chance(0.5) || drift?.kind === 'ingress-target-port',
    ingressByName: r.chance(0.5),
    netpol: r.chance(0.4) || drift?.kind === 'netpol-port',
    netpolByName: r.chance(0.5),
    drift: drift?.kind,
    stack: stackOf(i),
  };
}

// ---------------------------------------------------------------------------------------------
// File contents.

function dockerfile(s) {
  const p = s.port;
  const exposed = s.drift === 'dockerfile-expose' ? String(p + 100) : s.exposeVar ? '${PORT}' : String(p);
  const cmdPort = s.drift === 'cmd-port-flag' ? p + 5 : p;
  const health = s.healthcheck ? `HEALTHCHECK --interval=30s --timeout=3s CMD wget -qO- http://localhost:${p}/healthz || exit 1\n` : '';
  if (s.lang === 'go') {
    return `# ${s.name}: static Go binary on distroless
FROM golang:1.22-alpine AS build
WORKDIR /src
COPY go.mod ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 GOOS=linux go build -trimpath -ldflags="-s -w" \\
    -o /out/server ./cmd/server

FROM gcr.io/distroless/static-debian12 AS runtime
COPY --from=build /out/server /server
ENV PORT=${p}
EXPOSE ${s.drift === 'dockerfile-expose' ? exposed : p}/tcp
USER 65532:65532
ENTRYPOINT ["/server"]
CMD ["--listen", ":${cmdPort}"]
`;
  }
  if (s.lang === 'python') {
    const stages = s.multiStage
      ? `FROM python:3.12-slim AS deps
WORKDIR /app
COPY requirements.txt .
RUN pip wheel --no-cache-dir --wheel-dir /wheels -r requirements.txt

FROM python:3.12-slim AS runtime
WORKDIR /app
COPY --from=deps /wheels /wheels
RUN pip install --no-cache-dir /wheels/*
`
      : `FROM python:3.12-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
`;
    return `# ${s.name}: ASGI app served by uvicorn
${stages}ARG PORT=${p}
ENV PORT=$PORT \\
    PYTHONUNBUFFERED=1
COPY app ./app
EXPOSE ${exposed}
${health}CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "${cmdPort}"]
`;
  }
  if (s.multiStage) {
    return `# ${s.name}: built with dev dependencies, shipped without
FROM node:20 AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM node:20-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production
ENV PORT=${p}
COPY --from=build /src/dist ./dist
COPY --from=build /src/node_modules ./node_modules
EXPOSE ${exposed}
${health}USER node
CMD ${s.drift === 'cmd-port-flag' ? `node dist/index.js --port ${cmdPort}` : 'node dist/index.js --port $PORT'}
`;
  }
  return `# syntax=docker/dockerfile:1
# ${s.name}
FROM node:20-alpine
WORKDIR /app
ARG PORT=${p}
ENV NODE_ENV=production \\
    PORT=\${PORT}
COPY package.json ./
RUN npm ci --omit=dev
COPY src ./src
EXPOSE ${exposed}
${health}USER node
CMD ["node", "src/index.js", "--port", "${cmdPort}"]
`;
}

function dotenv(s) {
  return `# Local settings for ${s.name}; the orchestrators set their own.
PORT=${s.port}
LOG_LEVEL=debug
DATABASE_URL=postgres://postgres:postgres@db:5432/${s.name.replace(/-/g, '_')}
FEATURE_FLAGS="beta-search,fast-path"
`;
}

function manifest(s, env) {
  const p = s.port;
  const containerPort = s.drift === 'staging-container-port' && env === 'staging' ? p + 1 : p;
  const envPort = s.drift === 'production-env-port' && env === 'production' ? p + 1 : containerPort;
  const targetPort = s.drift === 'staging-target-port' && env === 'staging' ? String(p + 3) : s.namedTarget ? 'http' : String(containerPort);
  const livenessPort = s.drift === 'liveness-probe-port' && env === 'production' ? String(p + 2) : s.livenessTcp ? String(containerPort) : 'http';
  const liveness = s.livenessTcp && s.drift !== 'liveness-probe-port'
    ? `          livenessProbe:
            tcpSocket:
              port: ${livenessPort}
            initialDelaySeconds: 10
`
    : `          livenessProbe:
            httpGet:
              path: /healthz
              port: ${livenessPort}
            initialDelaySeconds: 10
            failureThreshold: 3
`;
  const sidecar = s.sidecar === 'metrics'
    ? `        - name: metrics-exporter
          image: prom/statsd-exporter:v0.26.1
          ports:
            - name: metrics
              containerPort: 9102
`
    : s.sidecar === 'logs'
      ? `        - name: log-shipper
          image: fluent/fluent-bit:3.0
          args: ["-c", "/fluent-bit/etc/fluent-bit.conf"]
`
      : '';
  const metricsPort = s.sidecar === 'metrics'
    ? `    - name: metrics
      port: 9102
      targetPort: metrics
`
    : '';
  const upstream = s.upstream
    ? `            - name: UPSTREAM_URL
              value: http://${s.upstream}.${env}.svc.cluster.local
`
    : '';
  // The classic Ingress mistake: the backend names the container port, not the Service port.
  const ingressPort = s.drift === 'ingress-target-port' && env === 'production' ? `number: ${p}` : s.ingressByName ? 'name: http' : 'number: 80';
  const ingress = s.ingress
    ? `---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${s.name}
  namespace: ${env}
  annotations:
    nginx.ingress.kubernetes.io/proxy-body-size: 8m
spec:
  ingressClassName: nginx
  rules:
    - host: ${s.name}.${env}.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: ${s.name}
                port:
                  ${ingressPort}
`
    : '';
  const policyPort = s.drift === 'netpol-port' && env === 'production' ? String(p + 4) : s.netpolByName ? 'http' : String(containerPort);
  const netpol = s.netpol
    ? `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: ${s.name}-allow-http
  namespace: ${env}
spec:
  podSelector:
    matchLabels:
      app: ${s.name}
  policyTypes:
    - Ingress
  ingress:
    - from:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: ${env}
      ports:
        - protocol: TCP
          port: ${policyPort}
`
    : '';
  return `# ${s.name} in ${env}: generated by test/bench/generate.mjs
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${s.name}
  namespace: ${env}
  labels:
    app: ${s.name}
    app.kubernetes.io/part-of: bench
spec:
  replicas: ${env === 'production' ? s.replicas : 1}
  selector:
    matchLabels:
      app: ${s.name}
  template:
    metadata:
      labels:
        app: ${s.name}
      annotations:
        prometheus.io/scrape: "${s.sidecar === 'metrics'}"
    spec:
      containers:
        - name: ${s.name}
          image: registry.example.com/acme/${s.name}:1.${s.i % 17}.${s.i}
          imagePullPolicy: IfNotPresent
          ports:
            - name: http
              containerPort: ${containerPort}
              protocol: TCP
          env:
            - name: PORT
              value: "${envPort}"
            - name: LOG_LEVEL
              value: ${env === 'production' ? 'info' : 'debug'}
${upstream}          readinessProbe:
            httpGet:
              path: /ready
              port: http
            periodSeconds: 5
${liveness}          resources:
            requests:
              cpu: 100m
              memory: 128Mi
            limits:
              memory: 256Mi
${sidecar}---
apiVersion: v1
kind: Service
metadata:
  name: ${s.name}
  namespace: ${env}
spec:
  selector:
    app: ${s.name}
  ports:
    - name: http
      port: 80
      targetPort: ${targetPort}
${metricsPort}${ingress}${netpol}`;
}

function composeEntry(s, prev) {
  const p = s.port;
  const container = s.drift === 'compose-container-port' ? p + 10 : p;
  const host = s.drift === 'compose-host-port-clash' && prev ? 10000 + prev.i : 10000 + s.i;
  const build = s.shortBuild
    ? `    build: ../services/${s.name}\n`
    : `    build:
      context: ../services/${s.name}
${s.multiStage ? '      target: runtime\n' : ''}      args:
        PORT: "${p}"
`;
  const health = s.composeHealth
    ? `    healthcheck:
      test: ["CMD", "wget", "-qO-", "http://localhost:${p}/healthz"]
      interval: 10s
      retries: 5
`
    : '';
  const envFile = s.envFile ? `    env_file: ../services/${s.name}/.env\n` : '';
  const depends = prev ? `    depends_on:\n      - ${prev.name}\n` : '';
  return `  ${s.name}:
${build}    image: \${REGISTRY}/${s.name}:\${TAG:-dev}
    ports:
      - "${host}:${container}"
    environment:
      PORT: "${p}"
      LOG_LEVEL: debug
${envFile}${health}${depends}`;
}

function composeFile(stack, plans) {
  let out = `# ${stack}: generated by test/bench/generate.mjs\nname: ${stack}\nservices:\n`;
  plans.forEach((s, k) => {
    out += composeEntry(s, k > 0 ? plans[k - 1] : undefined);
  });
  return out;
}

function sourceFiles(s) {
  const readme = `# ${s.name}\n\nListens on port ${s.port}. Run \`docker compose up ${s.name}\` from ../../${s.stack}.\n`;
  if (s.lang === 'node') {
    return {
      'README.md': readme,
      'package.json': `${JSON.stringify({ name: s.name, version: '1.0.0', private: true, main: 'src/index.js', scripts: { start: 'node src/index.js' }, dependencies: { express: '^4.19.2' } }, null, 2)}\n`,
      'src/index.js': `const express = require('express');\nconst app = express();\nconst port = Number(process.env.PORT || ${s.port});\napp.get('/healthz', (req, res) => res.send('ok'));\napp.listen(port);\n`,
      'src/routes.js': `module.exports = (app) => {\n  app.get('/ready', (req, res) => res.json({ service: '${s.name}' }));\n};\n`,
      'test/index.test.js': `require('node:test')('${s.name} starts', () => {});\n`,
    };
  }
  if (s.lang === 'python') {
    return {
      'README.md': readme,
      'requirements.txt': 'fastapi==0.111.0\nuvicorn==0.30.1\n',
      'app/__init__.py': '',
      'app/main.py': `from fastapi import FastAPI\n\napp = FastAPI(title="${s.name}")\n\n\n@app.get("/healthz")\ndef health():\n    return "ok"\n`,
    };
  }
  return {
    'README.md': readme,
    'go.mod': `module example.com/acme/${s.name}\n\ngo 1.22\n`,
    'cmd/server/main.go': `package main\n\nimport "net/http"\n\nfunc main() {\n\thttp.ListenAndServe(":${s.port}", nil)\n}\n`,
    'internal/handler.go': 'package internal\n',
  };
}

/** Third-party packages: code, docs and config-looking files that the walk must never read. */
function nodeModules(seed, count) {
  const r = rng(seed ^ 0xabcdef);
  const files = {};
  for (let k = 0; k < count; k++) {
    const scope = k % 5 === 0 ? `@scope-${k % 7}/` : '';
    const base = `node_modules/${scope}pkg-${k}`;
    files[`${base}/package.json`] = `${JSON.stringify({ name: `${scope}pkg-${k}`, version: `${r.int(0, 9)}.${r.int(0, 20)}.${r.int(0, 40)}`, main: 'index.js' })}\n`;
    files[`${base}/index.js`] = `module.exports = require('./lib/core');\n`;
    files[`${base}/lib/core.js`] = `exports.value = ${r.int(0, 1e6)};\n`;
    files[`${base}/lib/util.js`] = `exports.noop = () => {};\n`;
    files[`${base}/README.md`] = `# pkg-${k}\n`;
    files[`${base}/LICENSE`] = 'MIT\n';
    files[`${base}/Dockerfile`] = `FROM node:20\nEXPOSE ${r.int(1000, 9999)}\n`;
    files[`${base}/docker-compose.yml`] = `services:\n  test:\n    image: redis\n    ports:\n      - "6379:6379"\n`;
    files[`${base}/.env`] = `PORT=${r.int(1000, 9999)}\n`;
    files[`${base}/test/fixtures/deployment.yaml`] = `apiVersion: v1\nkind: Service\nmetadata:\n  name: fixture-${k}\nspec:\n  ports:\n    - port: 80\n      targetPort: 8080\n`;
    files[`${base}/.github/workflows/ci.yml`] = 'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n';
    files[`${base}/node_modules/dep-${k}/index.js`] = '';
  }
  return files;
}

function workflows() {
  return {
    '.github/workflows/ci.yml': `name: ci
on:
  push:
    branches: [main]
  pull_request:
jobs:
  lint:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: npx port-parity check . --format github
`,
    '.github/dependabot.yml': 'version: 2\nupdates:\n  - package-ecosystem: npm\n    directory: /\n    schedule:\n      interval: weekly\n',
  };
}

/**
 * Every file of the monorepo, path → text, plus what was planted.
 * `driftEvery`: one service in this many gets a drift (0: none, for a clean tree). `sources`: false
 * leaves out the services' source files (quicker trees for tests).
 */
export function buildMonorepo({ services = 1000, seed = DEFAULT_SEED, driftEvery = 50, nodeModulesPackages = 250, sources = true } = {}) {
  const files = {};
  const plans = [];
  for (let i = 0; i < services; i++) plans.push(planService(seed, i, driftEvery));
  const planted = [];
  for (const s of plans) {
    const dir = `services/${s.name}`;
    files[`${dir}/Dockerfile`] = dockerfile(s);
    files[`${dir}/.env`] = dotenv(s);
    files[`deploy/staging/${s.name}.yaml`] = manifest(s, 'staging');
    files[`deploy/production/${s.name}.yaml`] = manifest(s, 'production');
    if (sources) for (const [rel, text] of Object.entries(sourceFiles(s))) files[`${dir}/${rel}`] = text;
    // Generated output (.gitignore: dist/) and fixtures (.portparity.yaml: ignore) must not be read.
    if (s.i % 20 === 3) files[`${dir}/dist/deployment.yaml`] = manifest({ ...s, port: s.port + 1, drift: undefined }, 'production');
    if (s.i % 40 === 11) files[`${dir}/testdata/docker-compose.yml`] = `services:\n  broken:\n    ports:\n      - "not-a-port"\n`;
    if (s.i % 25 === 5) {
      files[`${dir}/node_modules/local-dep/Dockerfile`] = 'FROM scratch\nEXPOSE 1\n';
      files[`${dir}/node_modules/local-dep/index.js`] = '';
    }
    if (s.drift) {
      const d = DRIFTS.find((x) => x.kind === s.drift);
      planted.push({ service: s.name, kind: d.kind, rule: d.rule, file: d.file(s.name, s.stack) });
    }
  }
  const stacks = new Map();
  for (const s of plans) {
    if (!stacks.has(s.stack)) stacks.set(s.stack, []);
    stacks.get(s.stack).push(s);
  }
  for (const [stack, members] of stacks) {
    files[`${stack}/docker-compose.yml`] = composeFile(stack, members);
    files[`${stack}/.env`] = `# interpolation for ${stack}\nREGISTRY=registry.example.com/acme\nTAG=local\n`;
    files[`${stack}/README.md`] = `# ${stack}\n\n${members.length} services.\n`;
  }
  Object.assign(files, workflows(), nodeModules(seed, nodeModulesPackages));
  files['.gitignore'] = 'dist/\n*.log\ncoverage/\n';
  files['.portparity.yaml'] = 'reference: production\nignore:\n  - "**/testdata/**"\n';
  files['README.md'] = `# Synthetic monorepo\n\n${services} services, generated by test/bench/generate.mjs (version ${GENERATOR_VERSION}, seed ${seed}).\n`;
  files['package.json'] = `${JSON.stringify({ name: 'bench-mono', private: true, workspaces: ['services/*'] }, null, 2)}\n`;
  return { files, planted };
}

const DEFAULTS = { services: 1000, seed: DEFAULT_SEED, driftEvery: 50, nodeModulesPackages: 250, sources: true };

/** Writes the tree into `dir` (replacing it), atomically: a half-written tree is never taken for a finished one. */
export function writeMonorepo(dir, options = {}) {
  const opts = { ...DEFAULTS, ...options };
  const { files, planted } = buildMonorepo(opts);
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  const made = new Set();
  let bytes = 0;
  for (const [rel, text] of Object.entries(files)) {
    const full = join(tmp, rel);
    const d = dirname(full);
    if (!made.has(d)) {
      mkdirSync(d, { recursive: true });
      made.add(d);
    }
    writeFileSync(full, text);
    bytes += Buffer.byteLength(text);
  }
  const paths = Object.keys(files);
  const info = {
    generatorVersion: GENERATOR_VERSION,
    ...opts,
    files: paths.length,
    bytes,
    nodeModulesFiles: paths.filter((p) => p.includes('node_modules/')).length,
    planted,
  };
  writeFileSync(join(tmp, MANIFEST), `${JSON.stringify(info, null, 2)}\n`);
  rmSync(dir, { recursive: true, force: true });
  try {
    renameSync(tmp, dir);
  } catch (e) {
    // Another process (a second bench, the tests) finished the same tree first: theirs will do.
    rmSync(tmp, { recursive: true, force: true });
    const theirs = readManifest(dir);
    if (theirs?.generatorVersion !== GENERATOR_VERSION) throw e;
    return theirs;
  }
  return info;
}

/** The manifest of an existing tree, or undefined. */
export function readManifest(dir) {
  try {
    return JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8'));
  } catch {
    return undefined;
  }
}

/** The tree at `dir`, generated unless it exists from this generator version with these options. */
export function ensureMonorepo(dir, options = {}) {
  const opts = { ...DEFAULTS, ...options };
  const have = existsSync(dir) ? readManifest(dir) : undefined;
  const same = have && have.generatorVersion === GENERATOR_VERSION && Object.keys(opts).every((k) => have[k] === opts[k]);
  if (same) return { dir, generated: false, manifest: have };
  return { dir, generated: true, manifest: writeMonorepo(dir, opts) };
}

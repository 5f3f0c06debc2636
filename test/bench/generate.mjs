// Deterministic synthetic monorepo for the benchmark: N services, each with a Dockerfile and a .env,
// compose stacks of 100 services, source files, ignored folders and a node_modules tree the walk must
// skip, with ~2% planted drifts whose expected findings are recorded. The Kubernetes side comes in three
// variants: `manifests` (a staging and a production manifest per service under deploy/), `charts` (a
// Helm chart per service, as `helm create` scaffolds it, with staging and production values files) and
// `overlays` (a Kustomize base per service with staging and production overlays).
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Bump whenever the generated content changes: existing trees are then regenerated. */
export const GENERATOR_VERSION = 6;
export const DEFAULT_SEED = 0x5eed1234;
export const MANIFEST = 'bench-manifest.json';
/** Services per compose stack (`stack-<g>/docker-compose.yml`). */
export const STACK_SIZE = 100;
/** How each service's Kubernetes side is written. */
export const VARIANTS = ['manifests', 'charts', 'overlays'];

/** The tree of one variant and size: `<root>/mono-<variant>-<N>` (e.g. `.bench/mono-charts-1000`). */
export function treeDir(root, variant, services) {
  return join(root, `mono-${variant}-${services}`);
}

/**
 * The drift kinds of the `manifests` variant, planted round-robin on services with `i % driftEvery === 7`;
 * `rule` is the finding each must produce at `file` (the other findings a drift causes are its natural
 * consequences, on the same service).
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

const shared = (kind) => DRIFTS.find((d) => d.kind === kind);

/** The drift kinds of the `charts` variant (`services/<s>/chart/`). */
export const CHART_DRIFTS = [
  // values-staging.yaml moves the port (containerPort and Service port both follow .Values.service.port).
  { kind: 'values-staging-port', rule: 'port-parity', file: (s) => `services/${s}/chart/values-staging.yaml` },
  shared('dockerfile-expose'),
  // values-production.yaml restates the env list with another PORT.
  { kind: 'values-production-env-port', rule: 'env-port-mismatch', file: (s) => `services/${s}/chart/values-production.yaml` },
  // The template writes its liveness probe by hand, with a port literal the container does not serve.
  { kind: 'template-probe-port', rule: 'probe-port', file: (s) => `services/${s}/chart/templates/deployment.yaml` },
  // The template's Service targets a number instead of the named port.
  { kind: 'template-target-port', rule: 'service-target-port', file: (s) => `services/${s}/chart/templates/service.yaml` },
  shared('cmd-port-flag'),
  shared('compose-host-port-clash'),
  // values-production.yaml moves the port. Production is the reference, so staging and local are the
  // ones that differ: the finding is at values.yaml, where staging's port comes from (and in compose).
  { kind: 'values-production-port', rule: 'port-parity', file: (s) => `services/${s}/chart/values.yaml`, plantedIn: (s) => `services/${s}/chart/values-production.yaml` },
  // values-production.yaml overrides the liveness probe's port with a number the container does not serve.
  { kind: 'values-probe-port', rule: 'probe-port', file: (s) => `services/${s}/chart/values-production.yaml` },
  shared('compose-container-port'),
];

/** The drift kinds of the `overlays` variant (`services/<s>/k8s/`). */
export const OVERLAY_DRIFTS = [
  // A JSON 6902 patch in the staging overlay replaces the containerPort.
  { kind: 'overlay-staging-container-port', rule: 'port-parity', file: (s) => `services/${s}/k8s/overlays/staging/port-patch.yaml` },
  shared('dockerfile-expose'),
  // The production overlay's strategic-merge patch sets another PORT.
  { kind: 'overlay-production-env-port', rule: 'env-port-mismatch', file: (s) => `services/${s}/k8s/overlays/production/deployment-patch.yaml` },
  // A production patch points the liveness probe at a port the container does not serve.
  { kind: 'overlay-probe-port', rule: 'probe-port', file: (s) => `services/${s}/k8s/overlays/production/probe-patch.yaml` },
  // A staging patch retargets the Service (merged by `port`) at a number no container declares.
  { kind: 'overlay-staging-target-port', rule: 'service-target-port', file: (s) => `services/${s}/k8s/overlays/staging/service-patch.yaml` },
  shared('cmd-port-flag'),
  shared('compose-host-port-clash'),
  // A JSON 6902 patch in the production overlay (the reference) replaces the containerPort: staging keeps
  // the base's port, so the finding is at the base (and in compose).
  { kind: 'overlay-production-container-port', rule: 'port-parity', file: (s) => `services/${s}/k8s/base/deployment.yaml`, plantedIn: (s) => `services/${s}/k8s/overlays/production/port-patch.yaml` },
  // The classic strategic-merge mistake: ports merge by containerPort, so "changing" it adds a second
  // `http`. duplicate-port reports the second name in kubectl's merged order, which is the base's item
  // (the patch's comes first), so the finding is at the base, with the patch as related information.
  // Reported in the patch that added the second port, not in the base the other environments share.
  { kind: 'overlay-merge-adds-port', rule: 'duplicate-port', file: (s) => `services/${s}/k8s/overlays/staging/port-patch.yaml` },
  shared('compose-container-port'),
];

export const DRIFTS_BY_VARIANT = { manifests: DRIFTS, charts: CHART_DRIFTS, overlays: OVERLAY_DRIFTS };

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
function planService(seed, i, driftEvery, variant = 'manifests') {
  const r = serviceRng(seed, i);
  const name = `svc-${i}`;
  const lang = r.pick(['node', 'node', 'node', 'python', 'python', 'go']);
  const port = r.pick([3000, 8000, 8080, 5000, 9090, 4000]) + (r.chance(0.3) ? r.int(1, 9) : 0);
  const kinds = DRIFTS_BY_VARIANT[variant];
  const drift = driftEvery > 0 && i % driftEvery === 7 ? kinds[Math.floor(i / driftEvery) % kinds.length] : undefined;
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

/** The pod's second container, when the service has one (a metrics exporter serves a port, a log shipper none). */
function sidecarContainer(s) {
  if (s.sidecar === 'metrics') {
    return `        - name: metrics-exporter
          image: prom/statsd-exporter:v0.26.1
          ports:
            - name: metrics
              containerPort: 9102
`;
  }
  if (s.sidecar === 'logs') {
    return `        - name: log-shipper
          image: fluent/fluent-bit:3.0
          args: ["-c", "/fluent-bit/etc/fluent-bit.conf"]
`;
  }
  return '';
}

/** A liveness probe over TCP or HTTP on `port` (a number or a port name). */
function livenessProbe(tcp, port) {
  return tcp
    ? `          livenessProbe:
            tcpSocket:
              port: ${port}
            initialDelaySeconds: 10
`
    : `          livenessProbe:
            httpGet:
              path: /healthz
              port: ${port}
            initialDelaySeconds: 10
            failureThreshold: 3
`;
}

function manifest(s, env) {
  const p = s.port;
  const containerPort = s.drift === 'staging-container-port' && env === 'staging' ? p + 1 : p;
  const envPort = s.drift === 'production-env-port' && env === 'production' ? p + 1 : containerPort;
  const targetPort = s.drift === 'staging-target-port' && env === 'staging' ? String(p + 3) : s.namedTarget ? 'http' : String(containerPort);
  const livenessPort = s.drift === 'liveness-probe-port' && env === 'production' ? String(p + 2) : s.livenessTcp ? String(containerPort) : 'http';
  const liveness = livenessProbe(s.livenessTcp && s.drift !== 'liveness-probe-port', livenessPort);
  const sidecar = sidecarContainer(s);
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

// ---------------------------------------------------------------------------------------------
// The `charts` variant: a Helm chart per service, as `helm create` scaffolds it (Helm 3.14+), with the
// service's port in `.Values.service.port`, probes on the named port, and staging and production
// values files layered on values.yaml.

function helpers(c) {
  return `{{/*
Expand the name of the chart.
*/}}
{{- define "${c}.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Create a default fully qualified app name.
We truncate at 63 chars because some Kubernetes name fields are limited to this (by the DNS naming spec).
If release name contains chart name it will be used as a full name.
*/}}
{{- define "${c}.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Create chart name and version as used by the chart label.
*/}}
{{- define "${c}.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Common labels
*/}}
{{- define "${c}.labels" -}}
helm.sh/chart: {{ include "${c}.chart" . }}
{{ include "${c}.selectorLabels" . }}
{{- if .Chart.AppVersion }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
Selector labels
*/}}
{{- define "${c}.selectorLabels" -}}
app.kubernetes.io/name: {{ include "${c}.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Create the name of the service account to use
*/}}
{{- define "${c}.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "${c}.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}
`;
}

function chartDeployment(s) {
  const c = s.name;
  // The drift: a probe written into the template by hand, on a port the container does not serve.
  const liveness = s.drift === 'template-probe-port'
    ? `          livenessProbe:
            httpGet:
              path: /healthz
              port: ${s.port + 2}
            initialDelaySeconds: 10
`
    : `          livenessProbe:
            {{- toYaml .Values.livenessProbe | nindent 12 }}
`;
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "${c}.fullname" . }}
  labels:
    {{- include "${c}.labels" . | nindent 4 }}
spec:
  {{- if not .Values.autoscaling.enabled }}
  replicas: {{ .Values.replicaCount }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "${c}.selectorLabels" . | nindent 6 }}
  template:
    metadata:
      {{- with .Values.podAnnotations }}
      annotations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      labels:
        {{- include "${c}.labels" . | nindent 8 }}
        {{- with .Values.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      {{- with .Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      serviceAccountName: {{ include "${c}.serviceAccountName" . }}
      securityContext:
        {{- toYaml .Values.podSecurityContext | nindent 8 }}
      containers:
        - name: {{ .Chart.Name }}
          securityContext:
            {{- toYaml .Values.securityContext | nindent 12 }}
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"
          imagePullPolicy: {{ .Values.image.pullPolicy }}
          ports:
            - name: http
              containerPort: {{ .Values.service.port }}
              protocol: TCP
          {{- with .Values.env }}
          env:
            {{- toYaml . | nindent 12 }}
          {{- end }}
${liveness}          readinessProbe:
            {{- toYaml .Values.readinessProbe | nindent 12 }}
          resources:
            {{- toYaml .Values.resources | nindent 12 }}
          {{- with .Values.volumeMounts }}
          volumeMounts:
            {{- toYaml . | nindent 12 }}
          {{- end }}
      {{- with .Values.volumes }}
      volumes:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .Values.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .Values.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .Values.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
`;
}

function chartService(s) {
  const c = s.name;
  const target = s.drift === 'template-target-port' ? String(s.port + 3) : 'http';
  return `apiVersion: v1
kind: Service
metadata:
  name: {{ include "${c}.fullname" . }}
  labels:
    {{- include "${c}.labels" . | nindent 4 }}
spec:
  type: {{ .Values.service.type }}
  ports:
    - port: {{ .Values.service.port }}
      targetPort: ${target}
      protocol: TCP
      name: http
  selector:
    {{- include "${c}.selectorLabels" . | nindent 4 }}
`;
}

function chartIngress(s) {
  const c = s.name;
  return `{{- if .Values.ingress.enabled -}}
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {{ include "${c}.fullname" . }}
  labels:
    {{- include "${c}.labels" . | nindent 4 }}
  {{- with .Values.ingress.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  {{- with .Values.ingress.className }}
  ingressClassName: {{ . }}
  {{- end }}
  {{- if .Values.ingress.tls }}
  tls:
    {{- range .Values.ingress.tls }}
    - hosts:
        {{- range .hosts }}
        - {{ . | quote }}
        {{- end }}
      secretName: {{ .secretName }}
    {{- end }}
  {{- end }}
  rules:
    {{- range .Values.ingress.hosts }}
    - host: {{ .host | quote }}
      http:
        paths:
          {{- range .paths }}
          - path: {{ .path }}
            {{- with .pathType }}
            pathType: {{ . }}
            {{- end }}
            backend:
              service:
                name: {{ include "${c}.fullname" $ }}
                port:
                  number: {{ $.Values.service.port }}
          {{- end }}
    {{- end }}
{{- end }}
`;
}

function chartServiceAccount(s) {
  const c = s.name;
  return `{{- if .Values.serviceAccount.create -}}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ include "${c}.serviceAccountName" . }}
  labels:
    {{- include "${c}.labels" . | nindent 4 }}
  {{- with .Values.serviceAccount.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
automountServiceAccountToken: {{ .Values.serviceAccount.automount }}
{{- end }}
`;
}

function chartHpa(s) {
  const c = s.name;
  return `{{- if .Values.autoscaling.enabled }}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ include "${c}.fullname" . }}
  labels:
    {{- include "${c}.labels" . | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ include "${c}.fullname" . }}
  minReplicas: {{ .Values.autoscaling.minReplicas }}
  maxReplicas: {{ .Values.autoscaling.maxReplicas }}
  metrics:
    {{- if .Values.autoscaling.targetCPUUtilizationPercentage }}
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ .Values.autoscaling.targetCPUUtilizationPercentage }}
    {{- end }}
    {{- if .Values.autoscaling.targetMemoryUtilizationPercentage }}
    - type: Resource
      resource:
        name: memory
        target:
          type: Utilization
          averageUtilization: {{ .Values.autoscaling.targetMemoryUtilizationPercentage }}
    {{- end }}
{{- end }}
`;
}

function chartTestConnection(s) {
  const c = s.name;
  return `apiVersion: v1
kind: Pod
metadata:
  name: "{{ include "${c}.fullname" . }}-test-connection"
  labels:
    {{- include "${c}.labels" . | nindent 4 }}
  annotations:
    "helm.sh/hook": test
spec:
  containers:
    - name: wget
      image: busybox
      command: ['wget']
      args: ['{{ include "${c}.fullname" . }}:{{ .Values.service.port }}']
  restartPolicy: Never
`;
}

function probeValues(s, port, indent = '') {
  const body = s.livenessTcp
    ? `tcpSocket:\n  port: ${port}\ninitialDelaySeconds: 10\n`
    : `httpGet:\n  path: /healthz\n  port: ${port}\ninitialDelaySeconds: 10\nfailureThreshold: 3\n`;
  return body.split('\n').map((l) => (l ? indent + l : l)).join('\n');
}

function chartEnv(s, env, upstream) {
  const port = s.drift === 'values-production-env-port' && env === 'production' ? s.port + 1 : s.port;
  const up = upstream ? `  - name: UPSTREAM_URL\n    value: http://${upstream.name}:${upstream.port}\n` : '';
  return `env:
  - name: PORT
    value: "${port}"
  - name: LOG_LEVEL
    value: ${env === 'production' ? 'info' : 'debug'}
${up}`;
}

function chartValues(s, upstream) {
  return `# Default values for ${s.name}.
# This is a YAML-formatted file.
# Declare variables to be passed into your templates.

# This will set the replicaset count more information can be found here: https://kubernetes.io/docs/concepts/workloads/controllers/replicaset/
replicaCount: 1

# This sets the container image more information can be found here: https://kubernetes.io/docs/concepts/containers/images/
image:
  repository: registry.example.com/acme/${s.name}
  # This sets the pull policy for images.
  pullPolicy: IfNotPresent
  # Overrides the image tag whose default is the chart appVersion.
  tag: ""

imagePullSecrets: []
nameOverride: ""
fullnameOverride: ""

serviceAccount:
  # Specifies whether a service account should be created
  create: true
  # Automatically mount a ServiceAccount's API credentials?
  automount: true
  # Annotations to add to the service account
  annotations: {}
  # The name of the service account to use.
  # If not set and create is true, a name is generated using the fullname template
  name: ""

podAnnotations:
  prometheus.io/scrape: "false"
podLabels:
  app.kubernetes.io/part-of: bench

podSecurityContext: {}
  # fsGroup: 2000

securityContext: {}
  # capabilities:
  #   drop:
  #   - ALL
  # readOnlyRootFilesystem: true
  # runAsNonRoot: true
  # runAsUser: 1000

# The container listens on this port too (helm create: containerPort: {{ .Values.service.port }}).
service:
  type: ClusterIP
  port: ${s.port}

${chartEnv(s, 'default', upstream)}
ingress:
  enabled: false
  className: ""
  annotations: {}
    # kubernetes.io/ingress.class: nginx
    # kubernetes.io/tls-acme: "true"
  hosts:
    - host: chart-example.local
      paths:
        - path: /
          pathType: ImplementationSpecific
  tls: []
  #  - secretName: chart-example-tls
  #    hosts:
  #      - chart-example.local

resources:
  requests:
    cpu: 100m
    memory: 128Mi
  limits:
    memory: 256Mi

livenessProbe:
${probeValues(s, 'http', '  ')}readinessProbe:
  httpGet:
    path: /ready
    port: http
  periodSeconds: 5

autoscaling:
  enabled: false
  minReplicas: 1
  maxReplicas: 100
  targetCPUUtilizationPercentage: 80
  # targetMemoryUtilizationPercentage: 80

# Additional volumes on the output Deployment definition.
volumes: []
# - name: foo
#   secret:
#     secretName: mysecret
#     optional: false

# Additional volumeMounts on the output Deployment definition.
volumeMounts: []
# - name: foo
#   mountPath: "/etc/foo"
#   readOnly: true

nodeSelector: {}

tolerations: []

affinity: {}
`;
}

function chartEnvValues(s, env, upstream) {
  const port = s.drift === 'values-staging-port' && env === 'staging' ? s.port + 1 : s.drift === 'values-production-port' && env === 'production' ? s.port + 1 : undefined;
  const service = port ? `service:\n  port: ${port}\n` : '';
  const probe = s.drift === 'values-probe-port' && env === 'production' ? `livenessProbe:\n${probeValues(s, s.port + 2, '  ')}` : '';
  const ingress = s.ingress && env === 'production'
    ? `ingress:
  enabled: true
  className: nginx
  annotations:
    nginx.ingress.kubernetes.io/proxy-body-size: 8m
  hosts:
    - host: ${s.name}.example.com
      paths:
        - path: /
          pathType: Prefix
`
    : '';
  if (env === 'staging') {
    return `# ${s.name} in staging: layered on values.yaml
replicaCount: 1
image:
  tag: "1.${s.i % 17}.${s.i}-rc.1"
${service}`;
  }
  return `# ${s.name} in production: layered on values.yaml
replicaCount: ${s.replicas}
image:
  tag: "1.${s.i % 17}.${s.i}"
${service}${chartEnv(s, 'production', upstream)}resources:
  requests:
    cpu: 250m
    memory: 256Mi
  limits:
    memory: 512Mi
${probe}${ingress}`;
}

function chartFiles(s, upstream) {
  return {
    'Chart.yaml': `apiVersion: v2
name: ${s.name}
description: A Helm chart for Kubernetes

# A chart can be either an 'application' or a 'library' chart.
type: application

# This is the chart version.
version: 0.1.${s.i}

# This is the version number of the application being deployed.
appVersion: "1.${s.i % 17}.${s.i}"
`,
    '.helmignore': '.DS_Store\n.git/\n*.swp\n*.bak\n*.tmp\n.vscode/\n',
    'values.yaml': chartValues(s, upstream),
    'values-staging.yaml': chartEnvValues(s, 'staging', upstream),
    'values-production.yaml': chartEnvValues(s, 'production', upstream),
    'templates/_helpers.tpl': helpers(s.name),
    'templates/deployment.yaml': chartDeployment(s),
    'templates/service.yaml': chartService(s),
    'templates/ingress.yaml': chartIngress(s),
    'templates/serviceaccount.yaml': chartServiceAccount(s),
    'templates/hpa.yaml': chartHpa(s),
    'templates/tests/test-connection.yaml': chartTestConnection(s),
    'templates/NOTES.txt': `1. Get the application URL by running these commands:\n  kubectl --namespace {{ .Release.Namespace }} port-forward svc/{{ include "${s.name}.fullname" . }} 8080:{{ .Values.service.port }}\n`,
  };
}

// ---------------------------------------------------------------------------------------------
// The `overlays` variant: a Kustomize base per service and a staging and a production overlay, each
// with a strategic-merge patch (replicas, env); drifted services get a patch that moves a port.

function baseDeployment(s) {
  const liveness = livenessProbe(s.livenessTcp, s.livenessTcp ? s.port : 'http');
  const sidecar = sidecarContainer(s);
  return `# ${s.name}: the base every overlay builds on (generated by test/bench/generate.mjs)
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${s.name}
  labels:
    app: ${s.name}
spec:
  replicas: 1
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
          image: registry.example.com/acme/${s.name}:latest
          imagePullPolicy: IfNotPresent
          ports:
            - name: http
              containerPort: ${s.port}
              protocol: TCP
          env:
            - name: PORT
              value: "${s.port}"
            - name: LOG_LEVEL
              value: debug
          readinessProbe:
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
${sidecar}`;
}

function baseService(s) {
  const metrics = s.sidecar === 'metrics' ? '    - name: metrics\n      port: 9102\n      targetPort: metrics\n' : '';
  return `apiVersion: v1
kind: Service
metadata:
  name: ${s.name}
spec:
  selector:
    app: ${s.name}
  ports:
    - name: http
      port: 80
      targetPort: ${s.namedTarget ? 'http' : s.port}
${metrics}`;
}

function baseIngress(s) {
  return `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${s.name}
  annotations:
    nginx.ingress.kubernetes.io/proxy-body-size: 8m
spec:
  ingressClassName: nginx
  rules:
    - host: ${s.name}.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: ${s.name}
                port:
                  ${s.ingressByName ? 'name: http' : 'number: 80'}
`;
}

function baseNetworkPolicy(s) {
  return `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: ${s.name}-allow-http
spec:
  podSelector:
    matchLabels:
      app: ${s.name}
  policyTypes:
    - Ingress
  ingress:
    - from:
        - podSelector: {}
      ports:
        - protocol: TCP
          port: ${s.netpolByName ? 'http' : s.port}
`;
}

function overlayFiles(s, env) {
  const files = {};
  const patches = ['  - path: deployment-patch.yaml\n'];
  const envPort = s.drift === 'overlay-production-env-port' && env === 'production' ? `            - name: PORT\n              value: "${s.port + 1}"\n` : '';
  const upstream = s.upstream ? `            - name: UPSTREAM_URL\n              value: http://${s.upstream}.${env}.svc.cluster.local\n` : '';
  files['deployment-patch.yaml'] = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${s.name}
spec:
  replicas: ${env === 'production' ? s.replicas : 1}
  template:
    spec:
      containers:
        - name: ${s.name}
          env:
            - name: LOG_LEVEL
              value: ${env === 'production' ? 'info' : 'debug'}
${envPort}${upstream}`;
  const jsonPort = (s.drift === 'overlay-staging-container-port' && env === 'staging') || (s.drift === 'overlay-production-container-port' && env === 'production');
  if (jsonPort) {
    files['port-patch.yaml'] = `# ${env} listens elsewhere
- op: replace
  path: /spec/template/spec/containers/0/ports/0/containerPort
  value: ${s.port + 1}
`;
    patches.push(`  - path: port-patch.yaml\n    target:\n      kind: Deployment\n      name: ${s.name}\n`);
  }
  if (s.drift === 'overlay-merge-adds-port' && env === 'staging') {
    files['port-patch.yaml'] = `# meant to move the port: ports merge by containerPort, so this adds one
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${s.name}
spec:
  template:
    spec:
      containers:
        - name: ${s.name}
          ports:
            - name: http
              containerPort: ${s.port + 1}
`;
    patches.push('  - path: port-patch.yaml\n');
  }
  if (s.drift === 'overlay-staging-target-port' && env === 'staging') {
    files['service-patch.yaml'] = `apiVersion: v1
kind: Service
metadata:
  name: ${s.name}
spec:
  ports:
    - port: 80
      targetPort: ${s.port + 3}
`;
    patches.push('  - path: service-patch.yaml\n');
  }
  if (s.drift === 'overlay-probe-port' && env === 'production') {
    const probe = s.livenessTcp ? `tcpSocket:\n              port: ${s.port + 2}` : `httpGet:\n              path: /healthz\n              port: ${s.port + 2}`;
    files['probe-patch.yaml'] = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${s.name}
spec:
  template:
    spec:
      containers:
        - name: ${s.name}
          livenessProbe:
            ${probe}
`;
    patches.push('  - path: probe-patch.yaml\n');
  }
  files['kustomization.yaml'] = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: ${env}
resources:
  - ../../base
images:
  - name: registry.example.com/acme/${s.name}
    newTag: "1.${s.i % 17}.${s.i}${env === 'staging' ? '-rc.1' : ''}"
patches:
${patches.join('')}`;
  return files;
}

function kustomizeFiles(s) {
  const resources = ['deployment.yaml', 'service.yaml', ...(s.ingress ? ['ingress.yaml'] : []), ...(s.netpol ? ['networkpolicy.yaml'] : [])];
  const files = {
    'base/deployment.yaml': baseDeployment(s),
    'base/service.yaml': baseService(s),
    'base/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
labels:
  - pairs:
      app.kubernetes.io/part-of: bench
resources:
${resources.map((r) => `  - ${r}\n`).join('')}`,
  };
  if (s.ingress) files['base/ingress.yaml'] = baseIngress(s);
  if (s.netpol) files['base/networkpolicy.yaml'] = baseNetworkPolicy(s);
  for (const env of ['staging', 'production']) for (const [rel, text] of Object.entries(overlayFiles(s, env))) files[`overlays/${env}/${rel}`] = text;
  return files;
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
export function buildMonorepo({ services = 1000, seed = DEFAULT_SEED, driftEvery = 50, nodeModulesPackages = 250, sources = true, variant = 'manifests' } = {}) {
  if (!VARIANTS.includes(variant)) throw new Error(`unknown variant ${variant} (${VARIANTS.join(', ')})`);
  const files = {};
  const plans = [];
  for (let i = 0; i < services; i++) plans.push(planService(seed, i, driftEvery, variant));
  const planted = [];
  for (const s of plans) {
    const dir = `services/${s.name}`;
    files[`${dir}/Dockerfile`] = dockerfile(s);
    files[`${dir}/.env`] = dotenv(s);
    if (variant === 'manifests') {
      files[`deploy/staging/${s.name}.yaml`] = manifest(s, 'staging');
      files[`deploy/production/${s.name}.yaml`] = manifest(s, 'production');
    } else if (variant === 'charts') {
      // The upstream is called on its Service port, which is its container port in a helm-create chart:
      // a drifted upstream would make its callers drift too, so they call none.
      const up = s.upstream ? plans[Number(s.upstream.slice(4))] : undefined;
      const upstream = up && !up.drift ? { name: up.name, port: up.port } : undefined;
      for (const [rel, text] of Object.entries(chartFiles(s, upstream))) files[`${dir}/chart/${rel}`] = text;
    } else {
      for (const [rel, text] of Object.entries(kustomizeFiles(s))) files[`${dir}/k8s/${rel}`] = text;
    }
    if (sources) for (const [rel, text] of Object.entries(sourceFiles(s))) files[`${dir}/${rel}`] = text;
    // Generated output (.gitignore: dist/) and fixtures (.portparity.yaml: ignore) must not be read.
    if (s.i % 20 === 3) files[`${dir}/dist/deployment.yaml`] = manifest({ ...s, port: s.port + 1, drift: undefined }, 'production');
    if (s.i % 40 === 11) files[`${dir}/testdata/docker-compose.yml`] = `services:\n  broken:\n    ports:\n      - "not-a-port"\n`;
    if (s.i % 25 === 5) {
      files[`${dir}/node_modules/local-dep/Dockerfile`] = 'FROM scratch\nEXPOSE 1\n';
      files[`${dir}/node_modules/local-dep/index.js`] = '';
    }
    if (s.drift) {
      const d = DRIFTS_BY_VARIANT[variant].find((x) => x.kind === s.drift);
      const file = d.file(s.name, s.stack);
      // `file`: where the expected finding is; `plantedIn`: the file the drift was written into.
      planted.push({ service: s.name, kind: d.kind, rule: d.rule, file, plantedIn: d.plantedIn?.(s.name, s.stack) ?? file });
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
  files['README.md'] = `# Synthetic monorepo\n\n${services} services (${variant}), generated by test/bench/generate.mjs (version ${GENERATOR_VERSION}, seed ${seed}).\n`;
  files['package.json'] = `${JSON.stringify({ name: 'bench-mono', private: true, workspaces: ['services/*'] }, null, 2)}\n`;
  return { files, planted };
}

const DEFAULTS = { services: 1000, seed: DEFAULT_SEED, driftEvery: 50, nodeModulesPackages: 250, sources: true, variant: 'manifests' };

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

/**
 * `node test/bench/generate.mjs [--variant manifests|charts|overlays] [--services N] [--drift-every K] [--out DIR]`:
 * generates (or reuses) one tree, by default `.bench/mono-<variant>-<N>`, and prints its manifest's summary.
 */
function cli(argv) {
  const opts = {};
  let out;
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const v = argv[++i];
    if (k === '--variant') opts.variant = v;
    else if (k === '--services') opts.services = Number(v);
    else if (k === '--drift-every') opts.driftEvery = Number(v);
    else if (k === '--seed') opts.seed = Number(v);
    else if (k === '--out') out = v;
    else {
      console.error(`generate: unknown argument ${k}\nusage: node test/bench/generate.mjs [--variant ${VARIANTS.join('|')}] [--services N] [--drift-every K] [--seed S] [--out DIR]`);
      process.exit(2);
    }
  }
  const variant = opts.variant ?? DEFAULTS.variant;
  if (!VARIANTS.includes(variant)) {
    console.error(`generate: --variant must be one of ${VARIANTS.join(', ')}`);
    process.exit(2);
  }
  const dir = out ?? treeDir(join(dirname(fileURLToPath(import.meta.url)), '../../.bench'), variant, opts.services ?? DEFAULTS.services);
  const { generated, manifest } = ensureMonorepo(dir, opts);
  console.log(`${generated ? 'generated' : 'up to date'}: ${dir} (${manifest.variant}, ${manifest.services} services, ${manifest.files} files, ${manifest.planted.length} planted drifts)`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) cli(process.argv.slice(2));

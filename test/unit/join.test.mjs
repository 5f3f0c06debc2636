// The join's identities and overrides, on the forms real repositories gave.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import api from '../../dist/api.js';

const deployment = (name, image, port, container = name) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
        - name: ${container}
          image: ${image}
          ports:
            - containerPort: ${port}
`;

const workloadFiles = (model, service, env) => [...(model.services.get(service)?.views.get(env)?.units.get('kubernetes')?.workloads ?? [])].map((w) => w.file).sort();

test('a marked workload joined only by the image it runs overrides no unmarked workload (argocd: helm-guestbook in production beside guestbook/)', () => {
  const { model } = api.analyze([
    { path: 'guestbook/guestbook-ui.yaml', text: deployment('guestbook-ui', 'gcr.io/google-samples/gb-frontend:v5', 80) },
    { path: 'production/other.yaml', text: deployment('helm-guestbook', 'gcr.io/google-samples/gb-frontend:v5', 80) },
  ]);
  assert.deepEqual(workloadFiles(model, 'guestbook-ui', 'production'), ['guestbook/guestbook-ui.yaml', 'production/other.yaml']);
});

test('a marked workload of the service\'s own name still overrides the unmarked base (deploy/production over deploy/base)', () => {
  const { model } = api.analyze([
    { path: 'deploy/base/api.yaml', text: deployment('api', 'acme/api:1', 8080) },
    { path: 'deploy/production/api.yaml', text: deployment('api', 'acme/api:1', 9090) },
    { path: 'deploy/staging/web.yaml', text: deployment('web', 'acme/web:1', 80) },
  ]);
  assert.deepEqual(workloadFiles(model, 'api', 'production'), ['deploy/production/api.yaml']);
  assert.deepEqual(workloadFiles(model, 'api', 'staging'), ['deploy/base/api.yaml']);
  // Named otherwise, joined by its container's name: still the service's own workload.
  const renamed = api.analyze([
    { path: 'deploy/base/api.yaml', text: deployment('api', 'acme/api:1', 8080) },
    { path: 'deploy/production/api.yaml', text: deployment('api-prod', 'acme/api:1', 9090, 'api') },
  ]);
  assert.deepEqual(workloadFiles(renamed.model, 'api', 'production'), ['deploy/production/api.yaml']);
});

test('an object named by generateName is known by that prefix, not by an empty name', () => {
  const job = 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  generateName: before-\nspec:\n  template:\n    spec:\n      containers:\n        - name: sleep\n          image: alpine\n';
  const { model } = api.analyze([{ path: 'hooks/job.yaml', text: job }]);
  assert.ok(!model.services.has(''), 'a service named ""');
  assert.ok(model.services.has('before'));
});

// Environment inference from paths: markers, aliases, configured globs, and names that only look like keys.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import api from '../../dist/api.js';

const { envMatcher, normalizeEnv } = api;

test('paths name environments by their deepest marker, the file name first', () => {
  const m = envMatcher();
  assert.equal(m.envOf('deploy/prod/api.yaml'), 'production');
  assert.equal(m.envOf('overlays/staging/kustomization.yaml'), 'staging');
  assert.equal(m.envOf('docker-compose.dev.yml'), 'local');
  assert.equal(m.envOf('staging/values-prod.yaml'), 'production');
  assert.equal(m.envOf('deploy/api.yaml'), undefined);
  // Asked again (every fact and view asks): the same answer.
  assert.equal(m.envOf('deploy/prod/api.yaml'), 'production');
});

test('configured globs win over inference', () => {
  const m = envMatcher({ qa2: ['k8s/blue/**'] });
  assert.equal(m.envOf('k8s/blue/prod/api.yaml'), 'qa2');
  assert.equal(m.envOf('k8s/green/prod/api.yaml'), 'production');
});

test('folder and file names that are Object.prototype keys are not environments', () => {
  const m = envMatcher();
  for (const p of ['constructor/api.yaml', 'toString/deploy.yaml', 'services/__proto__/k8s.yaml', 'hasOwnProperty.env']) assert.equal(m.envOf(p), undefined, p);
  assert.equal(normalizeEnv('constructor'), 'constructor');
  assert.equal(normalizeEnv('PROD'), 'production');
});

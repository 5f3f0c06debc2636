// Which service a Dockerfile nothing builds is the image of, when only an image's name says so: a
// loose join stands only where it is unambiguous, and explain says why it did or did not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import api from '../../dist/api.js';
import { run } from '../fixture-cases.mjs';

const { explainText, readWorkspace } = api;

function explain(name, services = []) {
  const dir = new URL(`../fixtures/expose-mismatch/${name}`, import.meta.url).pathname;
  const ws = readWorkspace(dir);
  const a = run(ws.files, ws.config, dir);
  return { a, text: explainText(a.model, services).text };
}

test('a Dockerfile in react-calculator/ is the image of the one service whose image is <app>-react-calculator', () => {
  const { a, text } = explain('invalid-image-named-app-and-folder', ['calculator-front-end']);
  assert.deepEqual([...a.model.services.keys()], ['calculator-front-end']);
  assert.match(text, /react-calculator\/Dockerfile: its image: service calculator-front-end goes by "distributed-calculator-react-calculator" \(a name or image\), its folders "distributed-calculator" and "react-calculator" joined/);
});

test('a Dockerfile whose folder ends the image names of two services joins neither, and explain names both', () => {
  const { a, text } = explain('valid-image-suffix-of-two-services', ['frontend']);
  assert.deepEqual([...a.model.services.keys()].sort(), ['blog-web', 'frontend', 'shop-web']);
  assert.match(text, /frontend\/Dockerfile: its image: no service claims it: named after its folder or file "frontend" \("blog-frontend", "shop-frontend" of services blog-web, shop-web end with "-frontend": too loose to choose one\)/);
});

test('two Dockerfiles pointing at one image join neither: nothing says which builds it', () => {
  const { a, text } = explain('valid-image-suffix-wanted-by-two-dockerfiles');
  const front = a.model.services.get('calculator-front-end');
  assert.ok(front);
  assert.ok([...front.views.values()].every((v) => !v.units.has('dockerfile')), 'calculator-front-end has no image of the workspace');
  assert.match(text, /too loose to choose one/);
});

const two = (image) => ['wiki', 'redis'].map((n, i) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${n}\nspec:\n  template:\n    spec:\n      containers:\n        - name: ${n}\n          image: ${i === 0 ? image : 'redis:7'}\n          ports:\n            - containerPort: ${i === 0 ? 3000 : 6379}\n`).join('---\n');

function workspace(name, files) {
  const dir = join(mkdtempSync(join(tmpdir(), 'pp-name-')), name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, dirname(path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const ws = readWorkspace(dir);
  return run(ws.files, ws.config, dir).model;
}

test("a root Dockerfile nothing builds or names goes by the workspace's folder name", () => {
  const m = workspace('Shop-Repo', { Dockerfile: 'FROM node\nEXPOSE 8080\n', 'k8s/app.yaml': two('acme/wiki:1') });
  assert.deepEqual([...m.services.keys()].sort(), ['redis', 'shop-repo', 'wiki']);
  assert.match(explainText(m, ['shop-repo']).text, /Dockerfile: its image: no service claims it: named after the workspace's \(package\.json or folder\) "shop-repo"/);
});

test("a root Dockerfile goes by package.json's name, and joins the workload whose image is that name", () => {
  const m = workspace('checkout', { 'package.json': '{"name": "@acme/wiki"}', Dockerfile: 'FROM node\nEXPOSE 8080\n', 'k8s/app.yaml': two('ghcr.io/acme/wiki:1') });
  assert.deepEqual([...m.services.keys()].sort(), ['redis', 'wiki']);
  assert.match(explainText(m, ['wiki']).text, /Dockerfile: its image: a service named "wiki" as the workspace's \(package\.json or folder\) is/);
});

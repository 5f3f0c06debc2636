// Which service a Dockerfile nothing builds is the image of, when only an image's name says so: a
// loose join stands only where it is unambiguous, and explain says why it did or did not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
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

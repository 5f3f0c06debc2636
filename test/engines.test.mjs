// `npm install` on the oldest Node that package.json's engines admit must not warn EBADENGINE: every
// locked package (dev dependencies included) accepts the lowest version of each range we declare.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const semver = require('semver');
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const lock = JSON.parse(readFileSync(new URL('../package-lock.json', import.meta.url), 'utf8'));

/** The lowest version of each alternative of a range: `^20.19.0 || >=24` → 20.19.0, 24.0.0. */
function floors(range) {
  return new semver.Range(range).set.map((alt) => semver.minVersion(new semver.Range(alt.map((c) => c.value).join(' '))).version);
}

test('every locked package accepts the oldest Node each engines.node alternative admits', () => {
  const mins = floors(pkg.engines.node);
  assert.ok(mins.length > 0);
  const refused = [];
  for (const [path, entry] of Object.entries(lock.packages)) {
    const range = entry.engines?.node;
    if (!path || !range || entry.optional) continue;
    for (const v of mins) if (!semver.satisfies(v, range)) refused.push(`${path.replace(/^.*node_modules\//, '')}@${entry.version} wants node ${range}, not ${v}`);
  }
  assert.deepEqual(refused, []);
});

// A stand-in `helm` for the tests (these machines have no helm): a Node script that records how it was
// run (args, cwd, HELM_NO_PLUGINS) and prints the canned render of the environment its --values files name.
import { chmodSync, cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CASE = join(dirname(fileURLToPath(import.meta.url)), 'fixtures/helm-template-mismatch/invalid-helm-disagrees');

/** In `root`: `ws/` (the case's chart, without its canned outputs), `bin/helm`, and the log path. */
export function fakeHelmWorkspace(root, { fail = false } = {}) {
  const ws = join(root, 'ws');
  cpSync(join(CASE, 'charts'), join(ws, 'charts'), { recursive: true });
  cpSync(join(CASE, '.portparity.yaml'), join(ws, '.portparity.yaml'));
  const bin = join(root, 'bin');
  mkdirSync(bin);
  const log = join(root, 'calls.jsonl');
  writeFileSync(join(bin, 'helm'), `#!${process.execPath}
const fs = require('fs');
const args = process.argv.slice(2);
fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify({ args, cwd: process.cwd(), noPlugins: process.env.HELM_NO_PLUGINS }) + '\\n');
if (${fail}) { process.stderr.write('WARNING: something minor\\nError: chart requires kubeVersion: >=1.30.0 which is incompatible\\n'); process.exit(1); }
const values = args.filter((a) => a.startsWith('--values=')).map((a) => a.slice('--values='.length));
const env = values.some((v) => /prod/.test(v)) ? 'production' : 'staging';
process.stdout.write(fs.readFileSync(${JSON.stringify(join(CASE, 'helm-template'))} + '/' + env + '.out', 'utf8'));
`);
  chmodSync(join(bin, 'helm'), 0o755);
  return { ws, bin, log };
}

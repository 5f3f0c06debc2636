// The layers stay apart, as eslint.config.mjs says and `npm run lint` enforces: the core imports no file
// system, process or host code, the host neither the CLI nor the server, the server not the CLI. These
// tests lint a one-line file at each place, so that the rule cannot quietly lose a case.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const eslint = new ESLint({ cwd: ROOT });

/** The no-restricted-imports messages for `source` as if it were the file `rel`. */
async function restricted(rel, source) {
  const [result] = await eslint.lintText(`${source}\nexport const x = y;\n`, { filePath: join(ROOT, rel) });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports');
}

const refused = [
  ['server/src/lsp/features/probe.ts', "import { y } from '../../cli/report';", 'the language server imports the CLI'],
  ['server/src/lsp/probe.ts', "import { y } from '../cli/main';", 'the language server imports the CLI'],
  ['server/src/core/probe.ts', "import { y } from 'node:fs';", 'the core reads the disk'],
  ['server/src/core/rules/probe.ts', "import { y } from 'node:child_process';", 'the core runs a program'],
  ['server/src/core/probe.ts', "import { y } from '../host/read';", 'the core imports the host layer'],
  ['server/src/core/probe.ts', "import { y } from '../lsp/folder';", 'the core imports the language server'],
  ['server/src/host/probe.ts', "import { y } from '../cli/report';", 'the host layer imports the CLI'],
  ['server/src/host/probe.ts', "import { y } from '../lsp/folder';", 'the host layer imports the language server'],
];
for (const [rel, source, what] of refused) {
  test(`lint refuses a file where ${what} (${rel}: ${source})`, async () => {
    assert.equal((await restricted(rel, source)).length, 1);
  });
}

const allowed = [
  ['server/src/lsp/probe.ts', "import { y } from '../host/workspace';"],
  ['server/src/cli/probe.ts', "import { y } from '../host/helm';"],
  ['server/src/host/probe.ts', "import { y } from 'node:fs';"],
  ['server/src/lsp/probe.ts', "import { y } from '../core';"],
];
for (const [rel, source] of allowed) {
  test(`lint lets ${rel} import what its layer may (${source})`, async () => {
    assert.deepEqual(await restricted(rel, source), []);
  });
}

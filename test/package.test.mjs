// `npm run package` (the build, then `package:vsix`) builds a .vsix with @vscode/vsce: it stays under 2 MB, holds only the
// bundles, the grammar, the panel's files, the schema and the docs, and its bundles need nothing but
// `vscode` and Node's own modules.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const MAX_BYTES = 2 * 1024 * 1024;

/** The entries of a zip file from its central directory: name → { data() }. */
function readZip(buf) {
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  assert.ok(eocd >= 0, 'a zip file');
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const entries = new Map();
  for (let i = 0; i < count; i++) {
    assert.equal(buf.readUInt32LE(at), 0x02014b50, 'a central directory entry');
    const method = buf.readUInt16LE(at + 10);
    const csize = buf.readUInt32LE(at + 20);
    const nameLen = buf.readUInt16LE(at + 28);
    const extraLen = buf.readUInt16LE(at + 30);
    const commentLen = buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.toString('utf8', at + 46, at + 46 + nameLen);
    entries.set(name, {
      data() {
        const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
        const raw = buf.subarray(start, start + csize);
        return method === 8 ? inflateRawSync(raw) : raw;
      },
    });
    at += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

let vsix;
let entries;

before(() => {
  const out = join(mkdtempSync(join(tmpdir(), 'pp-vsix-')), `port-parity-${pkg.version}.vsix`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  // The bundles in dist/ are `npm test`'s own build: packaging does not rebuild them under other tests' feet.
  assert.ok(existsSync(join(ROOT, 'dist', 'extension.js')) && existsSync(join(ROOT, 'dist', 'server.js')), 'dist/ is built (node esbuild.mjs)');
  const r = spawnSync(npm, ['run', 'package:vsix', '--', '--out', out], { cwd: ROOT, encoding: 'utf8', timeout: 180000 });
  assert.equal(r.status, 0, `npm run package:vsix failed:\n${r.stdout}\n${r.stderr}`);
  vsix = out;
  entries = readZip(readFileSync(out));
});

test('the .vsix is under 2 MB', () => {
  const size = statSync(vsix).size;
  assert.ok(size < MAX_BYTES, `${vsix} is ${size} bytes`);
});

test('the .vsix holds exactly the runtime files', () => {
  const files = [...entries.keys()].filter((n) => !n.endsWith('/')).sort();
  assert.deepEqual(files, [
    '[Content_Types].xml',
    'extension.vsixmanifest',
    'extension/LICENSE.txt',
    'extension/changelog.md',
    'extension/dist/cli.js',
    'extension/dist/extension.js',
    'extension/dist/server.js',
    'extension/media/icon.png',
    'extension/media/panel.css',
    'extension/media/panel.js',
    'extension/media/parity.svg',
    'extension/media/walkthrough/contract.md',
    'extension/media/walkthrough/fix.md',
    'extension/media/walkthrough/panel.md',
    'extension/media/walkthrough/reads.md',
    'extension/media/walkthrough/settings.md',
    'extension/package.json',
    'extension/readme.md',
    'extension/schemas/portparity.schema.json',
    'extension/syntaxes/dotenv.language-configuration.json',
    'extension/syntaxes/dotenv.tmLanguage.json',
  ]);
});

test('every file the packaged manifest names is in the .vsix', () => {
  const m = JSON.parse(entries.get('extension/package.json').data().toString('utf8'));
  const c = m.contributes;
  const named = [m.main, m.icon, ...c.grammars.map((g) => g.path), ...c.languages.map((l) => l.configuration), ...c.yamlValidation.map((v) => v.url), ...c.viewsContainers.activitybar.map((v) => v.icon), ...c.walkthroughs.flatMap((w) => w.steps.map((s) => s.media.markdown))];
  for (const p of named) assert.ok(entries.has(`extension/${p.replace(/^\.\//, '')}`), `${p} is packaged`);
  assert.equal(m.icon, 'media/icon.png');
  const png = entries.get('extension/media/icon.png').data();
  assert.equal(png.toString('latin1', 1, 4), 'PNG');
  assert.ok(png.readUInt32BE(16) >= 128 && png.readUInt32BE(20) >= 128, 'the icon is at least 128×128');
});

test('the bundles require only vscode and Node\'s own modules', () => {
  const allowed = new Set(['vscode', ...builtinModules, ...builtinModules.map((b) => `node:${b}`)]);
  for (const name of ['extension/dist/extension.js', 'extension/dist/server.js', 'extension/dist/cli.js']) {
    const js = entries.get(name).data().toString('utf8');
    const required = new Set([...js.matchAll(/\brequire\(["']([^"']+)["']\)/g)].map((x) => x[1]));
    const foreign = [...required].filter((r) => !allowed.has(r));
    assert.deepEqual(foreign, [], `${name} requires ${foreign.join(', ')}`);
    assert.doesNotMatch(js, /sourceMappingURL=data:/, `${name} carries no inline source map`);
  }
});

test('the packaged README has no relative links left (vsce rewrote them)', () => {
  const readme = entries.get('extension/readme.md').data().toString('utf8');
  const relative = [...readme.matchAll(/\]\((?!https?:|#|mailto:)([^)]+)\)/g)].map((x) => x[1]);
  assert.deepEqual(relative, []);
});

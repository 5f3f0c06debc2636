// The code-server end-to-end harness: installs what it needs (setup.sh), packages the extension, starts
// code-server on loopback with a fresh profile and the .vsix installed, and drives it from Debian's
// headless Chromium with playwright-core. Everything code-server writes stays in one run folder.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const RESULTS = join(ROOT, 'test-results', 'e2e');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Runs test/e2e/setup.sh (idempotent) and returns the paths it prints. */
export function setup() {
  const r = spawnSync('bash', [join(ROOT, 'test', 'e2e', 'setup.sh')], { encoding: 'utf8', timeout: 15 * 60 * 1000 });
  if (r.status !== 0) throw new Error(`test/e2e/setup.sh failed (${r.status ?? r.error}):\n${r.stdout}\n${r.stderr}`);
  const vars = Object.fromEntries([...r.stdout.matchAll(/^(\w+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
  for (const k of ['NODE24_BIN', 'CODE_SERVER', 'CHROMIUM']) if (!vars[k] || !existsSync(vars[k])) throw new Error(`setup.sh did not provide ${k}:\n${r.stdout}\n${r.stderr}`);
  return vars;
}

/** `npm run package` into test-results/e2e; returns the .vsix path. */
export function packageVsix() {
  mkdirSync(RESULTS, { recursive: true });
  const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
  const out = join(RESULTS, `port-parity-${version}.vsix`);
  const r = spawnSync('npm', ['run', 'package', '--', '--out', out], { cwd: ROOT, encoding: 'utf8', timeout: 5 * 60 * 1000 });
  if (r.status !== 0) throw new Error(`npm run package failed:\n${r.stdout}\n${r.stderr}`);
  return out;
}

/**
 * Packs an unpacked extension folder into a .vsix (code-server forgets extensions copied into its
 * extensions folder that it did not install itself).
 */
export function packFolder(dir, out) {
  if (!existsSync(join(dir, 'README.md'))) writeFileSync(join(dir, 'README.md'), '# Test extension\n\nInstalled by the end-to-end test only.\n');
  const vsce = join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  const r = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', out], { cwd: dir, encoding: 'utf8', timeout: 120000, input: '' });
  if (r.status !== 0) throw new Error(`vsce package ${dir} failed:\n${r.stdout}\n${r.stderr}`);
  return out;
}

/** A scratch copy of an example, so fixes and alignments can change it. */
export function copyExample(name, run, as) {
  const dir = join(run, as);
  cpSync(join(ROOT, 'examples', name), dir, { recursive: true });
  return dir;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Starts code-server on 127.0.0.1 with a fresh user-data and extensions folder inside `run` and the .vsix files installed. */
export async function startCodeServer({ env: paths, vsix, run, extraVsix = [] }) {
  const ud = join(run, 'user-data');
  const ext = join(run, 'extensions');
  mkdirSync(join(ud, 'User'), { recursive: true });
  mkdirSync(ext, { recursive: true });
  mkdirSync(join(run, 'tmp'), { recursive: true });
  writeFileSync(join(ud, 'User', 'settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none',
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'update.mode': 'none',
    'workbench.tips.enabled': false,
    'chat.disableAIFeatures': true,
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'workbench.colorTheme': 'Default Dark Modern',
    'editor.minimap.enabled': false,
    'files.autoSave': 'off',
    'git.enabled': false,
  }, null, 2));
  const env = {
    ...process.env,
    PATH: `${paths.NODE24_BIN}:${process.env.PATH}`,
    TMPDIR: join(run, 'tmp'),
    XDG_CONFIG_HOME: join(run, 'xdg-config'),
    XDG_DATA_HOME: join(run, 'xdg-data'),
    XDG_CACHE_HOME: join(run, 'xdg-cache'),
  };
  const common = ['--user-data-dir', ud, '--extensions-dir', ext];
  const t0 = Date.now();
  const inst = spawnSync(paths.CODE_SERVER, [...common, ...[vsix, ...extraVsix].flatMap((v) => ['--install-extension', v])], { env, encoding: 'utf8', timeout: 120000 });
  if (inst.status !== 0) throw new Error(`code-server --install-extension failed:\n${inst.stdout}\n${inst.stderr}`);
  const installMs = Date.now() - t0;
  const port = await freePort();
  const log = join(run, 'code-server.log');
  const out = { chunks: [] };
  const proc = spawn(paths.CODE_SERVER, [
    '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', ...common,
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
  ], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout.on('data', (d) => out.chunks.push(d));
  proc.stderr.on('data', (d) => out.chunks.push(d));
  const url = `http://127.0.0.1:${port}`;
  const t1 = Date.now();
  for (;;) {
    try {
      const r = await fetch(`${url}/healthz`);
      if (r.ok) break;
    } catch {
      // not up yet
    }
    if (proc.exitCode !== null) throw new Error(`code-server exited with ${proc.exitCode}:\n${Buffer.concat(out.chunks)}`);
    if (Date.now() - t1 > 60000) throw new Error(`code-server did not answer /healthz within 60 s:\n${Buffer.concat(out.chunks)}`);
    await sleep(250);
  }
  return {
    url,
    installMs,
    startMs: Date.now() - t1,
    folderUrl: (dir) => `${url}/?folder=${encodeURIComponent(dir)}`,
    log: () => Buffer.concat(out.chunks).toString('utf8'),
    /** code-server forks a file watcher, extension hosts and language servers: end the whole group. */
    async stop() {
      writeFileSync(log, Buffer.concat(out.chunks));
      if (proc.exitCode !== null) return;
      try {
        process.kill(-proc.pid, 'SIGTERM');
      } catch {
        return;
      }
      for (let i = 0; i < 40 && proc.exitCode === null; i++) await sleep(100);
      if (proc.exitCode === null) {
        try {
          process.kill(-proc.pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
    },
  };
}

/** Debian's Chromium, headless, with a fresh profile inside `run`. */
export async function launchBrowser(chromiumPath, run) {
  const { chromium } = await import('playwright-core');
  return chromium.launchPersistentContext(join(run, 'chromium-profile'), {
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    viewport: { width: 1360, height: 820 },
  });
}

export function newRunDir() {
  return mkdtempSync(join(tmpdir(), 'pp-e2e-'));
}

export function removeRunDir(run) {
  rmSync(run, { recursive: true, force: true });
}

// Issue 15 point 12: output into a reader that closes early (`port-parity matrix | head -1`) ends the CLI
// quietly with 141, the status a shell gives a tool that SIGPIPE ended, never an EPIPE stack trace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CLI = new URL('../../dist/cli.js', import.meta.url).pathname;

/** A compose stack whose matrix (about 400 kB) is well past a pipe's buffer (64 kB on Linux). */
function bigWorkspace() {
  const dir = mkdtempSync(join(tmpdir(), 'pp-pipe-'));
  let y = 'services:\n';
  for (let i = 0; i < 3000; i++) y += `  service-${String(i).padStart(4, '0')}-${'x'.repeat(120)}:\n    image: x\n    ports: ["${10000 + i}:${20000 + i}"]\n`;
  writeFileSync(join(dir, 'docker-compose.yml'), y);
  return dir;
}

/**
 * `port-parity ARGS | head -1` in a shell, as the issue ran it: head reads one line and exits while the
 * CLI still has output to write. Returns the CLI's exit status, its stderr and what head printed.
 */
function pipeIntoHead(args) {
  const tmp = mkdtempSync(join(tmpdir(), 'pp-pipe-out-'));
  const quoted = [process.execPath, CLI, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  const script = `( ${quoted} 2>"${tmp}/err"; echo $? >"${tmp}/code" ) | head -n 1`;
  const r = spawnSync('sh', ['-c', script], { encoding: 'utf8', timeout: 20000 });
  assert.equal(r.error, undefined, 'the pipeline ends within 20 s');
  return { first: r.stdout.replace(/\n$/, ''), stderr: readFileSync(join(tmp, 'err'), 'utf8'), code: Number(readFileSync(join(tmp, 'code'), 'utf8')) };
}

test('matrix into a reader that closes after one line exits 141 with nothing on stderr', () => {
  const dir = bigWorkspace();
  // The output is indeed bigger than a pipe holds, so the reader's close is felt.
  assert.ok(spawnSync(process.execPath, [CLI, 'matrix', dir], { encoding: 'utf8', maxBuffer: 1 << 24 }).stdout.length > 300000);
  const r = pipeIntoHead(['matrix', dir]);
  assert.match(r.first, /^service\s+local$/);
  assert.equal(r.stderr, '', 'no stack trace, no message');
  assert.equal(r.code, 141);
});

test('check --format json into a reader that closes after one line exits 141 quietly too', () => {
  const r = pipeIntoHead(['check', bigWorkspace(), '--format', 'json']);
  assert.equal(r.first, '{');
  assert.equal(r.stderr, '');
  assert.equal(r.code, 141);
});

test('rules piped into head -5 prints five lines and no error', () => {
  const r = spawnSync('sh', ['-c', `"${process.execPath}" "${CLI}" rules | head -5`], { encoding: 'utf8', timeout: 20000 });
  assert.equal(r.stderr, '');
  assert.equal(r.stdout.trim().split('\n').length, 5, r.stdout);
});

// `port-parity verify` against real processes: small Node and Python servers that bind the declared port,
// another one, loopback, IPv6, two ports, none; a shell whose child binds; an early exit; a port in use;
// --pid. Ports are asked of the kernel (port 0) per test, so parallel runs on one machine do not collide.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const CLI = new URL('../dist/cli.js', import.meta.url).pathname;
const api = createRequire(import.meta.url)('../dist/api.js');
const SHARED = new URL('../../shared/tools/check-report.mjs', import.meta.url).pathname;
const CHECK_REPORT = existsSync(SHARED) ? SHARED : '/work/shared/tools/check-report.mjs';
const PYTHON = spawnSync('python3', ['--version']).status === 0 ? 'python3' : undefined;

/** A port nothing listens on now: the kernel's choice for port 0, released. */
function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '0.0.0.0', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// A Node server: listens on $PORT (or argv ports), on $BIND (default 0.0.0.0); writes its pid to $PIDFILE.
const NODE_SERVER = `
const net = require('net');
if (process.env.PIDFILE) require('fs').writeFileSync(process.env.PIDFILE, String(process.pid));
if (process.env.IGNORE_TERM) process.on('SIGTERM', () => {});
const ports = process.argv.slice(2).length ? process.argv.slice(2).map(Number) : [Number(process.env.PORT)];
for (const p of ports) net.createServer().listen(p, process.env.BIND || '0.0.0.0', () => console.log('listening on', p));
setInterval(() => {}, 1000);
`;

const PY_SERVER = `
import os, socket, sys, time
host = os.environ.get('BIND', '0.0.0.0')
s = socket.socket(socket.AF_INET6 if ':' in host else socket.AF_INET)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((host, int(os.environ['PORT'])))
s.listen()
print('python listening', flush=True)
time.sleep(600)
`;

/** A workspace: api listens on 3000 locally; production declares `port` (its PORT, its mapping, a healthcheck). */
function workspace(port) {
  const dir = mkdtempSync(join(tmpdir(), 'pp-verify-'));
  writeFileSync(join(dir, 'compose.yaml'), 'services:\n  api:\n    build: .\n    ports: ["8080:3000"]\n    environment:\n      PORT: "3000"\n      GREETING: "${GREETING:-hello}"\n');
  writeFileSync(join(dir, 'compose.production.yaml'), `services:\n  api:\n    ports: !override ["8080:${port}"]\n    environment:\n      PORT: "${port}"\n    healthcheck:\n      test: ["CMD", "curl", "-f", "http://localhost:${port}/health"]\n`);
  writeFileSync(join(dir, 'server.js'), NODE_SERVER);
  writeFileSync(join(dir, 'server.py'), PY_SERVER);
  return dir;
}

/** Runs the CLI asynchronously (the test process may hold a port meanwhile). */
function verify(dir, args, env = {}) {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [CLI, 'verify', dir, '--service', 'api', '--env', 'production', ...args], { cwd: dir, env: { ...process.env, ...env } });
    let out = '', err = '';
    p.stdout.on('data', (c) => (out += c));
    p.stderr.on('data', (c) => (err += c));
    p.on('close', (code) => resolve({ code, out, err }));
  });
}

async function verifyJson(dir, args, env) {
  const r = await verify(dir, ['--format', 'json', ...args], env);
  assert.ok(r.out, `no JSON (exit ${r.code}): ${r.err}`);
  const shape = spawnSync(process.execPath, [CHECK_REPORT], { input: r.out, encoding: 'utf8' });
  assert.equal(shape.status, 0, shape.stdout);
  return { ...r, json: JSON.parse(r.out) };
}

function gone(pid) {
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return e.code === 'ESRCH';
  }
}

test('a Node server on the declared port passes, with the variables production gives (PORT, interpolated defaults)', async () => {
  const port = await freePort();
  const dir = workspace(port);
  const envOut = join(dir, 'env.json');
  writeFileSync(join(dir, 'dump.js'), `require('fs').writeFileSync(${JSON.stringify(envOut)}, JSON.stringify({ PORT: process.env.PORT, GREETING: process.env.GREETING })); require('./server.js');`);
  const r = await verifyJson(dir, ['--timeout', '20s', '--', process.execPath, 'dump.js']);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(r.json.findings, []);
  assert.deepEqual(JSON.parse(readFileSync(envOut, 'utf8')), { PORT: String(port), GREETING: 'hello' });
  assert.deepEqual(r.json.verify.expected, [port]);
  assert.equal(r.json.verify.outcome, 'listening');
  assert.ok(r.json.verify.sockets.some((s) => s.port === port && s.address === '0.0.0.0' && s.pid === r.json.verify.pid), JSON.stringify(r.json.verify));
  assert.ok(gone(r.json.verify.pid), 'the server was stopped');
});

test('a server on another port is an error naming both ports, with the healthcheck that probes the declared one', async () => {
  const [port, other] = [await freePort(), await freePort()];
  const dir = workspace(port);
  const r = await verifyJson(dir, ['--timeout', '20s', '--', process.execPath, 'server.js', String(other)]);
  assert.equal(r.code, 1);
  const f = r.json.findings.find((x) => x.rule === 'verify-port');
  assert.ok(f, JSON.stringify(r.json.findings));
  assert.match(f.message, new RegExp(`listens on ${other} but production declares ${port}`));
  assert.equal(f.file, 'compose.production.yaml');
  assert.deepEqual(f.evidence.map((e) => e.port), [other]);
  assert.ok(f.evidence[0].pid > 0);
  assert.ok(f.related.some((x) => /healthcheck/.test(x.message)), JSON.stringify(f.related));
});

test('loopback (IPv4 and IPv6) is an error; :: and 0.0.0.0 are not', async () => {
  const port = await freePort();
  const dir = workspace(port);
  for (const [bind, bad] of [['127.0.0.1', true], ['::1', true], ['::', false]]) {
    const r = await verifyJson(dir, ['--timeout', '20s', '--', process.execPath, 'server.js'], { BIND: bind });
    const loop = r.json.findings.filter((x) => x.rule === 'verify-loopback');
    assert.equal(loop.length, bad ? 1 : 0, `${bind}: ${JSON.stringify(r.json.findings)}`);
    assert.equal(r.code, bad ? 1 : 0, bind);
    assert.equal(r.json.verify.sockets[0].address, bind);
    if (bad) assert.deepEqual(loop[0].evidence.map((e) => [e.address, e.port]), [[bind, port]]);
  }
});

test('a second port the environment does not declare is a warning (exit 1 only at --fail-on warning)', async () => {
  const [port, extra] = [await freePort(), await freePort()];
  const dir = workspace(port);
  // The undeclared port first: it listens before the declared one does.
  const r = await verifyJson(dir, ['--timeout', '20s', '--', process.execPath, 'server.js', String(extra), String(port)]);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(r.json.findings.map((f) => [f.rule, f.severity, f.evidence[0].port]), [['verify-extra-port', 'warning', extra]]);
  const strict = await verify(dir, ['--fail-on', 'warning', '--timeout', '20s', '--', process.execPath, 'server.js', String(extra), String(port)]);
  assert.equal(strict.code, 1);
  assert.match(strict.out, new RegExp(`also listens on ${extra}`));
});

test('listening on nothing before the timeout is an error with the last output lines', async () => {
  const port = await freePort();
  const dir = workspace(port);
  const r = await verifyJson(dir, ['--timeout', '2s', '--', process.execPath, '-e', 'console.log("warming up"); setInterval(() => {}, 1000)']);
  assert.equal(r.code, 1);
  assert.equal(r.json.verify.outcome, 'timeout');
  const f = r.json.findings[0];
  assert.equal(f.rule, 'verify-not-listening');
  assert.match(f.message, /listened on nothing within 2s.*warming up/);
  assert.ok(gone(r.json.verify.pid));
});

test('an early exit is reported with its status and last output; EADDRINUSE in it is a port in use', async () => {
  const port = await freePort();
  const dir = workspace(port);
  const r = await verifyJson(dir, ['--timeout', '20s', '--', process.execPath, '-e', 'console.error("config missing"); process.exit(3)']);
  assert.equal(r.code, 1);
  assert.match(r.json.findings[0].message, /ended \(exit code 3\) before it listened.*config missing/);
  const busy = await verifyJson(dir, ['--timeout', '20s', '--', process.execPath, '-e', 'console.error("Error: listen EADDRINUSE: address already in use"); process.exit(1)']);
  assert.equal(busy.json.findings[0].rule, 'verify-port-in-use');
  const missing = await verify(dir, ['--timeout', '20s', '--', join(dir, 'no-such-program')]);
  assert.equal(missing.code, 1);
  assert.match(missing.out, /could not start/);
});

test('a port already in use is reported with who holds it, and the command is not started', async () => {
  const port = await freePort();
  const dir = workspace(port);
  const holder = createServer();
  await new Promise((r) => holder.listen(port, '0.0.0.0', r));
  try {
    const marker = join(dir, 'started');
    const r = await verifyJson(dir, ['--timeout', '20s', '--', process.execPath, '-e', `require('fs').writeFileSync(${JSON.stringify(marker)}, 'x')`]);
    assert.equal(r.code, 1);
    const f = r.json.findings[0];
    assert.equal(f.rule, 'verify-port-in-use');
    assert.match(f.message, new RegExp(`pid ${process.pid} listens`));
    assert.deepEqual(f.evidence, [{ pid: process.pid, address: '0.0.0.0', port }]);
    assert.equal(existsSync(marker), false);
  } finally {
    holder.close();
  }
});

test('a shell whose child binds: the child\'s socket counts, and the whole tree is stopped (a child ignoring SIGTERM too)', async () => {
  const port = await freePort();
  const dir = workspace(port);
  const pidfile = join(dir, 'child.pid');
  const r = await verifyJson(dir, ['--timeout', '20s', '--', 'sh', '-c', `${process.execPath} server.js & wait`], { PIDFILE: pidfile, IGNORE_TERM: '1' });
  assert.equal(r.code, 0, r.err + JSON.stringify(r.json.findings));
  const child = Number(readFileSync(pidfile, 'utf8'));
  assert.notEqual(child, r.json.verify.pid, 'the shell is the root, the child binds');
  assert.deepEqual(r.json.verify.sockets.map((s) => [s.pid, s.port]), [[child, port]]);
  assert.ok(gone(child), `the child ${child} was left running`);
  assert.ok(gone(r.json.verify.pid));
  assert.equal(r.err, '');
});

test('Python servers: the declared port passes; loopback under a shell fails', { skip: PYTHON ? false : 'python3 is not installed here: Node servers only' }, async () => {
  const port = await freePort();
  const dir = workspace(port);
  const ok = await verifyJson(dir, ['--timeout', '20s', '--', PYTHON, 'server.py']);
  assert.equal(ok.code, 0, ok.err + JSON.stringify(ok.json.findings));
  assert.deepEqual(ok.json.verify.sockets.map((s) => s.port), [port]);
  const loop = await verifyJson(dir, ['--timeout', '20s', '--', 'sh', '-c', `BIND=127.0.0.1 exec ${PYTHON} server.py`]);
  assert.equal(loop.code, 1);
  assert.deepEqual(loop.json.findings.map((f) => f.rule), ['verify-loopback']);
});

test('--pid inspects a running process and leaves it running', async () => {
  const port = await freePort();
  const dir = workspace(port);
  const server = spawn(process.execPath, ['server.js', String(port)], { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    await new Promise((r) => server.stdout.once('data', r));
    const r = await verifyJson(dir, ['--pid', String(server.pid)]);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.json.verify.outcome, 'inspected');
    assert.deepEqual(r.json.verify.sockets.map((s) => [s.pid, s.port]), [[server.pid, port]]);
    assert.equal(gone(server.pid), false);
    const idle = spawn('sleep', ['60'], { stdio: 'ignore' });
    const none = await verify(dir, ['--pid', String(idle.pid)]);
    idle.kill('SIGKILL');
    assert.equal(none.code, 1);
    assert.match(none.out, /listens on nothing/);
  } finally {
    server.kill('SIGKILL');
  }
});

test('lsof reads the same sockets (the way other systems go)', { skip: spawnSync('lsof', ['-v']).error ? 'lsof is not installed here' : false }, async () => {
  const [port, other] = [await freePort(), await freePort()];
  const dir = workspace(port);
  const r = await verifyJson(dir, ['--backend', 'lsof', '--timeout', '20s', '--', process.execPath, 'server.js', String(other)]);
  assert.equal(r.code, 1);
  assert.deepEqual(r.json.verify.sockets.map((s) => [s.address, s.port]), [['0.0.0.0', other]]);
  assert.equal(r.json.findings[0].rule, 'verify-port');
});

test('SARIF and GitHub formats carry the findings; SARIF each result\'s evidence', async () => {
  const [port, other] = [await freePort(), await freePort()];
  const dir = workspace(port);
  const s = await verify(dir, ['--format', 'sarif', '--timeout', '20s', '--', process.execPath, 'server.js', String(other)]);
  assert.equal(s.code, 1);
  const log = JSON.parse(s.out);
  const res = log.runs[0].results[0];
  assert.equal(res.ruleId, 'verify-port');
  assert.equal(log.runs[0].tool.driver.rules[res.ruleIndex].id, 'verify-port');
  assert.deepEqual(res.properties.evidence.map((e) => e.port), [other]);
  const g = await verify(dir, ['--format', 'github', '--timeout', '20s', '--', process.execPath, 'server.js', String(other)]);
  assert.match(g.out, /^::error file=compose\.production\.yaml,line=\d+.*title=port-parity verify-port::/m);
});

test('usage: a service, one way to observe, a known environment; --compose without Docker says so', async (t) => {
  const dir = workspace(await freePort());
  for (const [args, msg] of [[['--', 'true'], /needs --service/], [['--service', 'api'], /one of: -- COMMAND/], [['--service', 'nope', '--', 'true'], /no service named nope/], [['--service', 'api', '--env', 'staging', '--', 'true'], /not in staging/], [['--service', 'api', '--timeout', 'soon', '--', 'true'], /--timeout/]]) {
    const r = spawnSync(process.execPath, [CLI, 'verify', dir, ...args], { encoding: 'utf8' });
    assert.equal(r.status, 2, args.join(' '));
    assert.match(r.stderr, msg);
  }
  const docker = spawnSync('docker', ['info'], { stdio: 'ignore' });
  if (docker.status === 0) {
    t.skip('Docker answers here; the --compose path needs a running compose project, which these tests do not start');
    return;
  }
  const r = spawnSync(process.execPath, [CLI, 'verify', dir, '--service', 'api', '--compose', 'api'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--compose needs Docker/);
});

test('socket tables: /proc addresses (IPv4, IPv6, IPv4-mapped) and lsof listings', () => {
  assert.equal(api.procAddress('0100007F'), '127.0.0.1');
  assert.equal(api.procAddress('00000000000000000000000001000000'), '::1');
  assert.equal(api.procAddress('0000000000000000FFFF00000100007F'), '::ffff:127.0.0.1');
  assert.equal(api.procAddress('00000000000000000000000000000000'), '::');
  const table = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4242 1 0 100 0 0 10 0\n   1: 0100007F:1F91 0100007F:1F90 01 00000000:00000000 00:00000000 00000000  1000        0 4243 1 0 100 0 0 10 0\n';
  assert.deepEqual([...api.parseProcNet(table, 4)], [['4242', { address: '127.0.0.1', port: 8080, family: 4 }]]);
  assert.deepEqual(api.parseLsof('p12\nn*:8080\nn[::1]:9090\np13\nn127.0.0.1:7070\n').map((s) => [s.pid, s.address, s.port]), [[13, '127.0.0.1', 7070], [12, '0.0.0.0', 8080], [12, '::1', 9090]]);
  assert.ok(api.isLoopback('::ffff:127.0.0.1') && api.isLoopback('127.0.0.53') && !api.isLoopback('::') && !api.isLoopback('10.0.0.1'));
});

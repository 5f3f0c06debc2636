// Behaviour of the Dockerfile extractor (and the start-command and health check readers it uses), with exact ranges.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import core from '../../dist/core.js';

const { extractDockerfile, parseCommand, shellWords, LineIndex } = core;

function read(text, path = 'Dockerfile') {
  const facts = extractDockerfile({ path, text });
  checkLocs(facts, text, path);
  return facts;
}

/** Every Loc in the facts agrees with its own offsets, so a range shown in the editor is the one sliced here. */
function checkLocs(value, text, path) {
  if (Array.isArray(value)) return value.forEach((v) => checkLocs(v, text, path));
  if (!value || typeof value !== 'object') return;
  if ('start' in value && 'end' in value && 'line' in value) {
    assert.equal(value.file, path);
    assert.ok(value.start <= value.end && value.end <= text.length, `loc ${value.start}-${value.end} inside the text`);
    const pos = (o) => {
      const before = text.slice(0, o);
      const lines = before.split(/\r\n|\r|\n/);
      return { line: lines.length - 1, col: lines[lines.length - 1].length };
    };
    assert.deepEqual({ line: value.line, col: value.col }, pos(value.start));
    assert.deepEqual({ line: value.endLine, col: value.endCol }, pos(value.end));
    return;
  }
  for (const v of Object.values(value)) checkLocs(v, text, path);
}

const at = (text, loc) => text.slice(loc.start, loc.end);

test('EXPOSE reads plain ports, protocols and ranges with the port digits as the location', () => {
  const text = 'FROM nginx\nEXPOSE 80 8080/tcp 53/udp 9999/sctp 8000-8010 7000-7001/UDP\n';
  const f = read(text);
  assert.deepEqual(f.problems, []);
  const e = f.exposes;
  assert.deepEqual(e.map((x) => [x.port, x.protocol, x.rangeEnd, x.literal]), [
    [80, 'TCP', undefined, true],
    [8080, 'TCP', undefined, true],
    [53, 'UDP', undefined, true],
    [9999, 'SCTP', undefined, true],
    [8000, 'TCP', 8010, false],
    [7000, 'UDP', 7001, false],
  ]);
  assert.deepEqual(e.map((x) => at(text, x.loc)), ['80', '8080', '53', '9999', '8000-8010', '7000-7001']);
  assert.equal(e[1].loc.line, 1);
  assert.equal(e[1].loc.col, 10);
  assert.equal(e[0].variable, undefined);
});

test('EXPOSE resolves $VAR, ${VAR}, ${VAR:-default} and ${VAR-default} and locates the variable token', () => {
  const text = [
    'FROM node:20',
    'ARG PORT=3000',
    'ENV METRICS=9100',
    'EXPOSE $PORT/tcp ${METRICS} ${ADMIN:-8081} ${DEBUG-9229}/udp',
  ].join('\n');
  const f = read(text);
  assert.deepEqual(f.problems, []);
  assert.deepEqual(f.exposes.map((x) => [x.port, x.variable, x.literal, x.protocol, at(text, x.loc)]), [
    [3000, 'PORT', false, 'TCP', '$PORT'],
    [9100, 'METRICS', false, 'TCP', '${METRICS}'],
    [8081, 'ADMIN', false, 'TCP', '${ADMIN:-8081}'],
    [9229, 'DEBUG', false, 'UDP', '${DEBUG-9229}'],
  ]);
});

test('EXPOSE of a variable without a value gives a port-less expose naming the variable, and no problem', () => {
  const text = 'FROM node\nARG PORT\nEXPOSE $PORT ${NEVER_DECLARED}/udp\n';
  const f = read(text);
  assert.deepEqual(f.problems, []);
  assert.equal(f.exposes.length, 2);
  assert.equal(f.exposes[0].port, undefined);
  assert.equal(f.exposes[0].variable, 'PORT');
  assert.equal(at(text, f.exposes[0].loc), '$PORT');
  assert.equal(f.exposes[1].port, undefined);
  assert.equal(f.exposes[1].variable, 'NEVER_DECLARED');
  assert.equal(f.exposes[1].protocol, 'UDP');
});

test('EXPOSE of an out-of-range, non-numeric or unknown-protocol value is a problem at the token, not an expose', () => {
  const text = 'FROM node\nEXPOSE 70000 abc 80/foo 0 9000-8000 3000\nARG BAD=http\nEXPOSE $BAD\n';
  const f = read(text);
  assert.deepEqual(f.exposes.map((x) => x.port), [3000]);
  const byToken = Object.fromEntries(f.problems.map((p) => [at(text, p.loc), p.message]));
  assert.equal(byToken['70000'], 'EXPOSE 70000 is not a port number (1-65535)');
  assert.match(byToken.abc, /EXPOSE abc is not a port number/);
  assert.match(byToken['80/foo'], /unknown protocol "foo"/);
  assert.match(byToken['0'], /not a port number/);
  assert.match(byToken['9000-8000'], /not a valid port range/);
  assert.match(byToken.$BAD, /\$BAD \("http"\) is not a port number/);
  assert.equal(f.problems.length, 6);
});

test('an ARG before the first FROM is visible in a stage only when redeclared there, taking the global default', () => {
  const text = [
    'ARG PORT=8080',
    'ARG OTHER=9000',
    'FROM node AS app',
    'ARG PORT',
    'EXPOSE $PORT $OTHER',
  ].join('\n');
  const f = read(text);
  assert.equal(f.exposes[0].port, 8080);
  assert.equal(f.exposes[0].variable, 'PORT');
  assert.equal(f.exposes[1].port, undefined, 'OTHER was not redeclared in the stage');
  assert.equal(f.exposes[1].variable, 'OTHER');
  assert.deepEqual(f.problems, []);
});

test('ENV wins over an ARG of the same name, whichever comes first', () => {
  const text = ['FROM node', 'ARG PORT=1000', 'ENV PORT=2000', 'EXPOSE $PORT', 'ARG PORT=3000', 'EXPOSE $PORT'].join('\n');
  const f = read(text);
  assert.deepEqual(f.exposes.map((x) => x.port), [2000, 2000]);
});

test('a variable value may refer to earlier variables, with defaults', () => {
  const text = ['FROM node', 'ARG BASE=8000', 'ENV APP_PORT=${BASE} ADMIN=${MISSING:-$BASE}', 'ENV FINAL=$APP_PORT', 'EXPOSE $FINAL $ADMIN'].join('\n');
  const f = read(text);
  assert.deepEqual(f.exposes.map((x) => [x.port, x.variable]), [[8000, 'FINAL'], [8000, 'ADMIN']]);
  const env = Object.fromEntries(f.env.map((v) => [v.name, v]));
  assert.equal(env.APP_PORT.value, '8000');
  assert.equal(env.APP_PORT.port, 8000);
  assert.equal(env.APP_PORT.literal, false, 'the source says ${BASE}, not the digits');
  assert.equal(at(text, env.APP_PORT.valueLoc), '${BASE}');
  assert.equal(env.FINAL.port, 8000);
});

test('ENV facts carry exact name and value ranges for key=value, quoted and legacy forms', () => {
  const text = ['FROM node', 'ENV PORT=8080 HOST="0.0.0.0" QUOTED="9090" NAME=web', 'ENV LEGACY 3000', "ENV SINGLE='$PORT'", 'ENV EMPTY='].join('\n');
  const f = read(text);
  const env = Object.fromEntries(f.env.map((v) => [v.name, v]));
  assert.deepEqual(Object.keys(env), ['PORT', 'HOST', 'QUOTED', 'NAME', 'LEGACY', 'SINGLE', 'EMPTY']);
  assert.equal(at(text, env.PORT.nameLoc), 'PORT');
  assert.equal(at(text, env.PORT.valueLoc), '8080');
  assert.equal(env.PORT.port, 8080);
  assert.equal(env.PORT.literal, true);
  assert.equal(env.HOST.value, '0.0.0.0');
  assert.equal(env.HOST.port, undefined);
  assert.equal(at(text, env.QUOTED.valueLoc), '9090', 'inside the quotes');
  assert.equal(env.QUOTED.literal, true);
  assert.equal(env.LEGACY.value, '3000');
  assert.equal(at(text, env.LEGACY.valueLoc), '3000');
  assert.equal(env.LEGACY.port, 3000);
  assert.equal(env.SINGLE.value, '$PORT', 'single quotes are not expanded');
  assert.equal(env.EMPTY.value, '');
  assert.equal(env.EMPTY.port, undefined);
});

test('a later ENV of the same name replaces the earlier one', () => {
  const f = read('FROM node\nENV PORT=1\nENV PORT=2\n');
  assert.deepEqual(f.env.map((v) => [v.name, v.value]), [['PORT', '2']]);
});

test('in a multi-stage build only the final stage is the image, and stages keep their names', () => {
  const text = [
    'FROM golang:1.22 AS build',
    'ENV PORT=9999',
    'EXPOSE 9999',
    'CMD ["go", "run", ".", "--port", "9999"]',
    'FROM gcr.io/distroless/base AS runtime',
    'ENV PORT=8080',
    'EXPOSE 8080',
    'CMD ["/app", "--port", "8080"]',
  ].join('\n');
  const f = read(text);
  assert.deepEqual(f.stages.map((s) => s.name), ['build', 'runtime']);
  assert.deepEqual(f.exposes.map((x) => x.port), [8080]);
  assert.deepEqual(f.env.map((v) => v.value), ['8080']);
  assert.deepEqual(f.command.ports.map((p) => p.port), [8080]);
  assert.deepEqual(f.stages[0].exposes.map((x) => x.port), [9999]);
  assert.deepEqual(f.stages[0].command.ports.map((p) => p.port), [9999]);
});

test('an unnamed stage has no name, and a file without FROM stages gives empty facts', () => {
  assert.deepEqual(read('FROM a\nFROM b AS x\nFROM c\n').stages.map((s) => s.name), [undefined, 'x', undefined]);
  const f = read('');
  assert.deepEqual([f.stages, f.exposes, f.env, f.healthchecks, f.problems], [[], [], [], [], []]);
  assert.deepEqual(f.command, { ports: [], binds: [] });
  assert.equal(f.kind, 'dockerfile');
  assert.equal(f.file, 'Dockerfile');
});

test('a stage built FROM an earlier stage keeps its ENV, EXPOSE, CMD and HEALTHCHECK', () => {
  const text = [
    'FROM python:3.12 AS base',
    'ENV PORT=5000',
    'EXPOSE 5000',
    'HEALTHCHECK CMD curl -f http://localhost:5000/ || exit 1',
    'CMD gunicorn -b 0.0.0.0:$PORT app:app',
    'FROM base AS prod',
    'ENV WORKERS=4',
  ].join('\n');
  const f = read(text);
  assert.deepEqual(f.exposes.map((x) => x.port), [5000]);
  assert.deepEqual(f.env.map((v) => v.name), ['PORT', 'WORKERS']);
  assert.deepEqual(f.command.ports.map((p) => [p.port, p.variable]), [[5000, 'PORT']]);
  assert.deepEqual(f.healthchecks.map((h) => h.port.port), [5000]);
});

test('an ENTRYPOINT resets a CMD inherited from the parent stage', () => {
  const f = read('FROM x AS a\nCMD ["srv", "--port", "1111"]\nFROM a\nENTRYPOINT ["other"]\n');
  assert.deepEqual(f.command.ports, []);
});

function cmd(line, extra = '') {
  const text = `FROM base\n${extra}${line}\n`;
  return { text, f: read(text) };
}

test('CMD exec form: --port is the primary port, located in the JSON string', () => {
  const { text, f } = cmd('CMD ["node", "server.js", "--port", "3000"]');
  assert.equal(f.command.ports.length, 1);
  const p = f.command.ports[0];
  assert.deepEqual([p.port, p.flag, p.primary, p.literal], [3000, '--port', true, true]);
  assert.equal(at(text, p.loc), '3000');
});

test('CMD exec form with --port=VALUE inline locates the digits after the equals sign', () => {
  const { text, f } = cmd('CMD ["serve", "--port=4000"]');
  assert.equal(at(text, f.command.ports[0].loc), '4000');
});

test('CMD shell form: gunicorn --bind 0.0.0.0:8000 gives a bind and a port', () => {
  const { text, f } = cmd('CMD gunicorn --bind 0.0.0.0:8000 app:app');
  assert.deepEqual(f.command.ports.map((p) => [p.port, p.flag, at(text, p.loc)]), [[8000, '--bind', '8000']]);
  assert.deepEqual(f.command.binds.map((b) => [b.host, at(text, b.loc)]), [['0.0.0.0', '0.0.0.0']]);
});

test('puma -b tcp://0.0.0.0:3000', () => {
  const { text, f } = cmd('CMD ["bundle", "exec", "puma", "-b", "tcp://0.0.0.0:3000"]');
  assert.deepEqual(f.command.ports.map((p) => [p.port, at(text, p.loc)]), [[3000, '3000']]);
  assert.deepEqual(f.command.binds.map((b) => b.host), ['0.0.0.0']);
});

test('uvicorn main:app --host 127.0.0.1 --port 8000 binds loopback explicitly', () => {
  const { text, f } = cmd('CMD ["uvicorn", "main:app", "--host", "127.0.0.1", "--port", "8000"]');
  assert.deepEqual(f.command.ports.map((p) => p.port), [8000]);
  assert.equal(f.command.binds.length, 1);
  assert.equal(f.command.binds[0].host, '127.0.0.1');
  assert.equal(f.command.binds[0].defaulted, undefined);
  assert.equal(at(text, f.command.binds[0].loc), '127.0.0.1');
});

test('uvicorn app:app with no --host is a defaulted loopback bind located at the program', () => {
  const { text, f } = cmd('CMD uvicorn app:app');
  assert.equal(f.command.binds.length, 1);
  assert.equal(f.command.binds[0].host, '127.0.0.1');
  assert.equal(f.command.binds[0].defaulted, true);
  assert.equal(at(text, f.command.binds[0].loc), 'uvicorn');
});

test('uvicorn with UVICORN_HOST in the image ENV is not a defaulted loopback bind', () => {
  const { f } = cmd('CMD uvicorn app:app', 'ENV UVICORN_HOST=0.0.0.0\n');
  assert.deepEqual(f.command.binds, []);
});

test('java -Dserver.port=8081 -jar app.jar', () => {
  const { text, f } = cmd('ENTRYPOINT ["java", "-Dserver.port=8081", "-jar", "app.jar"]');
  assert.deepEqual(f.command.ports.map((p) => [p.port, p.flag, p.primary, at(text, p.loc)]), [[8081, '-Dserver.port', true, '8081']]);
});

test('dotnet app.dll --urls http://+:8080', () => {
  const { text, f } = cmd('CMD dotnet app.dll --urls http://+:8080');
  assert.deepEqual(f.command.ports.map((p) => [p.port, p.flag, at(text, p.loc)]), [[8080, '--urls', '8080']]);
  assert.deepEqual(f.command.binds, []);
});

test('sh -c "gunicorn -b 0.0.0.0:$PORT app:app" resolves PORT from ENV and locates $PORT inside the script', () => {
  for (const line of ['CMD ["sh", "-c", "gunicorn -b 0.0.0.0:$PORT app:app"]', 'CMD sh -c "gunicorn -b 0.0.0.0:$PORT app:app"']) {
    const { text, f } = cmd(line, 'ENV PORT=5000\n');
    assert.equal(f.command.ports.length, 1, line);
    const p = f.command.ports[0];
    assert.deepEqual([p.port, p.variable, p.literal, at(text, p.loc)], [5000, 'PORT', false, '$PORT'], line);
    assert.equal(at(text, f.command.binds[0].loc), '0.0.0.0', line);
  }
});

test('an ENV set after the CMD still applies when the container starts', () => {
  const text = 'FROM base\nCMD ["sh", "-c", "serve --port $PORT"]\nENV PORT=7000\n';
  assert.deepEqual(read(text).command.ports.map((p) => p.port), [7000]);
});

test('an ARG alone does not reach the start command (ARGs are not in the running container)', () => {
  const { f } = cmd('CMD ["sh", "-c", "serve --port $PORT"]', 'ARG PORT=7000\n');
  assert.deepEqual(f.command.ports, []);
});

test('ENTRYPOINT exec words are followed by CMD words', () => {
  const { text, f } = cmd('CMD ["--port", "9000"]', 'ENTRYPOINT ["python", "-m", "myapp"]\n');
  assert.deepEqual(f.command.ports.map((p) => [p.port, at(text, p.loc)]), [[9000, '9000']]);
});

test('a shell-form ENTRYPOINT ignores CMD', () => {
  const { f } = cmd('CMD ["--port", "9000"]', 'ENTRYPOINT exec myapp\n');
  assert.deepEqual(f.command.ports, []);
});

test('the last CMD of the stage is the command', () => {
  const { f } = cmd('CMD ["app", "--port", "2"]', 'CMD ["app", "--port", "1"]\n');
  assert.deepEqual(f.command.ports.map((p) => p.port), [2]);
});

test('exec-form elements with JSON escapes are decoded and located at the whole string', () => {
  const { text, f } = cmd('CMD ["app", "--listen", "0.0.0.0:\\u0038080"]');
  assert.deepEqual(f.command.ports.map((p) => [p.port, p.literal]), [[8080, false]]);
  assert.equal(at(text, f.command.ports[0].loc), '"0.0.0.0:\\u0038080"');
});

test('a CMD starting with [ that is not a JSON array of strings is the shell form', () => {
  const { text, f } = cmd('CMD [ -f /etc/app.conf ] && exec serve --port 5050');
  assert.deepEqual(f.command.ports.map((p) => [p.port, at(text, p.loc)]), [[5050, '5050']]);
  // Single quotes are not JSON: Docker hands the text to sh, which runs `[app,`.
  assert.deepEqual(cmd("CMD ['app', '--port', '5050']").f.command.ports, []);
});

test('CMD continued over lines (with a comment line inside) keeps exact ranges', () => {
  const text = 'FROM base\nCMD ["gunicorn", \\\n# the bind\n     "--bind", "0.0.0.0:8000", \\\n     "app:app"]\n';
  const f = read(text);
  assert.deepEqual(f.command.ports.map((p) => [p.port, at(text, p.loc), p.loc.line]), [[8000, '8000', 3]]);
  const shell = 'FROM base\nCMD gunicorn \\\n  --bind 0.0.0.0:8000 app:app\n';
  const g = read(shell);
  assert.deepEqual(g.command.ports.map((p) => [p.port, at(shell, p.loc), p.loc.line]), [[8000, '8000', 2]]);
});

test('HEALTHCHECK with curl finds the URL port and host, skipping --interval options', () => {
  const text = 'FROM base\nHEALTHCHECK --interval=30s --timeout=3s CMD curl -f http://localhost:8080/health || exit 1\n';
  const f = read(text);
  assert.equal(f.healthchecks.length, 1);
  const h = f.healthchecks[0];
  assert.deepEqual([h.kind, h.type, h.host, h.port.port, h.port.literal, at(text, h.port.loc)], ['healthcheck', 'command', 'localhost', 8080, true, '8080']);
});

test('HEALTHCHECK words named like Object properties are programs and schemes like any other', () => {
  const text = 'FROM base\nHEALTHCHECK CMD constructor -p 80 && toString --port 81 && curl constructor://api/ http://localhost:8080/\n';
  const f = read(text);
  assert.deepEqual(f.problems, []);
  assert.deepEqual(f.healthchecks.map((h) => [h.host, h.port.port, at(text, h.port.loc)]), [['localhost', 8080, '8080']]);
});

test('HEALTHCHECK with wget and ${PORT} resolves the port from ENV', () => {
  const text = 'FROM base\nENV PORT=3000\nHEALTHCHECK CMD wget -qO- http://127.0.0.1:${PORT}/ || exit 1\n';
  const h = read(text).healthchecks[0];
  assert.deepEqual([h.host, h.port.port, h.port.variable, h.port.literal, at(text, h.port.loc)], ['127.0.0.1', 3000, 'PORT', false, '${PORT}']);
});

test('HEALTHCHECK with an unresolved variable keeps the variable and no port', () => {
  const text = 'FROM base\nHEALTHCHECK CMD curl http://localhost:$APP_PORT/\n';
  const h = read(text).healthchecks[0];
  assert.equal(h.port.port, undefined);
  assert.equal(h.port.variable, 'APP_PORT');
});

test('HEALTHCHECK with nc -z host port reads the separate host and port words', () => {
  const text = 'FROM base\nHEALTHCHECK CMD nc -z -w 2 localhost 6379 || exit 1\n';
  const h = read(text).healthchecks;
  assert.deepEqual(h.map((x) => [x.host, x.port.port, at(text, x.port.loc)]), [['localhost', 6379, '6379']]);
});

test('HEALTHCHECK exec form, URLs without a port and host:port words', () => {
  const text = [
    'FROM base',
    'HEALTHCHECK CMD ["curl", "-f", "https://api.internal/health", "http://web/", "localhost:9000/ping", "-u", "admin:1234"]',
  ].join('\n');
  const h = read(text).healthchecks;
  assert.deepEqual(h.map((x) => [x.host, x.port.port, x.port.literal, at(text, x.port.loc)]), [
    ['api.internal', 443, false, 'api.internal'],
    ['web', 80, false, 'web'],
    ['localhost', 9000, true, '9000'],
  ]);
});

test('HEALTHCHECK through sh -c and bash /dev/tcp', () => {
  const text = 'FROM base\nHEALTHCHECK CMD ["bash", "-c", "echo > /dev/tcp/127.0.0.1/5432"]\n';
  const h = read(text).healthchecks;
  assert.deepEqual(h.map((x) => [x.host, x.port.port, at(text, x.port.loc)]), [['127.0.0.1', 5432, '5432']]);
});

test('HEALTHCHECK with database clients reads their port flag', () => {
  const text = 'FROM postgres\nHEALTHCHECK CMD pg_isready -U app -h 127.0.0.1 -p 5433\n';
  const h = read(text).healthchecks;
  assert.deepEqual(h.map((x) => [x.host, x.port.port, at(text, x.port.loc)]), [['127.0.0.1', 5433, '5433']]);
});

test('HEALTHCHECK NONE disables the health check, and only the last HEALTHCHECK counts', () => {
  assert.deepEqual(read('FROM x AS a\nHEALTHCHECK CMD curl http://localhost:1/\nFROM a\nHEALTHCHECK NONE\n').healthchecks, []);
  const f = read('FROM x\nHEALTHCHECK CMD curl http://localhost:1/\nHEALTHCHECK CMD curl http://localhost:2/\n');
  assert.deepEqual(f.healthchecks.map((h) => h.port.port), [2]);
});

test('a CRLF file with continuations gives the same facts and exact ranges', () => {
  const lf = 'FROM node AS app\nENV PORT=8080\nEXPOSE 80 \\\n  $PORT/udp\nCMD ["node", "s.js", \\\n  "--port", "8080"]\nHEALTHCHECK CMD curl -f http://localhost:8080/ || exit 1\n';
  const crlf = lf.replace(/\n/g, '\r\n');
  const a = read(lf);
  const b = read(crlf);
  assert.deepEqual(b.problems, []);
  assert.deepEqual(b.exposes.map((x) => [x.port, x.protocol, at(crlf, x.loc), x.loc.line, x.loc.col]), [
    [80, 'TCP', '80', 2, 7],
    [8080, 'UDP', '$PORT', 3, 2],
  ]);
  assert.deepEqual(b.exposes.map((x) => [x.port, x.loc.line, x.loc.col]), a.exposes.map((x) => [x.port, x.loc.line, x.loc.col]));
  assert.deepEqual(b.env.map((v) => [v.value, at(crlf, v.valueLoc)]), [['8080', '8080']]);
  assert.deepEqual(b.command.ports.map((p) => [p.port, at(crlf, p.loc), p.loc.line]), [[8080, '8080', 5]]);
  assert.deepEqual(b.healthchecks.map((h) => [h.port.port, at(crlf, h.port.loc)]), [[8080, '8080']]);
});

test('the # escape=` directive makes the backtick the line continuation', () => {
  const text = '# escape=`\nFROM mcr.microsoft.com/dotnet/aspnet AS app\nENV ASPNETCORE_HTTP_PORTS=8080\nEXPOSE 8080 `\n  8443\n';
  const f = read(text);
  assert.deepEqual(f.problems, []);
  assert.deepEqual(f.exposes.map((x) => [x.port, at(text, x.loc)]), [[8080, '8080'], [8443, '8443']]);
  assert.equal(f.env[0].port, 8080);
});

test('comments and # port-parity-ignore lines are read as suppressions, not instructions', () => {
  const text = 'FROM node\n# EXPOSE 1234\n# port-parity-ignore expose-unpublished reason here\nEXPOSE 3000\n';
  const f = read(text);
  assert.deepEqual(f.exposes.map((x) => x.port), [3000]);
  assert.deepEqual(f.suppressions, [{ rules: ['expose-unpublished'], fromLine: 2, toLine: 3 }]);
});

test('ONBUILD and heredoc bodies are not read as instructions of the image', () => {
  const text = 'FROM node\nONBUILD EXPOSE 1111\nRUN <<EOF\nEXPOSE 2222\nEOF\nEXPOSE 3333\n';
  assert.deepEqual(read(text).exposes.map((x) => x.port), [3333]);
});

test('malformed input never throws', () => {
  for (const text of ['EXPOSE', 'FROM', 'FROM x\nEXPOSE\nENV\nARG\nCMD\nENTRYPOINT []\nHEALTHCHECK\nHEALTHCHECK --interval=1s CMD', '\u0000\u0001{{', 'FROM x\nEXPOSE ${\nENV A=${B\nCMD ["a", ', '\\\n\\\n', 'FROM x\r\rEXPOSE 1\r']) {
    const f = read(text);
    assert.equal(f.kind, 'dockerfile');
  }
  const f = read('FROM x\r\rEXPOSE 1\r');
  assert.deepEqual(f.exposes.map((x) => x.port), [1]);
});

test('a reader failure comes back as a "could not read Dockerfile" problem on line 1', () => {
  const f = extractDockerfile({ path: 'Dockerfile', text: undefined });
  assert.equal(f.problems.length, 1);
  assert.match(f.problems[0].message, /^could not read Dockerfile: /);
  assert.equal(f.problems[0].loc.line, 0);
  assert.deepEqual(f.exposes, []);
});

test('one ARG may declare several variables', () => {
  assert.deepEqual(read('FROM x\nARG A=1 B=2\nEXPOSE $A $B\n').exposes.map((x) => x.port), [1, 2]);
});

test('instructions before the first FROM other than ARG still give facts', () => {
  const f = read('EXPOSE 8080\n');
  assert.deepEqual(f.exposes.map((x) => x.port), [8080]);
  assert.equal(f.stages.length, 1);
});

// parseCommand edge cases fixed alongside the extractor.
function words(text) {
  const ix = new LineIndex('cmd', text);
  return { ix, words: shellWords(text, (i) => i, ix.loc(0, text.length)) };
}

test('parseCommand resolves ${PORT-8080} (default without a colon) in a bind address', () => {
  const text = 'gunicorn -b 0.0.0.0:${PORT-8080} app:app';
  const { ix, words: w } = words(text);
  const info = parseCommand(ix, w, () => undefined);
  assert.deepEqual(info.ports.map((p) => [p.port, p.variable, text.slice(p.loc.start, p.loc.end)]), [[8080, 'PORT', '${PORT-8080}']]);
  const set = parseCommand(ix, w, (n) => (n === 'PORT' ? '9000' : undefined));
  assert.deepEqual(set.ports.map((p) => p.port), [9000]);
});

test('parseCommand resolves ${PORT:-8080} in a bind address', () => {
  const text = 'gunicorn --bind=0.0.0.0:${PORT:-8080} app:app';
  const { ix, words: w } = words(text);
  assert.deepEqual(parseCommand(ix, w).ports.map((p) => p.port), [8080]);
});

test('EXPOSE with an Object.prototype key as its protocol is an unknown protocol, not a function', () => {
  const f = extractDockerfile({ path: 'Dockerfile', text: 'FROM base\nEXPOSE 80/constructor 81/toString\n' });
  assert.deepEqual(f.exposes, []);
  assert.deepEqual(f.problems.map((p) => p.message), [
    'EXPOSE 80/constructor: unknown protocol "constructor" (expected tcp, udp or sctp)',
    'EXPOSE 81/toString: unknown protocol "toString" (expected tcp, udp or sctp)',
  ]);
});

test('shellWords joins the lines a backslash continues, outside single quotes: the flags of a chart\'s sh -ec script are read after each continuation', () => {
  // A YAML block scalar keeps no indentation, so each continued line starts with its flag.
  const text = 'exec /usr/bin/weed \\\nmaster \\\n-port=9333 \\\r\n-metricsPort=9327 "-dir=/da\\\nta"';
  const { ix, words: w } = words(text);
  assert.deepEqual(w.map((x) => x.text), ['exec', '/usr/bin/weed', 'master', '-port=9333', '-metricsPort=9327', '-dir=/data']);
  const info = parseCommand(ix, w);
  assert.deepEqual(info.ports.map((p) => [p.port, p.primary, text.slice(p.loc.start, p.loc.end)]), [[9333, true, '9333'], [9327, false, '9327']]);
  assert.deepEqual(words("echo 'a\\\nb'").words.map((x) => x.text), ['echo', 'a\\\nb']);
});

test("the final stage's OCI labels name the image: the source repository, else a title that is a name", () => {
  const name = (text) => read(text).labelled;
  assert.equal(name('FROM node\nLABEL org.opencontainers.image.source="https://github.com/outline/outline"\n'), 'outline');
  assert.equal(name('FROM node\nLABEL org.opencontainers.image.source=git@github.com:acme/Shop-API.git\n'), 'shop-api');
  assert.equal(name('FROM node\nLABEL org.opencontainers.image.title=wiki org.opencontainers.image.source=https://gitlab.com/group/sub/repo/\n'), 'repo');
  assert.equal(name('FROM node\nLABEL org.opencontainers.image.title="wiki"\n'), 'wiki');
  assert.equal(name('FROM node\nLABEL org.opencontainers.image.title="Outline Wiki"\n'), undefined);
  assert.equal(name('FROM node\nLABEL maintainer="a@b.c"\n'), undefined);
  // A label of a build stage is not the final image's; a stage built on a labelled one keeps it.
  assert.equal(name('FROM node AS build\nLABEL org.opencontainers.image.title=builder\nFROM nginx\n'), undefined);
  assert.equal(name('FROM node AS base\nLABEL org.opencontainers.image.title=app\nFROM nginx AS other\nFROM base\n'), 'app');
});

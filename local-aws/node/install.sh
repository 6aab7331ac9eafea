#!/usr/bin/env bash
# Installs kinesis-mock and dynalite from the committed package-lock.json. Run by the local-aws build.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "Tideline needs Node.js 20 or newer (node and npm on the PATH) to run its local Kinesis and DynamoDB, and none was found." >&2
  exit 1
fi
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then
  echo "Tideline needs Node.js 20 or newer to run its local Kinesis and DynamoDB, but node --version says $(node --version)." >&2
  exit 1
fi

# npm ci wipes node_modules first; skip it when this exact lock file is already installed.
if [ -f node_modules/kinesis-local/main.js ] && [ -f node_modules/dynalite/cli.js ] && cmp -s package-lock.json node_modules/.installed-lock.json; then
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
cp package-lock.json node_modules/.installed-lock.json

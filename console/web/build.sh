#!/usr/bin/env bash
# Bundles the console page's script with uPlot (both from the committed package-lock.json) into
# the directory given, which the console serves as static files. Run by the console module's build.
set -euo pipefail
out="$1"
cd "$(dirname "$0")"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "The console's page is built with Node.js 20 or newer (node and npm on the PATH), and none was found." >&2
  exit 1
fi

# npm ci wipes node_modules first; skip it when this exact lock file is already installed.
if [ -x node_modules/.bin/esbuild ] && [ -f node_modules/uplot/dist/uPlot.esm.js ] && cmp -s package-lock.json node_modules/.installed-lock.json; then
  :
else
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.installed-lock.json
fi

mkdir -p "$out"
node_modules/.bin/esbuild console.js --bundle --minify --format=iife --target=es2020 --log-level=warning \
  --outfile="$out/console.js"

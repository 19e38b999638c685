#!/usr/bin/env bash
# node-llama-cpp 3.22.1 (llama.cpp with its prebuilt CPU binaries for this platform): the GGUF
# tests' reference implementation and the speed benchmark's peer, never part of the extension.
# It is not in package.json: its optional per-platform packages are not on every registry (the
# mirror these machines use lacks the Windows and macOS ones), and a lock file without them
# makes `npm ci` fail everywhere. So it is installed here, without saving, once, before the
# TypeScript compile (the tests import its types). NODE_LLAMA_CPP_SKIP_DOWNLOAD: no download.
set -euo pipefail
cd "$(dirname "$0")/.."
version=3.22.1
have=$(node -e "try { console.log(JSON.parse(require('fs').readFileSync('node_modules/node-llama-cpp/package.json', 'utf8')).version) } catch { }")
[ "$have" = "$version" ] && exit 0
echo "setup-llama-cpp: installing node-llama-cpp@$version (not saved to package.json)" >&2
# (no --omit=optional: it would remove the project's own optional packages, esbuild's binary among them)
NODE_LLAMA_CPP_SKIP_DOWNLOAD=true npm install --no-save --ignore-scripts --no-audit --no-fund --loglevel=error "node-llama-cpp@$version"

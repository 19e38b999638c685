#!/usr/bin/env bash
# llama.cpp's Python package `gguf` (PyPI) for training/export_gguf.py, which the GGUF export
# test (test/unit/ggufModelExport.test.ts) runs on gpt-code-tiny. Installed once at set-up,
# only if no python3 has it; nothing installs while tests run. Idempotent.
set -euo pipefail
GGUF=0.19.0
for py in python3 /usr/bin/python3; do
  if command -v "$py" >/dev/null && "$py" -c 'import gguf, numpy' 2>/dev/null; then
    echo "setup-gguf-python: $py has gguf $("$py" -c 'import importlib.metadata as m; print(m.version("gguf"))')" >&2
    exit 0
  fi
done
# A pip that works: pyenv's or Debian's; on a fresh Debian machine (CI runs as root) install it.
pip=""
for py in python3 /usr/bin/python3; do
  if command -v "$py" >/dev/null && "$py" -m pip --version >/dev/null 2>&1; then pip="$py -m pip"; break; fi
done
if [ -z "$pip" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends python3-pip python3-numpy >/dev/null 2>&1 || {
    apt-get update -qq && apt-get install -y -qq --no-install-recommends python3-pip python3-numpy >/dev/null
  }
  pip="/usr/bin/python3 -m pip"
fi
# Debian's python refuses pip installs without --break-system-packages (PEP 668); pyenv's takes it too.
$pip install --quiet --disable-pip-version-check --break-system-packages "gguf==$GGUF" >&2 ||
  $pip install --quiet --disable-pip-version-check "gguf==$GGUF" >&2
echo "setup-gguf-python: installed gguf $GGUF" >&2

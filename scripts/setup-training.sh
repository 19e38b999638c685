#!/usr/bin/env bash
# Installs what the training code needs (Debian's PyTorch for CPU and OpenBLAS), only if missing.
set -euo pipefail
if /usr/bin/python3 -c 'import torch, numpy' 2>/dev/null && dpkg -s libopenblas0-openmp >/dev/null 2>&1; then
  echo "setup-training: python3-torch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)') already installed"
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
[ -n "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v lock)" ] || apt-get update -qq
apt-get install -y -qq --no-install-recommends python3-torch python3-numpy libopenblas0-openmp xz-utils >/dev/null || {
  apt-get update -qq && apt-get install -y -qq --no-install-recommends python3-torch python3-numpy libopenblas0-openmp xz-utils >/dev/null
}
echo "setup-training: installed python3-torch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)')"

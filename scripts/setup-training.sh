#!/usr/bin/env bash
# Installs what the training code needs (Debian's PyTorch for CPU and OpenBLAS), only if missing.
set -euo pipefail
# Hugging Face tokenizers (PyPI; a Rust wheel, no dependencies needed for training) trains and
# runs the BPE vocabulary; Debian has no package for it.
TOKENIZERS=0.23.3
tokenizers() {
  /usr/bin/python3 -c "import tokenizers, sys; sys.exit(tokenizers.__version__ != '$TOKENIZERS')" 2>/dev/null ||
    /usr/bin/python3 -m pip install -q --break-system-packages --no-deps "tokenizers==$TOKENIZERS"
}
if /usr/bin/python3 -c 'import torch, numpy' 2>/dev/null && dpkg -s libopenblas0-openmp >/dev/null 2>&1; then
  tokenizers
  echo "setup-training: python3-torch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)') already installed"
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
[ -n "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v lock)" ] || apt-get update -qq
apt-get install -y -qq --no-install-recommends python3-torch python3-numpy python3-pip libopenblas0-openmp xz-utils >/dev/null || {
  apt-get update -qq && apt-get install -y -qq --no-install-recommends python3-torch python3-numpy python3-pip libopenblas0-openmp xz-utils >/dev/null
}
tokenizers
echo "setup-training: installed python3-torch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)')"

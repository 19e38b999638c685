"""Exports a bundled transformer (models/<id>/) to ONNX for the speed benchmark's peer.

    /usr/bin/python3 training/export_onnx.py --model models/gpt-code-tiny --out bench/onnx/gpt-code-tiny.onnx

The ONNX graph has the same weights as the engine computes with (F16 and int8 files are
dequantized to float32 exactly as src/engine/gpt.ts does) and a KV cache, so that
onnxruntime-node decodes one token at a time the way our engine does:

    inputs   input_ids  int64 (1, T)                     T new tokens
             past       float32 (n_layer, 2, 1, H, P, D)  keys and values of the P earlier tokens
    outputs  logits     float32 (1, 1, L)                 the last position's
             present    float32 (n_layer, 2, 1, H, P + T, D)

T and P are dynamic (P = 0 is a prefill). Next to the .onnx file it writes <name>.json with
the sha256 of the model.safetensors it came from (the benchmark re-exports when it changes)
and the largest difference between onnx-shaped PyTorch logits and the plain model's logits.

Runs on torch 1.13 (CPU, opset 14) without the `onnx` Python package.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import sys

import numpy as np
import torch
import torch.nn as nn
from torch.nn import functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import GPT, GPTConfig  # noqa: E402
from model_folder import dequantized_state  # noqa: E402
from safetensors_io import read_safetensors  # noqa: E402


class CachedGPT(nn.Module):
    """The same GPT forward pass with an explicit KV cache in and out (no Python control flow
    that depends on tensor values, so tracing keeps T and P dynamic)."""

    def __init__(self, gpt: GPT):
        super().__init__()
        self.gpt = gpt
        c = gpt.config
        self.n_head = c.n_head
        self.head_size = c.n_embd // c.n_head

    def forward(self, input_ids, past):
        t = self.gpt.transformer
        T = input_ids.shape[1]
        P = past.shape[4]
        pos = torch.arange(T, dtype=torch.long) + P  # positions P .. P+T-1
        x = t.wte(input_ids) + t.wpe(pos)  # (1, T, C)
        # query i (absolute position P+i) may see keys j <= P+i
        q_pos = (torch.arange(T, dtype=torch.long) + P).unsqueeze(1)  # (T, 1)
        k_pos = torch.arange(P + T, dtype=torch.long).unsqueeze(0)  # (1, P+T)
        blocked = k_pos > q_pos  # (T, P+T)
        presents = []
        for i, block in enumerate(t.h):
            a = block.attn
            h = block.ln_1(x)
            C = h.shape[2]
            q, k, v = a.c_attn(h).split(C, dim=2)
            q = q.view(1, T, self.n_head, self.head_size).transpose(1, 2)  # (1, H, T, D)
            k = k.view(1, T, self.n_head, self.head_size).transpose(1, 2)
            v = v.view(1, T, self.n_head, self.head_size).transpose(1, 2)
            k = torch.cat([past[i, 0], k], dim=2)  # (1, H, P+T, D)
            v = torch.cat([past[i, 1], v], dim=2)
            presents.append(torch.stack([k, v]))
            att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(self.head_size))
            att = att.masked_fill(blocked, float("-inf"))
            y = F.softmax(att, dim=-1) @ v  # (1, H, T, D)
            y = y.transpose(1, 2).reshape(1, T, C)
            x = x + a.c_proj(y)
            x = x + block.mlp(block.ln_2(x))
        # Only the last position's logits: all that decoding needs (the engine does the same).
        logits = self.gpt.lm_head(t.ln_f(x[:, -1:]))
        return logits, torch.stack(presents)


def load_bundled(folder: str) -> tuple[GPT, str]:
    """models/<id>/ -> (float32 GPT with the file's weights, sha256 of model.safetensors)."""
    with open(os.path.join(folder, "config.json")) as f:
        cfg = json.load(f)
    hf = cfg.get("weight_layout") == "conv1d"
    path = os.path.join(folder, "model.safetensors")
    with open(path, "rb") as f:
        sha = hashlib.sha256(f.read()).hexdigest()
    state = dequantized_state(read_safetensors(path), hf=hf)
    gpt = GPT(GPTConfig(vocab_size=cfg["vocab_size"], block_size=cfg["n_positions"], n_layer=cfg["n_layer"],
                        n_head=cfg["n_head"], n_embd=cfg["n_embd"], layer_norm_epsilon=cfg.get("layer_norm_epsilon", 1e-5)))
    missing, unexpected = gpt.load_state_dict({k: torch.from_numpy(v.astype(np.float32)) for k, v in state.items()}, strict=False)
    assert set(missing) <= {"lm_head.weight"} and not unexpected, (missing, unexpected)
    return gpt.eval(), sha


@torch.no_grad()
def check(gpt: GPT, cached: CachedGPT) -> float:
    """Largest |logit difference| between a prefill + 3 cached steps and the plain forward pass."""
    c = gpt.config
    g = torch.Generator().manual_seed(0)
    ids = torch.randint(0, c.vocab_size, (1, min(40, c.block_size)), generator=g)
    full, _ = gpt(ids)
    D = c.n_embd // c.n_head
    past = torch.zeros(c.n_layer, 2, 1, c.n_head, 0, D)
    split = ids.shape[1] - 3
    logits, past = cached(ids[:, :split], past)
    worst = float((logits[0, 0] - full[0, split - 1]).abs().max())
    for i in range(split, ids.shape[1]):
        logits, past = cached(ids[:, i:i + 1], past)
        worst = max(worst, float((logits[0, 0] - full[0, i]).abs().max()))
    return worst


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True, help="a model folder, e.g. models/gpt-code-tiny")
    ap.add_argument("--out", required=True, help="the .onnx file to write")
    ap.add_argument("--opset", type=int, default=14)
    a = ap.parse_args()
    torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))
    gpt, sha = load_bundled(a.model)
    cached = CachedGPT(gpt).eval()
    worst = check(gpt, cached)
    if worst > 1e-3:
        raise SystemExit(f"the cached forward pass differs from the model by {worst:g}")
    c = gpt.config
    D = c.n_embd // c.n_head
    ids = torch.zeros(1, 3, dtype=torch.long)
    past = torch.zeros(c.n_layer, 2, 1, c.n_head, 5, D)
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    tmp = a.out + ".tmp"
    torch.onnx.export(cached, (ids, past), tmp, opset_version=a.opset, do_constant_folding=True,
                      input_names=["input_ids", "past"], output_names=["logits", "present"],
                      dynamic_axes={"input_ids": {1: "T"}, "past": {4: "P"}, "present": {4: "P_plus_T"}})
    os.replace(tmp, a.out)
    meta = {"model": os.path.basename(os.path.normpath(a.model)), "safetensors_sha256": sha, "opset": a.opset,
            "torch": torch.__version__, "cached_vs_plain_max_abs_diff": worst, "onnx_bytes": os.path.getsize(a.out)}
    with open(os.path.splitext(a.out)[0] + ".json", "w") as f:
        json.dump(meta, f, indent=1)
    print(json.dumps(meta))


if __name__ == "__main__":
    main()

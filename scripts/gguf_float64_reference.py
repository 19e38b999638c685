"""The logits of one token of a Llama-architecture GGUF file in float64 (numpy), over weights
dequantised by llama.cpp's `gguf` package, compared with two engines' logits for the same token.

    python3 scripts/gguf_float64_reference.py FILE.gguf LOGITS.json   (scripts/gguf-float64-check.mjs writes it)

LOGITS.json: {"token": id, "ours": [...], "llama": [...]}. Prints one JSON line: the largest
|difference| of each engine from float64 and between the two, and the reference's RMS.
For a single token, attention is the value vector itself (softmax over one key, RoPE at
position 0 is the identity), so the pass is embedding, then per layer RMSNorm, V, output
projection, RMSNorm, SwiGLU MLP, then the final RMSNorm and the output matrix.
"""
import json
import sys

import numpy as np
from gguf import GGUFReader
from gguf.quants import dequantize


def main() -> None:
    reader = GGUFReader(sys.argv[1])
    with open(sys.argv[2]) as f:
        given = json.load(f)

    def scalar(key):
        field = reader.fields[key]
        return field.parts[field.data[0]].tolist()[0]

    arch = bytes(reader.fields["general.architecture"].parts[-1]).decode()
    if arch != "llama":
        raise SystemExit(f"{sys.argv[1]}: architecture {arch}; this reference is written for llama")
    layers = scalar(f"{arch}.block_count")
    eps = scalar(f"{arch}.attention.layer_norm_rms_epsilon")
    heads = scalar(f"{arch}.attention.head_count")
    kv_heads = scalar(f"{arch}.attention.head_count_kv")
    w = {}
    for t in reader.tensors:
        shape = tuple(int(x) for x in reversed(t.shape.tolist()))  # GGUF lists dimensions innermost first
        w[t.name] = dequantize(t.data, t.tensor_type).astype(np.float64).reshape(shape)

    def rms_norm(v, weight):
        return v / np.sqrt(np.mean(v * v) + eps) * weight

    x = w["token_embd.weight"][given["token"]].copy()
    head = x.shape[0] // heads
    for layer in range(layers):
        p = f"blk.{layer}."
        h = rms_norm(x, w[p + "attn_norm.weight"])
        v = w[p + "attn_v.weight"] @ h
        group = heads // kv_heads  # grouped-query attention: heads share a key/value head
        attended = np.concatenate([v[(i // group) * head:(i // group + 1) * head] for i in range(heads)])
        x = x + w[p + "attn_output.weight"] @ attended
        h = rms_norm(x, w[p + "ffn_norm.weight"])
        gate, up = w[p + "ffn_gate.weight"] @ h, w[p + "ffn_up.weight"] @ h
        x = x + w[p + "ffn_down.weight"] @ (gate / (1 + np.exp(-gate)) * up)
    h = rms_norm(x, w["output_norm.weight"])
    reference = w.get("output.weight", w["token_embd.weight"]) @ h

    ours, llama = np.array(given["ours"]), np.array(given["llama"])
    print(json.dumps({
        "file": sys.argv[1], "token": given["token"], "layers": layers,
        "referenceRms": round(float(np.sqrt(np.mean(reference ** 2))), 4),
        "oursVsFloat64": round(float(np.abs(ours - reference).max()), 4),
        "llamaCppVsFloat64": round(float(np.abs(llama - reference).max()), 4),
        "oursVsLlamaCpp": round(float(np.abs(ours - llama).max()), 4),
    }))


if __name__ == "__main__":
    main()

"""Write one of our model folders (config.json, model.safetensors, tokenizer.json) as a GGUF
file, llama.cpp's format, so llama.cpp, Ollama or LM Studio run our models, and llama.cpp
can check our engine on them:

    python3 training/export_gguf.py models/gpt-code-tiny OUT.gguf [--type f32|f16|q8_0]

Needs numpy and llama.cpp's `gguf` package (pip install gguf), no torch: it reads the
folder's safetensors with safetensors_io.py. `export.py --gguf OUT.gguf` calls it after
writing the folder.

Architecture `gpt2` with llama.cpp's tensor names (token_embd, position_embd,
blk.N.attn_norm / attn_qkv / attn_output / ffn_norm / ffn_up / ffn_down with their biases,
output_norm); the output layer is tied (no output.weight: llama.cpp uses token_embd).
Norms and biases stay F32; matrices and embeddings take --type (q8_0: 32-value blocks with
an F16 scale, gguf's own quantiser). int8 folders are dequantised first (value = q * scale).

Tokenizer: `tokenizer.ggml.model = gpt2` (byte-level BPE) with our tokens, merges and
token types (specials are control tokens), `tokenizer.ggml.pre = gpt-2` (a name llama.cpp
accepts; it then splits text with GPT-2's regex), and our exact pre-tokenizer regex in
`next_token.pre_pattern`, which our engine's GGUF tokenizer uses instead. Every context
starts with <|endoftext|> (the folder's bos_token_id) and the FIM specials, when the
vocabulary has them, are named in tokenizer.ggml.fim_pre/suf/mid_token_id.
"""
from __future__ import annotations

import argparse
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from safetensors_io import read_safetensors  # noqa: E402

PRE_PATTERN_KEY = "next_token.pre_pattern"
FILE_TYPES = {"f32": 0, "f16": 1, "q8_0": 7}  # llama_ftype: ALL_F32, MOSTLY_F16, MOSTLY_Q8_0


def folder_weights(folder: str, config: dict) -> dict:
    """name -> F32 array [out, in] (linear layout), int8 dequantised, Conv1D transposed."""
    raw = read_safetensors(os.path.join(folder, "model.safetensors"))
    conv1d = config.get("weight_layout", "conv1d") == "conv1d"
    out = {}
    for name, a in raw.items():
        if name.endswith(".scale") or name == "lm_head.weight":
            continue
        if a.dtype == np.int8:
            a = a.astype(np.float32) * raw[name + ".scale"].astype(np.float32)[:, None]
        a = a.astype(np.float32)
        if conv1d and a.ndim == 2 and ".h." in name and not name.endswith(("wte.weight", "wpe.weight")):
            a = a.T
        out[name] = np.ascontiguousarray(a)
    return out


def gguf_tensors(w: dict, n_layer: int) -> list[tuple[str, np.ndarray, bool]]:
    """(gguf name, array, is_matrix) in llama.cpp's gpt2 naming."""
    t = [("token_embd.weight", w["transformer.wte.weight"], True),
         ("position_embd.weight", w["transformer.wpe.weight"], True)]
    for i in range(n_layer):
        p, q = f"transformer.h.{i}.", f"blk.{i}."
        t += [
            (q + "attn_norm.weight", w[p + "ln_1.weight"], False),
            (q + "attn_norm.bias", w[p + "ln_1.bias"], False),
            (q + "attn_qkv.weight", w[p + "attn.c_attn.weight"], True),
            (q + "attn_qkv.bias", w[p + "attn.c_attn.bias"], False),
            (q + "attn_output.weight", w[p + "attn.c_proj.weight"], True),
            (q + "attn_output.bias", w[p + "attn.c_proj.bias"], False),
            (q + "ffn_norm.weight", w[p + "ln_2.weight"], False),
            (q + "ffn_norm.bias", w[p + "ln_2.bias"], False),
            (q + "ffn_up.weight", w[p + "mlp.c_fc.weight"], True),
            (q + "ffn_up.bias", w[p + "mlp.c_fc.bias"], False),
            (q + "ffn_down.weight", w[p + "mlp.c_proj.weight"], True),
            (q + "ffn_down.bias", w[p + "mlp.c_proj.bias"], False),
        ]
    t += [("output_norm.weight", w["transformer.ln_f.weight"], False),
          ("output_norm.bias", w["transformer.ln_f.bias"], False)]
    return t


def tokenizer_fields(tok: dict) -> dict:
    """tokens (by id), merges, token types, specials and the split regex of our tokenizer.json."""
    vocab = tok["model"]["vocab"]
    added = {t["id"]: t["content"] for t in tok.get("added_tokens", [])}
    size = max(max(vocab.values()), max(added, default=-1)) + 1
    tokens = [None] * size
    for text, i in vocab.items():
        tokens[i] = text
    for i, text in added.items():
        tokens[i] = text
    missing = [i for i, t in enumerate(tokens) if t is None]
    if missing:
        raise SystemExit(f"tokenizer.json: ids {missing[:5]} have no token")
    merges = [m if isinstance(m, str) else " ".join(m) for m in tok["model"].get("merges", [])]
    pre = tok.get("pre_tokenizer") or {}
    if pre.get("type") == "Sequence":
        pre = next((p for p in pre.get("pretokenizers", []) if p.get("type") == "Split"), {})
    pattern = (pre.get("pattern") or {}).get("Regex")
    if not pattern:
        raise SystemExit("tokenizer.json: no Split pre-tokenizer regex to carry over")
    # 1 normal, 3 control (llama.cpp's llama_token_type)
    types = [3 if i in added else 1 for i in range(size)]
    return {"tokens": tokens, "merges": merges, "types": types, "pattern": pattern, "specials": {v: k for k, v in added.items()}}


def export(folder: str, out: str, weight_type: str = "f32") -> int:
    import gguf
    from gguf import GGMLQuantizationType as Q
    from gguf import quants

    with open(os.path.join(folder, "config.json")) as f:
        config = json.load(f)
    with open(os.path.join(folder, "tokenizer.json")) as f:
        tok = tokenizer_fields(json.load(f))
    if config.get("kind", "transformer") != "transformer":
        raise SystemExit(f"{folder}: only transformers export to GGUF")
    M, L, T, n_layer = config["n_embd"], config["vocab_size"], config["n_positions"], config["n_layer"]
    w = folder_weights(folder, config)

    writer = gguf.GGUFWriter(out, "gpt2")
    writer.add_name(config.get("display_name", config.get("id", "model")))
    if config.get("description"):
        writer.add_description(config["description"])
    writer.add_context_length(T)
    writer.add_embedding_length(M)
    writer.add_feed_forward_length(4 * M)
    writer.add_block_count(n_layer)
    writer.add_head_count(config["n_head"])
    writer.add_layer_norm_eps(float(config.get("layer_norm_epsilon", 1e-5)))
    writer.add_file_type(FILE_TYPES[weight_type])

    tokens = tok["tokens"] + [f"[PAD{i}]" for i in range(len(tok["tokens"]), L)]  # rows the tokenizer never uses
    types = tok["types"] + [5] * (L - len(tok["types"]))  # 5: unused
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre("gpt-2")
    writer.add_string(PRE_PATTERN_KEY, tok["pattern"])
    writer.add_token_list(tokens)
    writer.add_token_types(types)
    writer.add_token_merges(tok["merges"])
    bos = config.get("bos_token_id")
    end = tok["specials"].get("<|endoftext|>", bos)
    if bos is not None:
        writer.add_bos_token_id(bos)
        writer.add_add_bos_token(True)
    else:
        writer.add_add_bos_token(False)
    if end is not None:
        writer.add_eos_token_id(end)
    fim = [tok["specials"].get(f"<|fim_{k}|>") for k in ("prefix", "suffix", "middle")]
    if all(i is not None for i in fim):
        writer.add_uint32("tokenizer.ggml.fim_pre_token_id", fim[0])
        writer.add_uint32("tokenizer.ggml.fim_suf_token_id", fim[1])
        writer.add_uint32("tokenizer.ggml.fim_mid_token_id", fim[2])

    for name, a, is_matrix in gguf_tensors(w, n_layer):
        if not is_matrix or weight_type == "f32":
            writer.add_tensor(name, a.astype(np.float32))
        elif weight_type == "f16":
            writer.add_tensor(name, a.astype(np.float16))
        else:
            packed = quants.quantize(a, Q.Q8_0)
            writer.add_tensor(name, packed, raw_shape=packed.shape, raw_dtype=Q.Q8_0)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return os.path.getsize(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder", help="a model folder: config.json, model.safetensors, tokenizer.json")
    ap.add_argument("out", help="the .gguf file to write")
    ap.add_argument("--type", choices=sorted(FILE_TYPES), default="f32", help="matrices and embeddings (norms and biases stay f32)")
    a = ap.parse_args()
    n = export(a.folder, a.out, a.type)
    print(f"wrote {a.out} ({n / 1e6:.1f} MB, {a.type})")


if __name__ == "__main__":
    main()

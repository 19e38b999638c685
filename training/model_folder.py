"""A checkpoint's weights as a model folder the TypeScript engine loads (models/FORMAT.md):
the tensors as stored (linear or Conv1D layout, f32, f16 or int8 with per-row scales),
config.json, the folder itself, its entry in models/index.json, and the val bits per byte of
the weights as stored. training/export.py is the command line; its docstring describes the
layouts and the int8 scheme.
"""
from __future__ import annotations

import json
import math
import os
import shutil

import numpy as np

from safetensors_io import write_safetensors

BLOCK_MATRICES = ("attn.c_attn.weight", "attn.c_proj.weight", "mlp.c_fc.weight", "mlp.c_proj.weight")


def quantize_int8(w: np.ndarray):
    """(rows, cols) f32 -> (int8 (rows, cols), scale f32 (rows,)); value = q * scale[row]."""
    w = w.astype(np.float32)
    amax = np.abs(w).max(axis=1)
    scale = (amax / 127.0).astype(np.float32)
    safe = np.where(scale > 0, scale, 1.0).astype(np.float32)  # an all-zero row stays zero
    q = np.clip(np.rint(w / safe[:, None]), -127, 127).astype(np.int8)
    return q, scale


def model_tensors(state: dict, dtype: str = "f32", hf: bool = False, int8_embeddings: bool = False) -> dict:
    """torch state_dict (or name -> array) -> ordered name -> numpy array as stored in the file."""
    out = {}
    for name, t in state.items():
        if name == "lm_head.weight":
            continue  # tied: written last (only for --hf)
        a = t.detach().cpu().float().numpy() if hasattr(t, "detach") else np.asarray(t, dtype=np.float32)
        is_block_matrix = name.endswith(BLOCK_MATRICES)
        if hf and is_block_matrix:
            a = a.T  # Conv1D [in, out]
        if dtype == "int8" and a.ndim == 2 and (is_block_matrix or int8_embeddings):
            if hf:
                raise ValueError("int8 needs weight_layout linear (the engine refuses int8 Conv1D)")
            q, s = quantize_int8(a)
            out[name] = q
            out[name + ".scale"] = s
        elif dtype == "f16":
            out[name] = a.astype(np.float16)
        else:
            out[name] = np.ascontiguousarray(a, dtype=np.float32)
    if hf:
        out["lm_head.weight"] = out["transformer.wte.weight"]
    return out


def dequantized_state(tensors: dict, hf: bool = False) -> dict:
    """Stored tensors -> name -> float64 arrays in the linear layout, as the engine computes with."""
    out = {}
    for name, a in tensors.items():
        if name.endswith(".scale") or name == "lm_head.weight":
            continue
        w = a.astype(np.float64)
        if a.dtype == np.int8:
            w = w * tensors[name + ".scale"].astype(np.float64)[:, None]
        if hf and name.endswith(BLOCK_MATRICES):
            w = w.T
        out[name] = w
    return out


def config_json(gpt, id, display_name, description, hf=False) -> dict:
    """gpt: GPTConfig (or a dict of its fields)."""
    g = gpt if isinstance(gpt, dict) else vars(gpt)
    c = {"kind": "transformer", "model_type": "gpt2", "id": id, "display_name": display_name, "description": description,
         "vocab_size": g["vocab_size"], "n_positions": g["block_size"], "n_embd": g["n_embd"], "n_layer": g["n_layer"],
         "n_head": g["n_head"], "layer_norm_epsilon": g.get("layer_norm_epsilon", 1e-5), "weight_layout": "linear",
         "bos_token_id": 0}
    if hf:
        # Shaped like a Hugging Face GPT-2 config.json: no `kind`, no `weight_layout` (= conv1d).
        del c["kind"], c["weight_layout"]
        c.update({"architectures": ["GPT2LMHeadModel"], "activation_function": "gelu_new", "n_ctx": g["block_size"],
                  "eos_token_id": 0, "tie_word_embeddings": True})
    return c


def write_model_folder(out_dir, state, gpt, id, display_name, description, tokenizer, dtype="f32", hf=False,
                       int8_embeddings=False, metadata=None):
    """Writes config.json, model.safetensors, tokenizer.json; returns (tensors as stored, file bytes)."""
    os.makedirs(out_dir, exist_ok=True)
    tensors = model_tensors(state, dtype, hf, int8_embeddings)
    with open(os.path.join(out_dir, "config.json"), "w", encoding="utf-8") as f:
        json.dump(config_json(gpt, id, display_name, description, hf), f, indent=1, ensure_ascii=False)
        f.write("\n")
    nbytes = write_safetensors(os.path.join(out_dir, "model.safetensors"), tensors, metadata)
    dst = os.path.join(out_dir, "tokenizer.json")
    if not (os.path.exists(dst) and os.path.samefile(tokenizer, dst)):
        shutil.copyfile(tokenizer, dst)
    return tensors, nbytes


def eval_bpb(state64: dict, gpt, data_dir: str, max_tokens: int = 0, batch: int = 16):
    """Val bits per byte of the given (dequantized) weights on val.bin, in non-overlapping
    block_size windows (each window starts with no context). Returns (bpb, loss, tokens)."""
    import torch
    from model import GPT

    with open(os.path.join(data_dir, "meta.json")) as f:
        meta = json.load(f)
    bytes_per_token = meta["val"]["bytes"] / meta["val"]["tokens"]
    data = np.fromfile(os.path.join(data_dir, "val.bin"), dtype=np.uint16).astype(np.int64)
    if max_tokens:
        data = data[:max_tokens + 1]
    model = GPT(gpt)
    missing, unexpected = model.load_state_dict({k: torch.from_numpy(v.astype(np.float32)) for k, v in state64.items()}, strict=False)
    assert set(missing) <= {"lm_head.weight"} and not unexpected, (missing, unexpected)  # lm_head is tied to wte
    model.eval()
    T = gpt.block_size
    n_win = (len(data) - 1) // T
    x_all = torch.from_numpy(data[:n_win * T].reshape(n_win, T))
    y_all = torch.from_numpy(data[1:n_win * T + 1].reshape(n_win, T))
    total = 0.0
    with torch.no_grad():
        for i in range(0, n_win, batch):
            _, loss = model(x_all[i:i + batch], y_all[i:i + batch])
            total += loss.item() * x_all[i:i + batch].numel()
    loss = total / (n_win * T)
    return loss / math.log(2) / bytes_per_token, loss, n_win * T


def update_index(index_path, entry, make_default=False, keep_measurements=False):
    """Merges `entry` into models/index.json by id; keeps the quality/speed keys already there
    when `keep_measurements` (the same weights were written again), else replaces them."""
    index = {"default": entry["id"], "models": []}
    if os.path.exists(index_path):
        with open(index_path) as f:
            index = json.load(f)
    models = index.setdefault("models", [])
    old = next((m for m in models if m.get("id") == entry["id"]), None)
    if old is not None:
        for k in ("quality", "speed"):
            entry[k] = {**(old.get(k, {}) if keep_measurements else {}), **entry.get(k, {})}
        models[models.index(old)] = {**old, **entry}
    else:
        models.append(entry)
    if make_default or not index.get("default"):
        index["default"] = entry["id"]
    with open(index_path, "w", encoding="utf-8") as f:
        json.dump(index, f, indent=2, ensure_ascii=False)  # the committed file's style
        f.write("\n")


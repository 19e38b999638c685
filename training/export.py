"""Export a training checkpoint as a model folder the TypeScript engine loads (models/FORMAT.md).

    /usr/bin/python3 training/export.py --ckpt training/checkpoints/gpt-code-tiny/ckpt.pt \
        --id gpt-code-tiny --tokenizer training/data/tokenizer-4096.json [--dtype f32|f16|int8] [--hf]

Writes <out-dir> (default models/<id>/): config.json, model.safetensors, tokenizer.json
(a copy) and MODEL_CARD.md, then merges the model's entry into models/index.json (by id,
keeping fields the lead filled in, e.g. speed). Before writing the card it measures val
bits per byte of the weights AS EXPORTED (f16 rounding, int8 quantisation included) on
val.bin of the checkpoint's data_dir.

Layouts:
* default: `weight_layout: "linear"`, matrices [out, in] as torch nn.Linear, lm_head.weight
  left out (tied to transformer.wte.weight).
* --hf: Hugging Face GPT-2 (Conv1D): the four block matrices transposed to [in, out],
  `weight_layout` absent, lm_head.weight present; for testing user-supplied checkpoints.

int8: per-row symmetric quantisation of the block matrices (row = output feature):
scale[r] = max|W[r, :]| / 127, q = round(W / scale) in [-127, 127], value = q * scale[r],
stored as I8 `<name>` and F32 `<name>.scale` [rows]. Embeddings stay F32 unless
--int8-embeddings (measure the bpb first: wte is also the output layer).
"""
from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import math
import os
import re
import shutil
import struct
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# ---- safetensors (no dependency: 8-byte LE header length, JSON header, raw data) -----------
DTYPES = {np.dtype(np.float32): "F32", np.dtype(np.float16): "F16", np.dtype(np.int8): "I8", np.dtype(np.int32): "I32"}
NP_DTYPES = {v: k for k, v in DTYPES.items()}


def write_safetensors(path: str, tensors: dict, metadata: dict | None = None) -> int:
    """tensors: name -> numpy array (F32/F16/I8/I32), written in the dict's order. Returns bytes."""
    header, offset, blobs = {}, 0, []
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    for name, a in tensors.items():
        a = np.ascontiguousarray(a)
        if a.dtype not in DTYPES:
            raise ValueError(f"{name}: dtype {a.dtype} is not F32, F16, I8 or I32")
        raw = a.astype(a.dtype.newbyteorder("<"), copy=False).tobytes()
        header[name] = {"dtype": DTYPES[a.dtype], "shape": list(a.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * (-len(h) % 8)  # pad with spaces so the data starts 8-byte aligned
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for raw in blobs:
            f.write(raw)
    return 8 + len(h) + offset


def read_safetensors(path: str) -> dict:
    """name -> numpy array (a copy); the inverse of write_safetensors."""
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    out = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        b, end = e["data_offsets"]
        dt = NP_DTYPES[e["dtype"]].newbyteorder("<")
        out[name] = np.frombuffer(data[8 + n + b:8 + n + end], dtype=dt).reshape(e["shape"]).astype(dt.newbyteorder("="))
    return out


# ---- weights -> tensors ----------------------------------------------------------------------
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


# ---- measuring the exported weights ---------------------------------------------------------
def eval_bpb(state64: dict, gpt, data_dir: str, max_tokens: int = 0, batch: int = 16):
    """Val bits per byte of the given (dequantized) weights on val.bin, in non-overlapping
    block_size windows (each window starts with no context). Returns (bpb, loss, tokens)."""
    import torch
    sys.path.insert(0, HERE)
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


# ---- model card and index -------------------------------------------------------------------
def licence_summary():
    """(by-licence MB of the training split, 'package@version (licence)' list) from the manifest."""
    path = os.path.join(HERE, "corpus_manifest.json")
    if not os.path.exists(path):
        return None, []
    with open(path) as f:
        m = json.load(f)
    by = m.get("summary", {}).get("train", {}).get("by_licence", {})
    pkgs = sorted(f"{p['name']}@{p.get('version', '?')} ({p.get('licence', '?')})" for p in m.get("packages", [])
                  if p.get("split") == "train")
    return by, pkgs


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


def used_device_dtype(ckpt, ckpt_path):
    """(device, dtype) the run used; older checkpoints stored "auto", so read train.py's first log line."""
    cfg = ckpt.get("config", {})
    dev, dt = cfg.get("device"), cfg.get("dtype")
    log = os.path.join(os.path.dirname(ckpt_path), "log.txt")
    if "auto" in (dev, dt) and os.path.exists(log):
        with open(log) as f:
            m = re.search(r"device (\S+), dtype (\S+),", f.read())
        if m:
            dev, dt = m.group(1), m.group(2)
    return dev, dt


# The extension's own measurements (eval, bench) are written between these markers by
# scripts/measure-model.mjs; a test fails while a bundled card still has this text.
MEASURED_SECTION = ("<!-- measured:begin -->\n## Measured in the extension\n\n"
                    "Not measured yet: run `npm run build && node scripts/measure-model.mjs {id}`.\n<!-- measured:end -->")


def training_runs(log_path) -> list:
    """One line per run (a first run and each --resume) from the checkpoint folder's log.txt."""
    if not os.path.exists(log_path):
        return []
    runs = []
    with open(log_path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("config "):
                runs.append({"config": json.loads(line[len("config "):]), "evals": [], "stopped": False})
            elif runs and line.startswith("eval iter "):
                m = re.match(r"eval iter (\d+):.*val bpb ([\d.]+)", line)
                if m:
                    runs[-1]["evals"].append((int(m.group(1)), float(m.group(2))))
            elif runs and line.startswith("stopped at iter"):
                runs[-1]["stopped"] = True
    lines = []
    start = 0  # a resumed run starts from the checkpoint of the previous run's last evaluation
    for i, r in enumerate(runs):
        c, ev = r["config"], r["evals"]
        if not ev:
            continue
        how = "resumed, " if c.get("resume") else ""
        end = "" if r["stopped"] else "; interrupted (no end in the log), the next run resumed from its last checkpoint"
        lines.append(f"- Run {i + 1} ({how}{c.get('max_minutes', 0):.0f}-minute budget, peak learning rate {c.get('learning_rate')}, "
                     f"cosine to {c.get('min_lr')}): iter {start} to {ev[-1][0]}, val {ev[-1][1]:.4f} bits per byte at its "
                     f"last evaluation{end}.")
        start = ev[-1][0]
    if len(lines) > 1:
        lines.insert(0, "- Runs (a resumed run restarts the cosine from where the budget puts it, a warm restart):")
        lines[1:] = ["  " + x for x in lines[1:]]
    return lines


def further_lines(ckpt, n_params) -> list:
    """What would make this model better, in figures from its own training run."""
    seen, secs = ckpt.get("tokens_seen", 0), ckpt.get("train_seconds", 0.0)
    if not seen or not secs:
        return []
    tps = seen / secs
    optimal = 20 * n_params  # Hoffmann et al. 2022: ~20 training tokens per parameter
    train_tokens = None
    meta_path = os.path.join(ckpt.get("config", {}).get("data_dir", ""), "meta.json")
    if os.path.exists(meta_path):
        with open(meta_path) as f:
            train_tokens = json.load(f).get("train", {}).get("tokens")
    lines = ["", "## What would get further", "",
             f"- **More training.** It saw {seen / 1e6:.1f}M tokens, {seen / n_params:.1f} per parameter; compute-optimal "
             f"training (Hoffmann et al., 2022) is about 20 per parameter, {optimal / 1e6:.0f}M tokens: "
             f"{optimal / tps / 3600:.1f} hours at the {tps:,.0f} tokens/s this run averaged on 2 CPU cores, minutes on "
             "one GPU (`train.py` runs unchanged on CUDA with torch 2)."]
    if train_tokens:
        lines.append(f"- **More data.** The training split holds {train_tokens / 1e6:.1f}M tokens, so {optimal / 1e6:.0f}M "
                     f"tokens would be {optimal / train_tokens:.1f} passes over it; more pinned, permissively licensed "
                     "packages in `training/corpus_packages.json` would keep each token new.")
    lines.append("- **What the window cannot see.** The extension mixes counts from the open files into the vector "
                 "(the measured section below, \"learning from the open file\"), which reaches names defined "
                 "far beyond the window; a longer window costs prefill time on every jump in the file.")
    return lines


def weights_data_sha(path):
    """sha256 of a safetensors file's tensor data (its header holds the export date)."""
    if not os.path.exists(path):
        return None
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        f.seek(8 + n)
        return hashlib.sha256(f.read()).hexdigest()


def measured_section(card_path):
    """The text between the measured markers of an existing card, if any."""
    if not os.path.exists(card_path):
        return None
    with open(card_path, encoding="utf-8") as f:
        text = f.read()
    begin, end = text.find("<!-- measured:begin"), text.find("<!-- measured:end -->")
    return text[begin:end + len("<!-- measured:end -->")] if 0 <= begin < end else None


def model_card(a, ckpt, gpt, n_params, n_nonemb, nbytes, measured, tokenizer_sha) -> str:
    cfg = ckpt.get("config", {})
    device, dtype = used_device_dtype(ckpt, a.ckpt)
    last = ckpt.get("last_eval") or {}
    by_lic, pkgs = licence_summary()
    lines = [
        f"# {a.display_name} (`{a.id}`)", "", a.description, "",
        "## Model", "",
        "| | |", "|---|---|",
        "| architecture | GPT-2 (pre-LayerNorm, GELU tanh, learned positions, tied input/output embedding) |",
        f"| parameters | {n_params:,} ({n_nonemb:,} without the token and position embeddings) |",
        f"| layers / heads / width | {gpt.n_layer} / {gpt.n_head} / {gpt.n_embd} |",
        f"| context window | {gpt.block_size} tokens (`<|endoftext|>` = id 0 is prepended as BOS) |",
        f"| vocabulary | {gpt.vocab_size} byte-level BPE tokens (tokenizer.json, sha256 {tokenizer_sha[:16]}...) |",
        f"| file | model.safetensors, {a.dtype.upper()}{' (int8 per-row scales)' if a.dtype == 'int8' else ''}, "
        f"{nbytes:,} bytes; layout {'Conv1D (Hugging Face)' if a.hf else 'linear'} |",
        "",
        "## Training", "",
        f"- Script: `training/train.py --config training/configs/{cfg.get('id', a.id)}.py`, exported by `training/export.py`.",
        f"- Steps: {ckpt.get('iter_num', '?')} of batch {cfg.get('batch_size')} x {gpt.block_size} tokens; "
        f"{ckpt.get('tokens_seen', 0):,} tokens seen; {ckpt.get('train_seconds', 0) / 60:.0f} min of training steps.",
        f"- Optimiser: AdamW (betas {cfg.get('beta1')}, {cfg.get('beta2')}; weight decay {cfg.get('weight_decay')}), "
        f"peak learning rate {cfg.get('learning_rate')} with {cfg.get('warmup_iters')} warm-up steps, cosine to "
        f"{cfg.get('min_lr')}, gradient clipping {cfg.get('grad_clip')}, dropout {cfg.get('dropout')}.",
        f"- Hardware: {device}, {dtype}, {cfg.get('threads')} threads, torch {ckpt.get('torch', '?')}.",
        *training_runs(os.path.join(os.path.dirname(a.ckpt), "log.txt")),
        "",
        "## Data", "",
        "Source files from pinned npm packages (TypeScript, JavaScript, .d.ts, JSON, CSS, Markdown) and the",
        "Python standard library, cleaned and deduplicated by `training/corpus.py`; the validation set comes from",
        "other packages and held-out stdlib modules. Exact files and hashes: `training/corpus_manifest.json`.",
        "",
    ]
    if by_lic:
        lines += ["| licence (training split) | MB |", "|---|---|"]
        lines += [f"| {k} | {v / 1e6:.2f} |" for k, v in sorted(by_lic.items(), key=lambda kv: -kv[1])]
        lines += ["", f"<details><summary>{len(pkgs)} training sources</summary>", "", ", ".join(pkgs), "", "</details>", ""]
    lines += ["## Measured quality", ""]
    if measured:
        lines.append(f"- **{measured['val_bpb']:.4f} bits per byte** on the validation set with the weights as stored "
                     f"in this file ({measured['tokens']:,} tokens in non-overlapping {gpt.block_size}-token windows; "
                     f"loss {measured['val_loss']:.4f} nats/token; bits per byte = loss / ln 2 x tokens / bytes, "
                     "bytes = UTF-8 bytes of the documents).")
    if last:
        lines.append(f"- Last evaluation during training (iter {last.get('iter')}, random windows, f32): train loss "
                     f"{last.get('train_loss', 0):.4f}, val loss {last.get('val_loss', 0):.4f}, val {last.get('val_bpb', 0):.4f} bits per byte.")
    lines += further_lines(ckpt, n_params)
    lines += [
        "", MEASURED_SECTION.format(id=a.id),
        "", "## Limitations", "",
        "A small model trained on two CPU cores: it completes common syntax and identifiers seen in the training",
        "packages and repeats itself on longer generations; of your project it knows only the context window and the",
        "counts the extension takes from your open files.",
        "",
    ]
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ckpt", required=True)
    ap.add_argument("--id", required=True)
    ap.add_argument("--tokenizer", default="training/data/tokenizer-4096.json")
    ap.add_argument("--dtype", choices=["f32", "f16", "int8"], default="f32")
    ap.add_argument("--hf", action="store_true", help="Hugging Face GPT-2 Conv1D layout (with lm_head.weight)")
    ap.add_argument("--int8-embeddings", action="store_true", help="also quantise wte/wpe")
    ap.add_argument("--out-dir", default=None, help="default models/<id> (then models/index.json is updated)")
    ap.add_argument("--index", default=None, help="index.json to update (default: models/index.json for models/<id>)")
    ap.add_argument("--make-default", action="store_true", help="make this the default model in index.json")
    ap.add_argument("--display-name", default=None)
    ap.add_argument("--description", default=None)
    ap.add_argument("--data-dir", default=None, help="val.bin + meta.json (default: the checkpoint's data_dir)")
    ap.add_argument("--eval-tokens", type=int, default=0, help="0: all of val.bin; -1: skip the measurement")
    a = ap.parse_args()

    import torch
    sys.path.insert(0, HERE)
    from model import GPTConfig

    ckpt = torch.load(a.ckpt, map_location="cpu")
    gpt = GPTConfig(**ckpt["model_args"])
    state = ckpt["model"]
    a.display_name = a.display_name or a.id.replace("-", " ")
    a.description = a.description or (f"GPT-2 style code model, {sum(v.numel() for k, v in state.items() if k != 'lm_head.weight') / 1e6:.1f} M "
                                      f"parameters, {gpt.block_size}-token context, trained on TS/JS/Python")
    out_dir = a.out_dir or os.path.join(ROOT, "models", a.id)
    index = a.index or (os.path.join(ROOT, "models", "index.json") if a.out_dir is None else None)
    with open(a.tokenizer, "rb") as f:
        tok_sha = hashlib.sha256(f.read()).hexdigest()
    meta = {"format": "next-token", "exported": datetime.date.today().isoformat(), "source_iter": ckpt.get("iter_num")}
    # Measurements of the extension stay valid only for the very same weights.
    old_sha = weights_data_sha(os.path.join(out_dir, "model.safetensors"))
    old_measured = measured_section(os.path.join(out_dir, "MODEL_CARD.md"))
    tensors, nbytes = write_model_folder(out_dir, state, gpt, a.id, a.display_name, a.description, a.tokenizer,
                                         a.dtype, a.hf, a.int8_embeddings, meta)
    same_weights = old_sha is not None and old_sha == weights_data_sha(os.path.join(out_dir, "model.safetensors"))
    n_params = sum(v.numel() for k, v in state.items() if k != "lm_head.weight")
    n_nonemb = n_params - state["transformer.wte.weight"].numel() - state["transformer.wpe.weight"].numel()

    measured = None
    data_dir = a.data_dir or ckpt.get("config", {}).get("data_dir")
    if a.eval_tokens >= 0 and data_dir and os.path.exists(os.path.join(data_dir, "val.bin")):
        bpb, loss, n = eval_bpb(dequantized_state(tensors, a.hf), gpt, data_dir, a.eval_tokens)
        measured = {"val_bpb": bpb, "val_loss": loss, "tokens": n}
        print(f"{a.id} ({a.dtype}): val {bpb:.4f} bits per byte, loss {loss:.4f} on {n:,} tokens")
    card = model_card(a, ckpt, gpt, n_params, n_nonemb, nbytes, measured, tok_sha)
    if same_weights and old_measured:
        card = card.replace(MEASURED_SECTION.format(id=a.id), old_measured)
    with open(os.path.join(out_dir, "MODEL_CARD.md"), "w", encoding="utf-8") as f:
        f.write(card)
    if index:
        quality = {"val_bpb": round(measured["val_bpb"], 4)} if measured else {}
        update_index(index, {"id": a.id, "display_name": a.display_name, "description": a.description,
                             "kind": "transformer", "parameters": n_params, "file_bytes": nbytes,
                             "quality": quality, "speed": {}}, a.make_default, keep_measurements=same_weights)
    print(out_dir)


if __name__ == "__main__":
    main()

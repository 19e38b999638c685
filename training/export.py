"""Export a training checkpoint as a model folder the TypeScript engine loads (models/FORMAT.md).

    /usr/bin/python3 training/export.py --ckpt training/checkpoints/gpt-code-tiny/ckpt.pt \
        --id gpt-code-tiny --tokenizer training/data/tokenizer-4096.json [--dtype f32|f16|int8] [--hf]
        [--gguf OUT.gguf [--gguf-type f32|f16|q8_0]]

Writes <out-dir> (default models/<id>/): config.json, model.safetensors, tokenizer.json
(a copy) and MODEL_CARD.md, then merges the model's entry into models/index.json (by id,
keeping fields the lead filled in, e.g. speed). Before writing the card it measures val
bits per byte of the weights AS EXPORTED (f16 rounding, int8 quantisation included) on
val.bin of the checkpoint's data_dir.

--gguf also writes the folder as one GGUF file (llama.cpp's format, architecture gpt2) with
export_gguf.py; that needs llama.cpp's `gguf` package, so it runs in whichever python has it.

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
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from model_card import MEASURED_SECTION, measured_section, model_card  # noqa: E402
from model_folder import dequantized_state, eval_bpb, update_index, write_model_folder  # noqa: E402
from safetensors_io import weights_data_sha  # noqa: E402


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
    ap.add_argument("--gguf", default=None, help="also write the exported folder as this GGUF file (export_gguf.py)")
    ap.add_argument("--gguf-type", choices=["f32", "f16", "q8_0"], default="f32", help="GGUF matrix type")
    a = ap.parse_args()

    import torch
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
    if a.gguf:
        write_gguf(out_dir, a.gguf, a.gguf_type)


def write_gguf(folder: str, out: str, weight_type: str) -> None:
    """export_gguf.py in this python when it has `gguf`, else in the first python3 on PATH that does."""
    try:
        import gguf  # noqa: F401
    except ImportError:
        import subprocess
        subprocess.run(["python3", os.path.join(HERE, "export_gguf.py"), folder, out, "--type", weight_type], check=True)
        return
    from export_gguf import export
    n = export(folder, out, weight_type)
    print(f"wrote {out} ({n / 1e6:.1f} MB, {weight_type})")


if __name__ == "__main__":
    main()

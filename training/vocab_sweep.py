"""Vocabulary-size sweep at fixed training compute (issue #16: "choose the vocabulary size by
measurement: bytes per token, bits per byte at fixed training compute, parameters in the
embedding").

For each vocabulary size V the sweep

1. trains a byte-level BPE with Hugging Face ``tokenizers`` (hf_tokenizer.py; V counts the
   four specials) on one sample of train.txt: every k-th document, so that every source and
   language of the corpus is in it, not just the first packages;
2. packs the sample with prepare.py exactly as the bundled models' data (FIM rate 0.5,
   SPM rate 0.5, line-shaped middles 0.5, 1400-byte pieces);
3. trains gpt-code-tiny's shape (4 layers, 128 wide, 512-token window) with train.py for a
   number of steps that gives every V the same training FLOPs: 6 N + 6 L T d a token
   (Kaplan et al. 2020), where N counts the matrices a token passes through, the tied
   output layer (V x d) included, so a larger vocabulary gets fewer steps;
4. measures bits per byte on all of val.bin and on the foreign set (eval/foreign/files, raw
   bytes: tabs, CRLF), left to right, each file from its start with a 128-token overlap
   between windows, and bytes per token on both.

Bits per byte divide by the same UTF-8 bytes whatever the tokenizer, so they compare across
vocabularies; loss per token does not. Results go to ``--out``/sweep.json and, as a table,
to training/vocab_sweep.md.

    /usr/bin/python3 training/vocab_sweep.py --vocab 4096,8192,16384 --base-iters 600

It takes about 15 minutes a vocabulary on one thread of this 2-core machine.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import time
from typing import Dict, List

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import hf_tokenizer  # noqa: E402
from bpe import EOT  # noqa: E402
from model import GPT, GPTConfig  # noqa: E402

DATA = os.path.join(HERE, "data")
TINY_CONFIG = os.path.join(HERE, "configs", "gpt-code-tiny.py")
FOREIGN = os.path.join(ROOT, "eval", "foreign", "files")
# gpt-code-tiny's shape; train.py reads the rest of its config from TINY_CONFIG.
N_LAYER, N_EMBD, BLOCK = 4, 128, 512
TOKENS_PER_ITER = 8 * BLOCK
OVERLAP = 128


def run(cmd: List[str]) -> None:
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True)


def write_sample(train: str, sample_mb: float, out: str) -> Dict[str, float]:
    """Every k-th document of ``train`` with k chosen so the sample holds about ``sample_mb`` MB."""
    with open(train, encoding="utf-8", errors="surrogatepass") as f:
        docs = [d for d in f.read().split(EOT) if d.strip()]
    total = sum(len(d.encode("utf-8", "surrogatepass")) for d in docs)
    stride = max(1, round(total / (sample_mb * 1e6)))
    picked = docs[::stride]
    with open(out, "w", encoding="utf-8", errors="surrogatepass") as f:
        f.write(EOT.join(picked))
    size = sum(len(d.encode("utf-8", "surrogatepass")) for d in picked)
    return {"documents": len(picked), "bytes": size, "stride": stride, "corpus_documents": len(docs)}


def matmul_params(vocab: int) -> int:
    """Weights a token is multiplied through: attention (4 d^2), MLP (8 d^2) per layer, output (V d)."""
    return N_LAYER * 12 * N_EMBD * N_EMBD + vocab * N_EMBD


def train_flops_per_token(vocab: int) -> float:
    return 6 * matmul_params(vocab) + 6 * N_LAYER * BLOCK * N_EMBD


def windows(n: int) -> List[tuple]:
    """(start, end, first scored) of the windows that score ids[1:n]: BLOCK tokens of input
    each, overlapping by OVERLAP tokens that are context only (each token is scored once)."""
    out, start = [], 0
    while start + 1 < n:
        end = min(n, start + BLOCK + 1)
        out.append((start, end, 0 if start == 0 else OVERLAP))
        if end == n:
            break
        start = end - 1 - OVERLAP
    return out


@torch.no_grad()
def nats_of(model: GPT, ids: List[int], batch: int = 8) -> float:
    """Summed -ln p of ids[1:] given what precedes (windows of equal length run as one batch)."""
    t = torch.tensor(ids, dtype=torch.long)
    total = 0.0
    spans = windows(len(ids))
    for i in range(0, len(spans), batch):
        group = spans[i:i + batch]
        by_len: Dict[int, list] = {}
        for s in group:
            by_len.setdefault(s[1] - s[0], []).append(s)
        for length, same in by_len.items():
            x = torch.stack([t[a:b - 1] for a, b, _ in same])
            y = torch.stack([t[a + 1:b] for a, b, _ in same])
            logits, _ = model(x, y)
            per = -torch.log_softmax(logits.float(), dim=-1).gather(2, y[:, :, None])[:, :, 0]
            for row, (_, _, first) in enumerate(same):
                total += per[row, first:].sum().item()
    return total


def load_model(ckpt_path: str) -> GPT:
    ckpt = torch.load(ckpt_path, map_location="cpu")
    model = GPT(GPTConfig(**ckpt["model_args"]))
    model.load_state_dict(ckpt["model"])
    model.eval()
    return model


def val_bpb(model: GPT, bin_dir: str) -> float:
    with open(os.path.join(bin_dir, "meta.json")) as f:
        meta = json.load(f)
    ids = np.fromfile(os.path.join(bin_dir, "val.bin"), dtype=np.uint16).astype(np.int64).tolist()
    return nats_of(model, ids) / math.log(2) / meta["val"]["bytes"]


def foreign_files() -> List[str]:
    out = []
    for d, _, names in os.walk(FOREIGN):
        out += [os.path.join(d, n) for n in names]
    return sorted(out)


def foreign_measures(model: GPT, tok) -> Dict[str, float]:
    bits = size = tokens = 0.0
    for path in foreign_files():
        with open(path, "rb") as f:
            raw = f.read()
        ids = [0] + hf_tokenizer.encode_batch(tok, [raw.decode("utf-8")])[0]  # <|endoftext|> first, as eval
        bits += nats_of(model, ids) / math.log(2)
        size += len(raw)
        tokens += len(ids) - 1
    return {"bpb": bits / size, "bytes_per_token": size / tokens}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--vocab", default="4096,8192,16384", help="comma-separated sizes, specials included")
    ap.add_argument("--base-iters", type=int, default=600, help="steps of the smallest vocabulary; the others get the same FLOPs")
    ap.add_argument("--sample-mb", type=float, default=40.0)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--out", default=os.path.join(DATA, "vocab-sweep"))
    ap.add_argument("--report", default=os.path.join(HERE, "vocab_sweep.md"))
    args = ap.parse_args()
    vocabs = sorted(int(v) for v in args.vocab.split(","))
    torch.set_num_threads(args.threads)
    os.makedirs(args.out, exist_ok=True)
    py = sys.executable

    sample = os.path.join(args.out, "sample-train.txt")
    sample_info = write_sample(os.path.join(DATA, "train.txt"), args.sample_mb, sample)
    print(f"sample: {sample_info}", flush=True)
    budget = args.base_iters * TOKENS_PER_ITER * train_flops_per_token(vocabs[0])
    results = []
    for v in vocabs:
        tok_path = os.path.join(args.out, f"tokenizer-{v}.json")
        bin_dir = os.path.join(args.out, f"bin-{v}")
        ckpt_dir = os.path.join(args.out, f"ckpt-{v}")
        run([py, os.path.join(HERE, "hf_tokenizer.py"), "--vocab-size", str(v), "--train", sample, "--out", tok_path])
        run([py, os.path.join(HERE, "prepare.py"), "--tokenizer", tok_path, "--train", sample,
             "--val", os.path.join(DATA, "val.txt"), "--out-dir", bin_dir, "--fim-rate", "0.5",
             "--spm-rate", "0.5", "--line-span-rate", "0.5", "--fim-chunk-bytes", "1400"])
        with open(os.path.join(bin_dir, "meta.json")) as f:
            meta = json.load(f)
        iters = max(1, round(budget / (TOKENS_PER_ITER * train_flops_per_token(meta["vocab_size"]))))
        t0 = time.time()
        run([py, os.path.join(HERE, "train.py"), "--config", TINY_CONFIG, "--id", f"sweep-{v}",
             "--data_dir", bin_dir, "--vocab_size", str(meta["vocab_size"]), "--out_dir", ckpt_dir,
             "--max_iters", str(iters), "--warmup_iters", str(max(10, iters // 10)),
             "--eval_interval", str(iters), "--eval_iters", "2", "--max_minutes", "0",
             "--threads", str(args.threads), "--seed", "1337"])
        train_s = time.time() - t0
        model = load_model(os.path.join(ckpt_dir, "ckpt.pt"))
        foreign = foreign_measures(model, hf_tokenizer.load(tok_path))
        row = {
            "vocab": v, "vocab_size": meta["vocab_size"], "iters": iters, "tokens": iters * TOKENS_PER_ITER,
            "train_bytes_seen": round(iters * TOKENS_PER_ITER * meta["train"]["bytes_per_token"]),
            "train_flops": iters * TOKENS_PER_ITER * train_flops_per_token(meta["vocab_size"]),
            "train_seconds": round(train_s), "embedding_params": meta["vocab_size"] * N_EMBD,
            "matmul_params": matmul_params(meta["vocab_size"]),
            "val_bytes_per_token": meta["val"]["bytes"] / meta["val"]["tokens"],
            "val_bpb": val_bpb(model, bin_dir), "foreign_bytes_per_token": foreign["bytes_per_token"],
            "foreign_bpb": foreign["bpb"],
        }
        print(json.dumps(row), flush=True)
        results.append(row)
        with open(os.path.join(args.out, "sweep.json"), "w") as f:
            json.dump({"sample": sample_info, "base_iters": args.base_iters, "threads": args.threads,
                       "results": results}, f, indent=1)
    write_report(args, sample_info, results)


def write_report(args, sample_info: Dict, results: List[Dict]) -> None:
    lines = [
        "# Vocabulary sweep at fixed training compute",
        "",
        f"Written by `training/vocab_sweep.py --vocab {args.vocab} --base-iters {args.base_iters} "
        f"--sample-mb {args.sample_mb:g} --threads {args.threads}` (see its docstring for the method).",
        f"Tokenizers and packed data from one sample of train.txt: every {sample_info['stride']}th document, "
        f"{sample_info['documents']:,} documents, {sample_info['bytes'] / 1e6:.1f} MB. Model: gpt-code-tiny's shape "
        f"(4 layers, 128 wide, 512-token window, tied output layer), the same training FLOPs for every vocabulary "
        f"({results[0]['train_flops'] / 1e12:.1f} TFLOP). Bits per byte on all of val.bin and on the 117 foreign files "
        "(raw bytes, tabs and CRLF as distributed).",
        "",
        "| vocabulary | embedding parameters | share of matmul weights | steps | tokens seen | bytes seen | "
        "val bytes/token | foreign bytes/token | val bits/byte | foreign bits/byte | training time |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['vocab']:,} | {r['embedding_params']:,} | {r['embedding_params'] / r['matmul_params']:.0%} | "
            f"{r['iters']} | {r['tokens'] / 1e6:.2f} M | {r['train_bytes_seen'] / 1e6:.1f} MB | "
            f"{r['val_bytes_per_token']:.3f} | {r['foreign_bytes_per_token']:.3f} | **{r['val_bpb']:.3f}** | "
            f"**{r['foreign_bpb']:.3f}** | {r['train_seconds'] / 60:.1f} min |")
    lines.append("")
    with open(args.report, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
    print(f"wrote {args.report}")


if __name__ == "__main__":
    main()

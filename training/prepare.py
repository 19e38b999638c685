"""Tokenize train.txt / val.txt into flat uint16 token files (nanoGPT's prepare.py).

Input: text files whose documents are separated by the literal <|endoftext|>
(training/corpus.py). Output, in --out-dir (default training/data/bin-<vocab>/):

    train.bin, val.bin  little-endian uint16 token ids; id 0 (<|endoftext|>) between documents
    meta.json           vocab_size, tokenizer sha256, and per split: tokens, documents and the
                        UTF-8 bytes of the documents (separators not counted), which
                        train.py uses to turn val loss into bits per byte

The ids equal `Tokenizer.encode_document(whole file)`: we split at <|endoftext|>, which
encode_document does too, so encoding groups of documents in parallel changes nothing.
Pure-Python BPE is slow; bpe.Tokenizer caches each pre-token chunk, and two worker
processes (this machine has 2 cores) each keep their own cache.

    /usr/bin/python3 training/prepare.py --tokenizer training/data/tokenizer-4096.json
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from multiprocessing import Pool

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bpe import EOT, EOT_ID, Tokenizer, to_bytes  # noqa: E402

_tok = None  # the tokenizer of this worker process


def _init(path):
    global _tok
    _tok = Tokenizer.load(path)


def _encode_group(docs):
    """list[str] documents -> uint16 ids, documents joined by EOT_ID (none at the ends)."""
    out = []
    for k, d in enumerate(docs):
        if k:
            out.append(EOT_ID)
        if d:
            out.extend(_tok.encode(d))
    return np.array(out, dtype=np.uint16)


def _groups(docs, target_bytes=1 << 19):
    """Consecutive documents in groups of about 512 KB (order kept)."""
    group, size = [], 0
    for d in docs:
        group.append(d)
        size += len(d)
        if size >= target_bytes:
            yield group
            group, size = [], 0
    if group:
        yield group


def encode_file(path, tokenizer_path, processes=2):
    with open(path, encoding="utf-8", errors="surrogatepass") as f:
        text = f.read()
    docs = text.split(EOT)
    parts = []
    if processes > 1:
        with Pool(processes, initializer=_init, initargs=(tokenizer_path,)) as pool:
            parts = list(pool.imap(_encode_group, _groups(docs)))
    else:
        _init(tokenizer_path)
        parts = [_encode_group(g) for g in _groups(docs)]
    sep = np.array([EOT_ID], dtype=np.uint16)
    pieces = []
    for k, p in enumerate(parts):
        if k:
            pieces.append(sep)  # the EOT between the last document of one group and the next
        pieces.append(p)
    ids = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.uint16)
    n_bytes = sum(len(to_bytes(d)) for d in docs)
    return ids, {"tokens": int(ids.size), "documents": len(docs), "bytes": n_bytes}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tokenizer", default="training/data/tokenizer-4096.json")
    ap.add_argument("--train", default="training/data/train.txt")
    ap.add_argument("--val", default="training/data/val.txt")
    ap.add_argument("--out-dir", default=None, help="default: training/data/bin-<vocab>")
    ap.add_argument("--processes", type=int, default=2, help="at most 2 on this machine")
    args = ap.parse_args()

    tok = Tokenizer.load(args.tokenizer)
    assert tok.vocab_size <= 65536, "uint16 ids need a vocabulary of at most 65536"
    out_dir = args.out_dir or os.path.join("training", "data", f"bin-{tok.vocab_size}")
    os.makedirs(out_dir, exist_ok=True)
    with open(args.tokenizer, "rb") as f:
        sha = hashlib.sha256(f.read()).hexdigest()
    meta = {"vocab_size": tok.vocab_size, "tokenizer": os.path.abspath(args.tokenizer), "tokenizer_sha256": sha,
            "dtype": "uint16", "eot_id": EOT_ID, "bytes_note": "UTF-8 bytes of the documents, separators not counted"}
    for split, path in (("train", args.train), ("val", args.val)):
        t0 = time.time()
        ids, info = encode_file(path, args.tokenizer, max(1, min(2, args.processes)))
        ids.tofile(os.path.join(out_dir, f"{split}.bin"))
        info["bytes_per_token"] = round(info["bytes"] / max(1, info["tokens"]), 4)
        meta[split] = info
        print(f"{split}: {info['bytes']} bytes, {info['documents']} documents -> {info['tokens']} tokens "
              f"({info['bytes_per_token']} bytes/token) in {time.time() - t0:.0f} s", flush=True)
    with open(os.path.join(out_dir, "meta.json"), "w") as f:
        json.dump(meta, f, indent=1)
    print(f"wrote {out_dir}/train.bin, val.bin, meta.json")


if __name__ == "__main__":
    main()

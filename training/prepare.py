"""Tokenize train.txt / val.txt into flat uint16 token files (nanoGPT's prepare.py), with
fill-in-the-middle examples in the training split.

Input: text files whose documents are separated by the literal <|endoftext|>
(training/corpus.py), and a tokenizer.json in the project's format with the specials
<|endoftext|>, <|fim_prefix|>, <|fim_middle|>, <|fim_suffix|> (training/hf_tokenizer.py).
Encoding runs in Hugging Face ``tokenizers`` (Rust, both cores). Output, in --out-dir
(default training/data/bin-<vocab>/):

    train.bin, val.bin  little-endian uint16 token ids; <|endoftext|> between documents
    meta.json           vocab_size, tokenizer sha256, the FIM settings, and per split: tokens,
                        documents and the UTF-8 bytes of the documents (separators not
                        counted), which train.py uses to turn val loss into bits per byte

Fill-in-the-middle (Bavarian et al. 2022, "Efficient Training of Language Models to Fill in
the Middle"), training split only: each document is cut at line ends into pieces of about
``--fim-chunk-bytes`` (so that one example fits in a training window: "context-level" FIM);
with probability ``--fim-rate`` a piece becomes an example, split at two uniformly random
character positions into prefix, middle and suffix, and written as

    PSM  <|fim_prefix|> prefix <|fim_suffix|> suffix <|fim_middle|> middle <|endoftext|>
    SPM  <|fim_prefix|> <|fim_suffix|> suffix <|fim_middle|> prefix+middle <|endoftext|>

With ``--line-span-rate`` R, a share R of the examples instead takes a middle of whole-line
shape, the span a completion at the cursor fills: it starts at the beginning of a random
non-blank line or (half the time) at a random character in it, and ends at the end of that
line (60%), the next (25%) or the one after (15%), before the line break; so the suffix begins
with the line break, as it does when the cursor is at a line's end. Uniform splits make most
middles hundreds of characters long; the single-line infilling measure (eval --infill) and
typing at a line's end need short ones, which a small model otherwise sees rarely.

(SPM with probability ``--spm-rate``; the StarCoder/Megatron variant: prefix and middle are
encoded as one text, so at inference the prefix is tokenised and healed exactly like a
left-to-right context and its KV cache is reused while the user types; the extension asks
in SPM). Consecutive pieces that are not examples stay one text, encoded together, so
left-to-right text is tokenised as before. The validation split has no FIM: its bits per
byte stay comparable with models trained without it.

    /usr/bin/python3 training/prepare.py --tokenizer training/data/tokenizer-4096.json [--fim-rate 0.5]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hf_tokenizer  # noqa: E402
from bpe import EOT  # noqa: E402


def pieces(doc: str, chunk_bytes: int):
    """The document cut at line ends into pieces of about chunk_bytes characters."""
    out, start = [], 0
    while start < len(doc):
        end = start + chunk_bytes
        if end >= len(doc):
            out.append(doc[start:])
            break
        nl = doc.rfind("\n", start + chunk_bytes // 2, end)
        end = nl + 1 if nl >= 0 else end
        out.append(doc[start:end])
        start = end
    return out


def line_span(piece: str, rng: random.Random):
    """(start, end) of a middle shaped like a completion at the cursor (see the docstring), or None (no non-blank line)."""
    texts = piece.split("\n")
    if piece.endswith("\n"):
        texts.pop()  # no line after the last line break
    starts, ends, at = [], [], 0
    for text in texts:
        starts.append(at)
        ends.append(at + len(text))
        at += len(text) + 1
    lines = [k for k, (a, b) in enumerate(zip(starts, ends)) if piece[a:b].strip()]
    if not lines:
        return None
    k = rng.choice(lines)
    a, b = starts[k], ends[k]
    start = a if rng.random() < 0.5 else rng.randint(a, b)
    extra = rng.choices((0, 1, 2), weights=(60, 25, 15))[0]
    return start, ends[min(len(ends) - 1, k + extra)]


def layout(doc: str, rng: random.Random, fim_rate: float, spm_rate: float, chunk_bytes: int, line_span_rate: float = 0.0, counts=None):
    """A document as a list of segments: ('text', s) to encode as one, or ('psm'|'spm', prefix, middle, suffix)."""
    counts = {} if counts is None else counts
    if fim_rate <= 0 or any(s in doc for s in hf_tokenizer.SPECIALS[1:]):
        return [("text", doc)]
    segments, plain = [], []
    for piece in pieces(doc, chunk_bytes):
        if rng.random() >= fim_rate or len(piece) < 2:
            plain.append(piece)
            continue
        if plain:
            segments.append(("text", "".join(plain)))
            plain = []
        span = line_span(piece, rng) if line_span_rate > 0 and rng.random() < line_span_rate else None
        a, b = span if span else sorted(rng.randint(0, len(piece)) for _ in range(2))
        if span:
            counts["line_span"] = counts.get("line_span", 0) + 1
        mode = "spm" if rng.random() < spm_rate else "psm"
        segments.append((mode, piece[:a], piece[a:b], piece[b:]))
    if plain:
        segments.append(("text", "".join(plain)))
    return segments


def encode_documents(docs, tok, ids_of, rng, fim_rate, spm_rate, chunk_bytes, counts, line_span_rate=0.0):
    """uint16 ids of documents joined by <|endoftext|> (none at the ends); FIM as in the docstring."""
    # The FIM ids are only used when fim_rate > 0 (main() refuses a tokenizer without them then).
    eot = ids_of[EOT]
    pre, mid, suf = (ids_of.get(s) for s in (hf_tokenizer.FIM_PREFIX, hf_tokenizer.FIM_MIDDLE, hf_tokenizer.FIM_SUFFIX))
    layouts = [layout(d, rng, fim_rate, spm_rate, chunk_bytes, line_span_rate, counts) for d in docs]
    texts = []
    for segs in layouts:
        for s in segs:
            if s[0] == "text":
                texts.append(s[1])
            elif s[0] == "psm":
                texts.extend((s[1], s[3], s[2]))  # prefix, suffix, middle
            else:
                texts.extend((s[3], s[1] + s[2]))  # suffix, prefix+middle
    encoded = iter(hf_tokenizer.encode_batch(tok, texts))
    out = []
    for k, segs in enumerate(layouts):
        if k:
            out.append(eot)
        for s in segs:
            if s[0] == "text":
                out.extend(next(encoded))
            elif s[0] == "psm":
                p, sx, m = next(encoded), next(encoded), next(encoded)
                out.extend([pre, *p, suf, *sx, mid, *m, eot])
                counts["psm"] += 1
            else:
                sx, pm = next(encoded), next(encoded)
                out.extend([pre, suf, *sx, mid, *pm, eot])
                counts["spm"] += 1
    return np.array(out, dtype=np.uint16)


def encode_file(path, tok, ids_of, fim_rate=0.0, spm_rate=0.5, chunk_bytes=700, seed=1234, line_span_rate=0.0):
    with open(path, encoding="utf-8") as f:
        docs = f.read().split(EOT)
    rng = random.Random(seed)
    counts = {"psm": 0, "spm": 0}
    parts, group, size = [], [], 0
    for d in docs + [None]:
        if d is not None:
            group.append(d)
            size += len(d)
        if group and (d is None or size >= 1 << 22):
            parts.append(encode_documents(group, tok, ids_of, rng, fim_rate, spm_rate, chunk_bytes, counts, line_span_rate))
            group, size = [], 0
    sep = np.array([ids_of[EOT]], dtype=np.uint16)
    joined = []
    for k, p in enumerate(parts):
        if k:
            joined.append(sep)  # the separator between the last document of one group and the next
        joined.append(p)
    ids = np.concatenate(joined) if joined else np.zeros(0, dtype=np.uint16)
    n_bytes = sum(len(d.encode("utf-8")) for d in docs)
    return ids, {"tokens": int(ids.size), "documents": len(docs), "bytes": n_bytes,
                 "fim_examples": counts["psm"] + counts["spm"], "fim_spm_examples": counts["spm"],
                 "fim_line_span_examples": counts.get("line_span", 0)}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tokenizer", default="training/data/tokenizer-4096.json")
    ap.add_argument("--train", default="training/data/train.txt")
    ap.add_argument("--val", default="training/data/val.txt")
    ap.add_argument("--out-dir", default=None, help="default: training/data/bin-<vocab>")
    ap.add_argument("--fim-rate", type=float, default=0.5, help="share of pieces that become FIM examples (0: none)")
    ap.add_argument("--spm-rate", type=float, default=0.5, help="share of FIM examples in SPM order")
    ap.add_argument("--fim-chunk-bytes", type=int, default=700, help="about a training window of text (256 tokens ~ 800 bytes)")
    ap.add_argument("--line-span-rate", type=float, default=0.0, help="share of FIM examples whose middle is shaped like a completion at the cursor (see above)")
    ap.add_argument("--seed", type=int, default=1234)
    args = ap.parse_args()

    tok = hf_tokenizer.load(args.tokenizer)
    ids_of = hf_tokenizer.special_ids(args.tokenizer)
    vocab = tok.get_vocab_size()
    assert vocab <= 65536, "uint16 ids need a vocabulary of at most 65536"
    missing = [s for s in hf_tokenizer.SPECIALS if s not in ids_of]
    if args.fim_rate > 0 and missing:
        raise SystemExit(f"{args.tokenizer}: no {', '.join(missing)}; train it with training/hf_tokenizer.py or use --fim-rate 0")
    out_dir = args.out_dir or os.path.join("training", "data", f"bin-{vocab}")
    os.makedirs(out_dir, exist_ok=True)
    with open(args.tokenizer, "rb") as f:
        sha = hashlib.sha256(f.read()).hexdigest()
    meta = {"vocab_size": vocab, "tokenizer": os.path.abspath(args.tokenizer), "tokenizer_sha256": sha,
            "dtype": "uint16", "eot_id": ids_of[EOT], "bytes_note": "UTF-8 bytes of the documents, separators not counted",
            "fim": {"rate": args.fim_rate, "spm_rate": args.spm_rate, "chunk_bytes": args.fim_chunk_bytes,
                    "line_span_rate": args.line_span_rate, "seed": args.seed, "split": "train only", "layouts": "PSM and SPM (StarCoder variant), see prepare.py"}}
    for split, path in (("train", args.train), ("val", args.val)):
        t0 = time.time()
        ids, info = encode_file(path, tok, ids_of, args.fim_rate if split == "train" else 0.0, args.spm_rate,
                                args.fim_chunk_bytes, args.seed, args.line_span_rate)
        ids.tofile(os.path.join(out_dir, f"{split}.bin"))
        info["bytes_per_token"] = round(info["bytes"] / max(1, info["tokens"]), 4)
        meta[split] = info
        print(f"{split}: {info['bytes']} bytes, {info['documents']} documents -> {info['tokens']} tokens "
              f"({info['bytes_per_token']} bytes/token, {info['fim_examples']} FIM examples) in {time.time() - t0:.0f} s", flush=True)
    with open(os.path.join(out_dir, "meta.json"), "w") as f:
        json.dump(meta, f, indent=1)
    print(f"wrote {out_dir}/train.bin, val.bin, meta.json")


if __name__ == "__main__":
    main()

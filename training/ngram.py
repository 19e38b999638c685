"""Build the classic counted model `ngram-code` (interpolated Kneser-Ney) from train.bin.

    /usr/bin/python3 training/ngram.py --data-dir training/data/bin-4096 \
        --tokenizer training/data/tokenizer-4096.json [--order 4] [--max-mb 8]

1. Count every n-gram of order 1..N in the token stream (documents are separated by
   <|endoftext|> = id 0, which is an ordinary token here): each n-gram is packed into one
   int64 (bits = ceil(log2 vocab) per token, first token highest), so lexicographic order
   of the n-grams is numeric order of the keys and np.unique does the counting.
2. Orders below N store Kneser-Ney continuation counts: the number of distinct tokens seen
   just before the n-gram (= how many distinct (n+1)-grams end with it).
3. Discounts per order D_n = n1 / (n1 + 2 n2) from the counts-of-counts of those counts
   (raw at order N, continuation below), taken BEFORE pruning (after pruning the highest
   order holds no count of 1 and n1 would be 0), clamped to [0.05, 0.95].
   With --tune-discounts they are then adjusted on held-out training text (below), each up
   to its order's smallest stored count after pruning (the engine's condition for the
   probabilities to sum to 1; a heavily pruned order is best with a discount near it).
4. Prune to --max-mb: while too big, raise the minimum stored count of the order >= 2
   whose table is largest after weighting its bytes by prune_bias^(n-2) (so higher orders,
   whose rows cost more and help less per byte, are pruned first). Unigrams are kept.
5. Write models/ngram-code/ (config.json, model.safetensors with ngram.{n}.tokens I32
   [count, n] sorted lexicographically and ngram.{n}.counts I32 [count], tokenizer.json,
   MODEL_CARD.md) and merge its entry into models/index.json.
6. Measure val bits per byte with exactly the engine's formula (src/engine/ngram.ts),
   using only the stored (pruned) tables:

   p_1(w)   = max(cc(w) - D_1, 0) / S + D_1 * T / S * 1/L
              (cc = stored unigram count, S = sum of cc, T = number of stored unigrams)
   p_n(w|c) = max(n(c,w) - D_n, 0) / n(c) + D_n * N1+(c) / n(c) * p_{n-1}(w | c[1:])
              (c = the previous n-1 tokens, n(c) = sum over w of the stored n(c, w),
               N1+(c) = number of stored rows with context c)
   and if c has no stored row, p_n(w|c) = p_{n-1}(w|c[1:]).
"""
from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from model_folder import update_index  # noqa: E402
from safetensors_io import write_safetensors  # noqa: E402


def pack(tokens: np.ndarray, n: int, bits: int) -> np.ndarray:
    """(len,) int64 tokens -> (len - n + 1,) keys of the n-grams starting at each position."""
    keys = tokens[: len(tokens) - n + 1].copy()
    for j in range(1, n):
        keys <<= bits
        keys |= tokens[j: len(tokens) - n + 1 + j]
    return keys


def unpack(keys: np.ndarray, n: int, bits: int) -> np.ndarray:
    """(count,) keys -> (count, n) int32 tokens."""
    mask = (1 << bits) - 1
    cols = [(keys >> (bits * (n - 1 - j))) & mask for j in range(n)]
    return np.stack(cols, axis=1).astype(np.int32) if len(keys) else np.zeros((0, n), np.int32)


def count_tables(tokens: np.ndarray, order: int, bits: int):
    """Per order n: (sorted unique keys, stored counts): raw at `order`, continuation below."""
    raw = {n: np.unique(pack(tokens, n, bits), return_counts=True) for n in range(1, order + 1)}
    tables = {order: raw[order]}
    for n in range(1, order):
        # Each distinct (n+1)-gram contributes one left neighbour to the n-gram it ends with.
        suffix = raw[n + 1][0] & ((1 << (bits * n)) - 1)
        tables[n] = np.unique(suffix, return_counts=True)
    return tables


def kn_discount(counts: np.ndarray) -> float:
    n1 = int((counts == 1).sum())
    n2 = int((counts == 2).sum())
    d = n1 / (n1 + 2 * n2) if n1 + n2 > 0 else 0.5
    return float(min(0.95, max(0.05, d)))


def table_bytes(n: int, rows: int) -> int:
    return rows * 4 * (n + 1)  # I32 tokens (n per row) + I32 count


def prune(tables: dict, order: int, max_bytes: int, bias: float = 1.5):
    """Returns (pruned tables, minimum kept count per order)."""
    min_count = {n: 1 for n in tables}
    sizes = {n: table_bytes(n, len(tables[n][0])) for n in tables}
    while sum(sizes.values()) > max_bytes:
        n = max((m for m in tables if m >= 2), key=lambda m: sizes[m] * bias ** (m - 2))
        min_count[n] += 1
        sizes[n] = table_bytes(n, int((tables[n][1] >= min_count[n]).sum()))
    out = {}
    for n, (keys, counts) in tables.items():
        keep = counts >= min_count[n]
        out[n] = (keys[keep], counts[keep])
    return out, min_count


def max_discount(min_count: int) -> float:
    """The largest discount for an order whose smallest stored count is min_count: the count
    itself (each stored row keeps count - D >= 0), below 1 for an unpruned order (so a row seen
    once keeps a little probability of its own, as in Kneser-Ney)."""
    return float(min_count) if min_count > 1 else 0.99


def tune_discounts(tokens, order, bits, vocab, max_bytes, bias, holdout=0.05):
    """Discounts that minimise the bits of the last `holdout` of the training tokens, for tables
    counted and pruned from the rest. Pruning drops the rare continuations, so the counts-of-
    counts estimate leaves too little mass to back off with; a coordinate search over
    multiples of it fixes that. Returns the list of D_1..D_N."""
    cut = int(len(tokens) * (1 - holdout))
    fit, dev = tokens[:cut], tokens[cut:]
    tables = count_tables(fit, order, bits)
    base = [kn_discount(tables[n][1]) for n in range(1, order + 1)]
    pruned, min_count = prune(tables, order, max_bytes, bias)
    D = list(base)
    bits_of = lambda d: float(-kn_log2_probs(pruned, d, order, bits, vocab, dev).sum())
    best = bits_of(D)
    for n in range(order, 0, -1):
        # A discount up to the order's smallest stored count keeps every probability a
        # distribution (the engine checks it). Below it, a pruned order with large counts needs a
        # large one: the rows pruned away leave their mass to the lower order only through D.
        cap = max_discount(min_count[n])
        trials = [base[n - 1] * m for m in (0.7, 0.85, 1.15, 1.3, 1.45, 1.6, 1.8, 2.0)]
        trials += [min_count[n] * f for f in (0.25, 0.5, 0.75, 1.0)] if min_count[n] > 1 else []
        for t in trials:
            trial = list(D)
            trial[n - 1] = float(min(cap, max(0.05, t)))
            b = bits_of(trial)
            if b < best:
                best, D = b, trial
    print(f"tuned discounts on {len(dev):,} held-out training tokens: {[round(d, 4) for d in base]} -> "
          f"{[round(d, 4) for d in D]} ({bits_of(base) / len(dev):.4f} -> {best / len(dev):.4f} bits/token)")
    return D


def context_stats(keys: np.ndarray, counts: np.ndarray, bits: int):
    """Per distinct context (the first n-1 tokens): (context keys, n(c), N1+(c))."""
    ctx = keys >> bits
    uniq, start, types = np.unique(ctx, return_index=True, return_counts=True)  # keys are sorted, so ctx is too
    totals = np.add.reduceat(counts.astype(np.int64), start) if len(start) else np.zeros(0, np.int64)
    return uniq, totals, types


def lookup(sorted_keys: np.ndarray, query: np.ndarray):
    """(index, found) of each query key in a sorted array."""
    idx = np.searchsorted(sorted_keys, query)
    idx_c = np.minimum(idx, len(sorted_keys) - 1)
    found = (idx < len(sorted_keys)) & (sorted_keys[idx_c] == query) if len(sorted_keys) else np.zeros(len(query), bool)
    return idx_c, found


def kn_log2_probs(tables: dict, discounts: list, order: int, bits: int, vocab: int, tokens: np.ndarray) -> np.ndarray:
    """log2 p(tokens[i] | tokens[i-order+1 .. i-1]) for every position i (fewer context tokens at the start)."""
    keys1, cc1 = tables[1]
    S, T, D = float(cc1.sum()), len(keys1), discounts[0]
    p1 = np.full(vocab, D * T / S / vocab)
    p1[keys1] += np.maximum(cc1 - D, 0) / S
    p = p1[tokens]  # (len,)
    for n in range(2, order + 1):
        keys, counts = tables[n]
        if len(keys) == 0:
            continue
        D = discounts[n - 1]
        ctx_keys, totals, types = context_stats(keys, counts, bits)
        full = pack(tokens, n, bits)  # n-gram ending at position i = start + n - 1
        ctx = full >> bits
        ci, seen = lookup(ctx_keys, ctx)
        ki, hit = lookup(keys, full)
        cw = np.where(hit, counts[ki], 0).astype(np.float64)
        tot = totals[ci].astype(np.float64)
        lower = p[n - 1:]
        higher = np.maximum(cw - D, 0) / tot + D * types[ci] / tot * lower
        p[n - 1:] = np.where(seen, higher, lower)
    return np.log2(p)


def model_card(cfg, rows, min_count, nbytes, bpb, val_tokens, train_tokens, full_rows, a) -> str:
    L = cfg["vocab_size"]
    lines = [
        f"# {cfg['display_name']} (`{cfg['id']}`)", "", cfg["description"], "",
        "## Model", "",
        f"Interpolated Kneser-Ney {cfg['order']}-gram over the {L}-token byte-level BPE vocabulary of the GPT models",
        "(tokenizer.json). The context is the last "
        f"{cfg['order'] - 1} tokens; `<|endoftext|>` (id 0) separates documents and is an ordinary token.", "",
        "| order | rows stored | rows before pruning | minimum stored count | discount D |", "|---|---|---|---|---|",
    ]
    for n in range(1, cfg["order"] + 1):
        lines.append(f"| {n} | {rows[n]:,} | {full_rows[n]:,} | {min_count[n]} | {cfg['discounts'][n - 1]:.4f} |")
    lines += [
        "", f"model.safetensors: {nbytes:,} bytes (I32 tables).", "",
        "## Probability (the TypeScript engine must compute exactly this)", "",
        "Counts: `n(c, w)` is the stored count of the n-gram (c, w): the raw count at the highest order, the",
        "Kneser-Ney continuation count (number of distinct tokens seen just before the n-gram) below it.",
        "`n(c) = sum over w of n(c, w)` and `N1+(c)` = number of stored rows whose first n-1 tokens are c,",
        "both over the stored (pruned) table of that order. `D_n` = `discounts[n-1]` in config.json.", "",
        "```",
        "p_1(w)   = max(n(w) - D_1, 0) / S  +  D_1 * T / S * 1/L        S = sum of unigram counts, T = unigram rows, L = vocab_size",
        "p_n(w|c) = max(n(c,w) - D_n, 0) / n(c)  +  D_n * N1+(c) / n(c) * p_{n-1}(w | c[1:])",
        "p_n(w|c) = p_{n-1}(w | c[1:])                                    if no stored row has context c",
        "```", "",
        "With k context tokens available (k < order - 1 at the start of a text) the highest order used is k + 1.", "",
        "## Building", "",
        f"`training/ngram.py`: counts all n-grams of the training token stream ({train_tokens:,} tokens, the GPT",
        "models' training split without FIM examples) with numpy, continuation counts below the highest order, discounts",
        "D = n1 / (n1 + 2 n2) from the counts-of-counts before pruning"
        + (", then adjusted (coordinate search over multiples of them and fractions of each order's smallest stored "
           "count, which bounds them) to minimise the bits of the last 5 % of the "
           "training tokens with tables built from the other 95 %" if a.tune_discounts else "")
        + f"; prunes to the size budget ({a.max_mb} MB) by raising the minimum count of the order with the largest "
        f"table (bytes weighted by {a.prune_bias}^(n-2)), see the table.",
        f"Command: `/usr/bin/python3 training/ngram.py --order {a.order} --max-mb {a.max_mb} --prune-bias {a.prune_bias}"
        + (" --tune-discounts" if a.tune_discounts else "") + "`", "",
        "## Data", "",
        "The corpus of the GPT models, read left to right (`prepare.py --fim-rate 0` with the vocabulary without",
        "the FIM specials): pinned npm packages, PyPI source distributions and the Python standard library, see",
        "`training/corpus_manifest.json.gz` for every file, version and licence.", "",
        "## Measured quality", "",
        f"- **{bpb:.4f} bits per byte** on the validation set ({val_tokens:,} tokens, one continuous stream; bits",
        "  per byte = total -log2 p / UTF-8 bytes of the documents).", "",
        # scripts/measure-model.mjs writes the extension's measurements between the markers.
        "<!-- measured:begin -->", "## Measured in the extension", "",
        f"Not measured yet: run `npm run build && node scripts/measure-model.mjs {a.id}`.", "<!-- measured:end -->", "",
    ]
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-dir", default="training/data/bin-4096")
    ap.add_argument("--tokenizer", default="training/data/tokenizer-4096.json")
    ap.add_argument("--order", type=int, default=4)
    ap.add_argument("--max-mb", type=float, default=8.0, help="budget for the tables (MB = 1e6 bytes)")
    ap.add_argument("--prune-bias", type=float, default=1.5, help="prune order n by bytes * bias^(n-2)")
    ap.add_argument("--tune-discounts", action="store_true", help="fit discounts on held-out training tokens")
    ap.add_argument("--id", default="ngram-code")
    ap.add_argument("--out-dir", default=None, help="default models/<id> (then models/index.json is updated)")
    ap.add_argument("--make-default", action="store_true")
    a = ap.parse_args()

    with open(os.path.join(a.data_dir, "meta.json")) as f:
        meta = json.load(f)
    L = meta["vocab_size"]
    bits = max(1, math.ceil(math.log2(L)))
    assert bits * a.order <= 62, "packed n-gram keys must fit in an int64"
    train = np.fromfile(os.path.join(a.data_dir, "train.bin"), dtype=np.uint16).astype(np.int64)
    val = np.fromfile(os.path.join(a.data_dir, "val.bin"), dtype=np.uint16).astype(np.int64)

    tables = count_tables(train, a.order, bits)
    discounts = [kn_discount(tables[n][1]) for n in range(1, a.order + 1)]
    if a.tune_discounts:
        discounts = tune_discounts(train, a.order, bits, L, int(a.max_mb * 1e6), a.prune_bias)
    full_rows = {n: len(tables[n][0]) for n in tables}
    pruned, min_count = prune(tables, a.order, int(a.max_mb * 1e6), a.prune_bias)
    # Tuned on 95 % of the tokens, whose pruned tables can have slightly smaller counts.
    discounts = [min(d, max_discount(min_count[n])) for n, d in zip(range(1, a.order + 1), discounts)]
    rows = {n: len(pruned[n][0]) for n in pruned}
    for n in range(1, a.order + 1):
        print(f"order {n}: {full_rows[n]:,} -> {rows[n]:,} rows (min count {min_count[n]}), D = {discounts[n - 1]:.4f}")

    log2p = kn_log2_probs(pruned, discounts, a.order, bits, L, val)
    bpb = float(-log2p.sum() / meta["val"]["bytes"])
    print(f"val: {bpb:.4f} bits per byte ({-log2p.mean():.4f} bits/token over {len(val):,} tokens)")

    out_dir = a.out_dir or os.path.join(ROOT, "models", a.id)
    os.makedirs(out_dir, exist_ok=True)
    cfg = {"kind": "ngram", "id": a.id, "display_name": f"N-gram ({a.order}-gram, Kneser-Ney)",
           "description": f"Classic counted {a.order}-gram model with Kneser-Ney smoothing: tiny and instant, weaker than the GPTs",
           "vocab_size": L, "order": a.order, "smoothing": "kneser-ney", "discounts": [round(d, 6) for d in discounts]}
    with open(os.path.join(out_dir, "config.json"), "w") as f:
        json.dump(cfg, f, indent=1)
        f.write("\n")
    tensors = {}
    for n in range(1, a.order + 1):
        keys, counts = pruned[n]
        tensors[f"ngram.{n}.tokens"] = unpack(keys, n, bits)  # (count_n, n), rows sorted lexicographically
        tensors[f"ngram.{n}.counts"] = counts.astype(np.int32)  # (count_n,)
    nbytes = write_safetensors(os.path.join(out_dir, "model.safetensors"), tensors)
    shutil.copyfile(a.tokenizer, os.path.join(out_dir, "tokenizer.json"))
    # The discounts as written (rounded) are the ones the card's bpb should use.
    bpb = float(-kn_log2_probs(pruned, cfg["discounts"], a.order, bits, L, val).sum() / meta["val"]["bytes"])
    with open(os.path.join(out_dir, "MODEL_CARD.md"), "w") as f:
        f.write(model_card(cfg, rows, min_count, nbytes, bpb, len(val), len(train), full_rows, a))
    if a.out_dir is None:
        update_index(os.path.join(ROOT, "models", "index.json"),
                     {"id": a.id, "display_name": cfg["display_name"], "description": cfg["description"], "kind": "ngram",
                      "parameters": int(sum(rows.values())), "file_bytes": nbytes,
                      "quality": {"val_bpb": round(bpb, 4)}, "speed": {}}, a.make_default)
    print(f"{nbytes:,} bytes, val {bpb:.4f} bits per byte -> {out_dir}")


if __name__ == "__main__":
    main()

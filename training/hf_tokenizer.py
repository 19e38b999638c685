"""Byte-level BPE trained and run with Hugging Face ``tokenizers`` (the library the field uses).

The trained vocabulary is written in the project's tokenizer.json subset (models/FORMAT.md):
the project regex as a ``Split`` pre-tokenizer, GPT-2's byte-to-unicode alphabet, ``vocab``
and ``merges``, and the special tokens in ``added_tokens``. The TypeScript tokenizer
(src/engine/bpeTokenizer.ts) reads exactly that file and must encode every text to the
same ids as this module (test/unit/hfTokenizer.test.ts checks it on committed fixtures that
``training/make_tokenizer_fixtures.py`` writes from this module).

Special tokens, in this order from id 0: ``<|endoftext|>`` (the document separator and the
end of a fill-in-the-middle example), ``<|fim_prefix|>``, ``<|fim_middle|>``,
``<|fim_suffix|>`` (see prepare.py for the FIM layouts). They are never produced from
text: ``encode`` splits nothing out of the input, so code that contains the string
``<|fim_prefix|>`` is just characters.

    python3 training/hf_tokenizer.py --vocab-size 4096 --out training/data/tokenizer-hf-4096.json
    python3 training/hf_tokenizer.py --add-fim-to models/gpt-code-tiny/tokenizer.json --out OUT.json

``--add-fim-to`` keeps an existing vocabulary (its ids unchanged) and appends the FIM
specials after its last id, so a model trained with it can start from that model's weights.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import Iterable, Iterator, List

from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers, trainers

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bpe import EOT, PATTERN_SOURCE  # noqa: E402

FIM_PREFIX, FIM_MIDDLE, FIM_SUFFIX = "<|fim_prefix|>", "<|fim_middle|>", "<|fim_suffix|>"
SPECIALS = [EOT, FIM_PREFIX, FIM_MIDDLE, FIM_SUFFIX]
DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")


def _pre_tokenizer():
    # The project regex splits; ByteLevel without its own regex only maps bytes to GPT-2's
    # unicode alphabet (what bpeTokenizer.ts does per chunk).
    return pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(PATTERN_SOURCE), behavior="isolated"),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
    ])


def train(texts: Iterable[str], vocab_size: int) -> Tokenizer:
    """Trains on an iterator of texts (documents or groups of them)."""
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = _pre_tokenizer()
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=SPECIALS, min_frequency=2,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tok.train_from_iterator(texts, trainer=trainer)
    return tok


def project_json(tok: Tokenizer) -> dict:
    """The trained tokenizer in the project's tokenizer.json subset."""
    full = json.loads(tok.to_str())
    model = full["model"]
    merges = [m if isinstance(m, str) else f"{m[0]} {m[1]}" for m in model["merges"]]
    vocab = {t: i for t, i in model["vocab"].items() if t not in SPECIALS}
    return {
        "version": "1.0",
        "added_tokens": [{"id": tok.token_to_id(s), "content": s, "special": True} for s in SPECIALS],
        "pre_tokenizer": {"type": "Split", "pattern": {"Regex": PATTERN_SOURCE}, "behavior": "Isolated"},
        "model": {"type": "BPE", "vocab": vocab, "merges": merges},
        "decoder": {"type": "ByteLevel"},
    }


def load(path: str) -> Tokenizer:
    """A project tokenizer.json (written by project_json) as a Hugging Face tokenizer for encoding."""
    with open(path, encoding="utf-8") as f:
        spec = json.load(f)
    if spec.get("pre_tokenizer", {}).get("pattern", {}).get("Regex") != PATTERN_SOURCE:
        raise ValueError(f"{path}: not the project's pre-tokenizer regex")
    vocab = dict(spec["model"]["vocab"])
    for added in spec.get("added_tokens", []):
        vocab[added["content"]] = added["id"]
    merges = [tuple(m.split(" ")) if isinstance(m, str) else tuple(m) for m in spec["model"]["merges"]]
    tok = Tokenizer(models.BPE(vocab=vocab, merges=merges))
    tok.pre_tokenizer = _pre_tokenizer()
    tok.decoder = decoders.ByteLevel()
    # Not registered as added tokens: they must never be split out of text.
    return tok


def with_fim_specials(spec: dict) -> dict:
    """An existing project tokenizer.json with the missing FIM specials appended after its last id."""
    added = list(spec.get("added_tokens", []))
    have = {a["content"] for a in added}
    next_id = 1 + max([*spec["model"]["vocab"].values(), *(a["id"] for a in added)])
    for s in SPECIALS:
        if s not in have:
            added.append({"id": next_id, "content": s, "special": True})
            next_id += 1
    return {**spec, "added_tokens": added}


def special_ids(path: str) -> dict:
    with open(path, encoding="utf-8") as f:
        spec = json.load(f)
    return {a["content"]: a["id"] for a in spec.get("added_tokens", [])}


def encode_batch(tok: Tokenizer, texts: List[str]) -> List[List[int]]:
    return [e.ids for e in tok.encode_batch(texts, add_special_tokens=False)]


def documents(path: str, sample_mb: float) -> Iterator[str]:
    """Documents of a corpus file (split at <|endoftext|>), the first ``sample_mb`` MB (0 = all)."""
    limit = int(sample_mb * 1_000_000) if sample_mb > 0 else None
    with open(path, encoding="utf-8", errors="surrogatepass") as f:
        text = f.read()
    total = 0
    for d in text.split(EOT):
        total += len(d)
        yield d
        if limit is not None and total >= limit:
            return


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--vocab-size", type=int, default=4096)
    ap.add_argument("--train", default=os.path.join(DATA, "train.txt"))
    ap.add_argument("--sample-mb", type=float, default=0, help="MB of train.txt to train on (0 = all)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--add-fim-to", help="an existing tokenizer.json: keep its vocabulary, append the FIM specials")
    args = ap.parse_args()
    if args.add_fim_to:
        with open(args.add_fim_to, encoding="utf-8") as f:
            spec = with_fim_specials(json.load(f))
        with open(args.out, "w", encoding="utf-8") as f:
            json.dump(spec, f, ensure_ascii=False)
        print(f"{args.add_fim_to} + FIM specials {[(a['content'], a['id']) for a in spec['added_tokens']]} -> {args.out}")
        return
    t0 = time.time()
    tok = train(documents(args.train, args.sample_mb), args.vocab_size)
    spec = project_json(tok)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(spec, f, ensure_ascii=False)
    print(f"trained {args.vocab_size} tokens in {time.time() - t0:.0f} s; wrote {args.out}")


if __name__ == "__main__":
    main()

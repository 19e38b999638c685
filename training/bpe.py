"""Byte-level BPE tokenizer (pure Python), compatible with models/FORMAT.md.

* Text -> bytes: UTF-8, lone surrogates as their 3-byte WTF-8 form
  (``text.encode('utf-8', 'surrogatepass')``).
* Pre-tokenizer: the project regex ``PATTERN`` (exactly the one in FORMAT.md), applied
  with ``re.findall``; BPE never merges across chunks.
* Vocab strings use GPT-2's ``bytes_to_unicode`` table.
* Ids: 0 = ``<|endoftext|>`` (special; in ``added_tokens`` and, as in Hugging Face's GPT-2
  file, also in ``model.vocab``), 1..256 = single bytes (byte b has id b + 1), then
  merge k (0-based rank) creates id 257 + k.
* Encoding is the standard GPT-2 ``bpe()`` loop: inside a chunk, find the adjacent pair
  with the lowest merge rank, merge every (left-to-right, non-overlapping) occurrence of
  it, repeat until no pair has a rank.
* Training (``train_bpe``): pre-token frequencies, then merges with incremental pair-count
  updates and a lazy max-heap. Ties: highest count, then the lexicographically smallest
  pair of vocab strings ``(left, right)`` (Python ``str`` order of the GPT-2-mapped
  strings). A pair whose concatenation already exists as a token (another merge path
  produced the same bytes) is skipped, so every merge creates a new, unique token and
  ``merge k -> id 257 + k`` holds. ``<|endoftext|>`` splits documents and is never merged.

Command line (encode a text file to a uint16 numpy file for model training)::

    python3 training/bpe.py encode --tokenizer T.json --input train.txt --output train.u16
"""
from __future__ import annotations

import heapq
import json
import re
from collections import Counter
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

EOT = "<|endoftext|>"
EOT_ID = 0

# Exactly the FORMAT.md regex (Python `re` and JavaScript agree on it).
PATTERN_SOURCE = (
    r"[\r\n]+[ \t]*|[ ]?[A-Za-z_$][A-Za-z0-9_$]*|[ ]?[0-9]{1,3}"
    r"|[ ]?[!-#%-/:-@\[-^`{-~]+|[ ]?[^\x00-\x7F]+|[ \t]+|[\s\S]"
)
PATTERN = re.compile(PATTERN_SOURCE)


def bytes_to_unicode() -> Dict[int, str]:
    """GPT-2's table: printable Latin-1 bytes map to themselves, the rest to 256 + n."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return {b: chr(c) for b, c in zip(bs, cs)}


BYTE_ENCODER = bytes_to_unicode()
BYTE_DECODER = {c: b for b, c in BYTE_ENCODER.items()}


def to_bytes(text: str) -> bytes:
    """UTF-8, with lone surrogates as WTF-8 (3 bytes each)."""
    return text.encode("utf-8", "surrogatepass")


def pretokenize(text: str) -> List[str]:
    return PATTERN.findall(text)


def bytes_to_str(b: bytes) -> str:
    return "".join(BYTE_ENCODER[x] for x in b)


def merge_pair(parts: Sequence[int], pair: Tuple[int, int], new_id: int) -> List[int]:
    """Every non-overlapping occurrence of `pair` in `parts`, left to right, replaced by new_id."""
    a, b = pair
    out: List[int] = []
    i = 0
    n = len(parts)
    while i < n:
        if i + 1 < n and parts[i] == a and parts[i + 1] == b:
            out.append(new_id)
            i += 2
        else:
            out.append(parts[i])
            i += 1
    return out


class Tokenizer:
    def __init__(self, merges: Sequence[Tuple[int, int]]):
        """merges[k] = (left id, right id); merge k creates id 257 + k."""
        self.merges: List[Tuple[int, int]] = [tuple(m) for m in merges]
        self.token_bytes: List[bytes] = [EOT.encode("utf-8")] + [bytes([b]) for b in range(256)]
        self.ranks: Dict[Tuple[int, int], Tuple[int, int]] = {}
        for k, (a, b) in enumerate(self.merges):
            new_id = 257 + k
            self.token_bytes.append(self.token_bytes[a] + self.token_bytes[b])
            if (a, b) in self.ranks:
                raise ValueError(f"merge {k} repeats the pair ({a}, {b})")
            self.ranks[(a, b)] = (k, new_id)
        self.cache: Dict[str, List[int]] = {}

    @property
    def vocab_size(self) -> int:
        return 257 + len(self.merges)

    def token_str(self, i: int) -> str:
        if i == EOT_ID:
            return EOT
        return bytes_to_str(self.token_bytes[i])

    # ---- encoding -------------------------------------------------------------------
    def _bpe(self, chunk: str) -> List[int]:
        cached = self.cache.get(chunk)
        if cached is not None:
            return cached
        parts = [b + 1 for b in to_bytes(chunk)]
        ranks = self.ranks
        while len(parts) > 1:
            best = None
            best_rank = None
            for pair in zip(parts, parts[1:]):
                r = ranks.get(pair)
                if r is not None and (best_rank is None or r[0] < best_rank):
                    best_rank = r[0]
                    best = pair
            if best is None:
                break
            parts = merge_pair(parts, best, ranks[best][1])
        if len(self.cache) >= 200_000:
            self.cache.clear()
        self.cache[chunk] = parts
        return parts

    def encode(self, text: str) -> List[int]:
        """Plain text (``<|endoftext|>`` inside it is ordinary text)."""
        ids: List[int] = []
        for chunk in PATTERN.findall(text):
            ids.extend(self._bpe(chunk))
        return ids

    def encode_document(self, text: str) -> List[int]:
        """Training text: each literal ``<|endoftext|>`` becomes the special id 0."""
        ids: List[int] = []
        pieces = text.split(EOT)
        for k, piece in enumerate(pieces):
            if k:
                ids.append(EOT_ID)
            if piece:
                ids.extend(self.encode(piece))
        return ids

    def decode_bytes(self, ids: Iterable[int]) -> bytes:
        return b"".join(self.token_bytes[i] for i in ids)

    def decode(self, ids: Iterable[int]) -> str:
        data = self.decode_bytes(ids)
        try:
            return data.decode("utf-8", "surrogatepass")
        except UnicodeDecodeError:
            return data.decode("utf-8", "replace")

    # ---- files ----------------------------------------------------------------------
    def to_json(self) -> dict:
        vocab = {EOT: EOT_ID}
        for i in range(1, self.vocab_size):
            s = self.token_str(i)
            if s in vocab:
                raise ValueError(f"duplicate vocab string {s!r}")
            vocab[s] = i
        merges = [f"{self.token_str(a)} {self.token_str(b)}" for a, b in self.merges]
        return {
            "version": "1.0",
            "added_tokens": [{"id": EOT_ID, "content": EOT, "special": True}],
            "pre_tokenizer": {"type": "Split", "pattern": {"Regex": PATTERN_SOURCE}, "behavior": "Isolated"},
            "model": {"type": "BPE", "vocab": vocab, "merges": merges},
            "decoder": {"type": "ByteLevel"},
        }

    def save(self, path: str) -> None:
        with open(path, "w", encoding="utf-8") as f:
            json.dump(self.to_json(), f, ensure_ascii=False, indent=1)
            f.write("\n")

    @classmethod
    def from_json(cls, data: dict) -> "Tokenizer":
        pre = data.get("pre_tokenizer") or {}
        if pre.get("type") != "Split" or pre.get("pattern", {}).get("Regex") != PATTERN_SOURCE:
            raise ValueError("pre_tokenizer is not the project's Split regex")
        model = data["model"]
        vocab: Dict[str, int] = model["vocab"]
        for b in range(256):
            if vocab.get(BYTE_ENCODER[b]) != b + 1:
                raise ValueError(f"byte {b} is not id {b + 1}")
        merges = []
        for k, m in enumerate(model["merges"]):
            left, right = m.split(" ", 1) if isinstance(m, str) else m
            a, b = vocab[left], vocab[right]
            if vocab.get(left + right) != 257 + k:
                raise ValueError(f"merge {k} ({m!r}) does not create id {257 + k}")
            merges.append((a, b))
        return cls(merges)

    @classmethod
    def load(cls, path: str) -> "Tokenizer":
        with open(path, encoding="utf-8") as f:
            return cls.from_json(json.load(f))


# ---- training ---------------------------------------------------------------------------
def count_pretokens(texts: Iterable[str], counter: Optional[Counter] = None) -> Counter:
    """Chunk frequencies; ``<|endoftext|>`` separates documents and is dropped."""
    counter = Counter() if counter is None else counter
    for text in texts:
        for piece in text.split(EOT):
            if piece:
                counter.update(PATTERN.findall(piece))
    return counter


def train_bpe(text_iterable: Iterable[str], vocab_size: int, verbose: bool = False) -> Tokenizer:
    return train_bpe_from_counts(count_pretokens(text_iterable), vocab_size, verbose=verbose)


def train_bpe_from_counts(chunk_counts: Counter, vocab_size: int, verbose: bool = False) -> Tokenizer:
    if vocab_size < 257:
        raise ValueError("vocab_size must be at least 257")
    n_merges = vocab_size - 257
    # Words as byte-id lists; identical byte strings merged (sorted for determinism).
    by_bytes: Dict[bytes, int] = {}
    for chunk, c in chunk_counts.items():
        b = to_bytes(chunk)
        by_bytes[b] = by_bytes.get(b, 0) + c
    words: List[List[int]] = []
    freqs: List[int] = []
    for b in sorted(by_bytes):
        if len(b) > 1:
            words.append([x + 1 for x in b])
            freqs.append(by_bytes[b])
    del by_bytes

    strs: List[str] = [EOT] + [BYTE_ENCODER[b] for b in range(256)]
    existing = set(strs[1:])
    pair_counts: Dict[Tuple[int, int], int] = {}
    where: Dict[Tuple[int, int], set] = {}
    for idx, w in enumerate(words):
        f = freqs[idx]
        for p in zip(w, w[1:]):
            pair_counts[p] = pair_counts.get(p, 0) + f
            s = where.get(p)
            if s is None:
                where[p] = {idx}
            else:
                s.add(idx)
    heap = [(-c, strs[a], strs[b], a, b) for (a, b), c in pair_counts.items()]
    heapq.heapify(heap)
    merges: List[Tuple[int, int]] = []
    banned = set()
    while len(merges) < n_merges and heap:
        negc, _, _, a, b = heapq.heappop(heap)
        pair = (a, b)
        if pair in banned or pair_counts.get(pair, 0) != -negc or negc == 0:
            continue  # stale entry
        new_str = strs[a] + strs[b]
        if new_str in existing:
            banned.add(pair)
            continue
        new_id = len(strs)
        strs.append(new_str)
        existing.add(new_str)
        merges.append(pair)
        changed = set()
        for idx in sorted(where.pop(pair, ())):
            w = words[idx]
            f = freqs[idx]
            old_pairs = Counter(zip(w, w[1:]))
            out = merge_pair(w, pair, new_id)
            words[idx] = out
            new_pairs = Counter(zip(out, out[1:]))
            for p, c in old_pairs.items():
                pair_counts[p] -= c * f
                changed.add(p)
                if p not in new_pairs and p != pair:
                    s = where.get(p)
                    if s is not None:
                        s.discard(idx)
            for p, c in new_pairs.items():
                pair_counts[p] = pair_counts.get(p, 0) + c * f
                changed.add(p)
                s = where.get(p)
                if s is None:
                    where[p] = {idx}
                else:
                    s.add(idx)
        pair_counts.pop(pair, None)
        for p in changed:
            c = pair_counts.get(p, 0)
            if c > 0 and p != pair:
                heapq.heappush(heap, (-c, strs[p[0]], strs[p[1]], p[0], p[1]))
            elif c <= 0:
                pair_counts.pop(p, None)
                where.pop(p, None)
        if verbose and len(merges) % 500 == 0:
            print(f"  merge {len(merges)}: {new_str!r} count {-negc}", flush=True)
    return Tokenizer(merges)


def _main(argv: Optional[Sequence[str]] = None) -> None:
    import argparse
    import array

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    e = sub.add_parser("encode", help="encode a text file (documents separated by <|endoftext|>) to uint16 ids")
    e.add_argument("--tokenizer", required=True)
    e.add_argument("--input", required=True)
    e.add_argument("--output", required=True)
    args = ap.parse_args(argv)
    tok = Tokenizer.load(args.tokenizer)
    if tok.vocab_size > 65536:
        raise SystemExit("vocab too large for uint16")
    with open(args.input, encoding="utf-8", errors="surrogatepass") as f:
        text = f.read()
    ids = array.array("H", tok.encode_document(text))
    with open(args.output, "wb") as f:
        ids.tofile(f)
    print(f"{len(to_bytes(text))} bytes -> {len(ids)} tokens ({len(to_bytes(text)) / max(1, len(ids)):.3f} bytes/token), little-endian uint16 in {args.output}")


if __name__ == "__main__":
    _main()

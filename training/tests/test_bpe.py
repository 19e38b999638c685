"""Tests for training/bpe.py. Run: /usr/bin/python3 -m unittest discover training/tests"""
import json
import os
import re
import sys
import tempfile
import unittest
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import bpe  # noqa: E402

FORMAT_MD = os.path.join(HERE, "..", "..", "models", "FORMAT.md")

SAMPLE = """\
import { useState } from 'react';

export function Counter(props: { start: number }): JSX.Element {
  const [count, setCount] = useState<number>(props.start);
  // increment the counter
  return <button onClick={() => setCount(count + 1)}>{count}</button>;
}

def fibonacci(n):
    \"\"\"Return the n-th Fibonacci number.\"\"\"
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a

const $el = document.querySelector('#app');\tlet x_1 = 12345 + 0.5e-3;
\r\n\r\n    if (x !== null && y >= 2) { console.log(`value: ${x}`); }
"""

ROUND_TRIP = [
    "",
    "hello world",
    "  leading and trailing spaces  \n\n\t\ttabs\r\n",
    SAMPLE,
    "我爱你",
    "emoji 😀👍🏽 and family 👨‍👩‍👧",
    "combining: e\u0301 a\u0308 n\u0303 \u0915\u094d\u0937",
    "mixed 中文 text with ASCII // 注释",
    "\x00\x01\x7f control bytes \u00a0 nbsp \u2028 ls",
    "lone surrogates \ud800 and \udfff in a JS string",
    "<|endoftext|> as plain text",
]


def naive_train(text: str, vocab_size: int):
    """Reference trainer: recount every pair before every merge (slow, obviously right)."""
    counts = bpe.count_pretokens([text])
    words = Counter()
    for chunk, c in counts.items():
        words[tuple(b + 1 for b in bpe.to_bytes(chunk))] += c
    strs = [bpe.EOT] + [bpe.BYTE_ENCODER[b] for b in range(256)]
    merges = []
    banned = set()
    while len(strs) < vocab_size:
        pairs = Counter()
        for w, c in words.items():
            for p in zip(w, w[1:]):
                pairs[p] += c
        cands = [(-c, strs[a], strs[b], a, b) for (a, b), c in pairs.items() if (a, b) not in banned]
        if not cands:
            break
        _, sa, sb, a, b = min(cands)
        if sa + sb in strs:
            banned.add((a, b))
            continue
        new = len(strs)
        strs.append(sa + sb)
        merges.append((a, b))
        nw = Counter()
        for w, c in words.items():
            out, i = [], 0
            while i < len(w):
                if i + 1 < len(w) and w[i] == a and w[i + 1] == b:
                    out.append(new)
                    i += 2
                else:
                    out.append(w[i])
                    i += 1
            nw[tuple(out)] += c
        words = nw
    return merges


class TestBytesAndRegex(unittest.TestCase):
    def test_byte_table(self):
        t = bpe.bytes_to_unicode()
        self.assertEqual(len(set(t.values())), 256)
        self.assertEqual(t[ord("A")], "A")
        self.assertEqual(t[ord(" ")], "Ġ")
        self.assertEqual(t[ord("\n")], "Ċ")
        self.assertEqual(t[0], "Ā")

    def test_regex_is_format_md(self):
        with open(FORMAT_MD, encoding="utf-8") as f:
            md = f.read()
        m = re.search(r"The project's regex.*?```\n(.*?)\n```", md, re.S)
        self.assertIsNotNone(m)
        self.assertEqual(m.group(1), bpe.PATTERN_SOURCE)

    def test_pretokenize_covers_text(self):
        for s in ROUND_TRIP:
            self.assertEqual("".join(bpe.pretokenize(s)), s)
        self.assertEqual(bpe.pretokenize("\n    return x_1+$y;"),
                         ["\n    ", "return", " x_1", "+", "$y", ";"])
        self.assertEqual(bpe.pretokenize("12345 ab"), ["123", "45", " ab"])

    def test_wtf8(self):
        self.assertEqual(bpe.to_bytes("\ud800"), b"\xed\xa0\x80")
        self.assertEqual(bpe.to_bytes("😀"), "😀".encode("utf-8"))


class TestTokenizer(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tok = bpe.train_bpe([SAMPLE * 3 + "我爱你 我爱你"], 400)

    def test_ids_layout(self):
        tok = self.tok
        self.assertEqual(tok.encode("A"), [ord("A") + 1])
        self.assertEqual(tok.token_str(0), "<|endoftext|>")
        for k, (a, b) in enumerate(tok.merges):
            self.assertEqual(tok.token_bytes[257 + k], tok.token_bytes[a] + tok.token_bytes[b])
        self.assertEqual(len(set(tok.token_bytes)), tok.vocab_size)

    def test_round_trip(self):
        for tok in (self.tok, bpe.Tokenizer([])):
            for s in ROUND_TRIP:
                ids = tok.encode(s)
                self.assertEqual(tok.decode(ids), s, repr(s))
                self.assertTrue(all(0 < i < tok.vocab_size for i in ids))

    def test_compresses(self):
        self.assertLess(len(self.tok.encode(SAMPLE)), len(SAMPLE.encode()) / 2)

    def test_byte_only_tokenizer(self):
        tok = bpe.Tokenizer([])
        self.assertEqual(tok.encode("我"), [b + 1 for b in "我".encode()])

    def test_encode_document(self):
        tok = self.tok
        ids = tok.encode_document("a<|endoftext|>b<|endoftext|>")
        self.assertEqual(ids, tok.encode("a") + [0] + tok.encode("b") + [0])
        self.assertNotIn(0, tok.encode("<|endoftext|>"))
        self.assertEqual(tok.decode(ids), "a<|endoftext|>b<|endoftext|>")

    def test_standard_bpe_order(self):
        # merges: (a,b) rank 0, (b,c) rank 1, (a,a) rank 2
        a, b, c = ord("a") + 1, ord("b") + 1, ord("c") + 1
        tok = bpe.Tokenizer([(a, b), (b, c), (a, a)])
        self.assertEqual(tok.encode("abc"), [257, c])
        self.assertEqual(tok.encode("bc"), [258])
        self.assertEqual(tok.encode("aaa"), [259, a])  # left to right, non-overlapping
        self.assertEqual(tok.encode("aab"), [a, 257])  # lowest rank first, not leftmost

    def test_save_load(self):
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, "tokenizer.json")
            self.tok.save(p)
            with open(p, encoding="utf-8") as f:
                data = json.load(f)
            self.assertEqual(data["version"], "1.0")
            self.assertEqual(data["added_tokens"], [{"id": 0, "content": "<|endoftext|>", "special": True}])
            self.assertEqual(data["pre_tokenizer"], {"type": "Split", "pattern": {"Regex": bpe.PATTERN_SOURCE}, "behavior": "Isolated"})
            self.assertEqual(data["decoder"], {"type": "ByteLevel"})
            self.assertEqual(data["model"]["type"], "BPE")
            self.assertEqual(len(data["model"]["vocab"]), self.tok.vocab_size)
            self.assertEqual(data["model"]["vocab"]["Ġ"], ord(" ") + 1)
            self.assertEqual(sorted(data["model"]["vocab"].values()), list(range(self.tok.vocab_size)))
            left, right = data["model"]["merges"][0].split(" ")
            self.assertEqual(data["model"]["vocab"][left + right], 257)
            again = bpe.Tokenizer.load(p)
            self.assertEqual(again.merges, self.tok.merges)
            for s in ROUND_TRIP:
                self.assertEqual(again.encode(s), self.tok.encode(s))


class TestTraining(unittest.TestCase):
    def test_deterministic(self):
        t1 = bpe.train_bpe([SAMPLE, "more text<|endoftext|>and more"], 350)
        t2 = bpe.train_bpe([SAMPLE, "more text<|endoftext|>and more"], 350)
        self.assertEqual(t1.merges, t2.merges)
        self.assertEqual(t1.to_json(), t2.to_json())

    def test_matches_naive_trainer(self):
        text = SAMPLE * 2 + "aaaa aaa aa abababab 我爱你我爱你 xxyyxxyy\n\n\n    \n"
        fast = bpe.train_bpe([text], 330).merges
        self.assertEqual(fast, naive_train(text, 330))

    def test_tie_break(self):
        # "ab" and "cd" both occur twice: lexicographically smaller pair wins.
        tok = bpe.train_bpe(["cd ab cd ab"], 258)
        self.assertEqual(tok.token_str(257), "ab")
        tok = bpe.train_bpe(["ba ab"], 258)  # (b,a), (Ġ,a), (a,b): one each
        self.assertEqual(tok.token_str(257), "ab")
        tok = bpe.train_bpe(["xy xy xy zz"], 258)  # xy: 3, Ġx: 2
        self.assertEqual(tok.token_str(257), "xy")

    def test_endoftext_not_merged(self):
        tok = bpe.train_bpe(["ab<|endoftext|>ab<|endoftext|>ab"], 300)
        strs = {tok.token_str(i) for i in range(257, tok.vocab_size)}
        self.assertFalse(any("<|" in s or "|>" in s or "endoftext" in s for s in strs))

    def test_prefix_property(self):
        big = bpe.train_bpe([SAMPLE], 360)
        small = bpe.train_bpe([SAMPLE], 300)
        self.assertEqual(big.merges[:43], small.merges)


if __name__ == "__main__":
    unittest.main()

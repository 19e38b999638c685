"""prepare.py's fill-in-the-middle layouts: every character kept, in the documented order."""
import os
import random
import sys
import tempfile
import unittest

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import hf_tokenizer  # noqa: E402
import prepare  # noqa: E402

DOC = "".join(f"line {i}: const x{i} = f({i});\n" for i in range(200))


class PrepareTest(unittest.TestCase):
    def test_pieces_cut_at_line_ends_and_keep_every_character(self):
        parts = prepare.pieces(DOC, 300)
        self.assertEqual("".join(parts), DOC)
        self.assertTrue(all(p.endswith("\n") for p in parts))
        self.assertTrue(all(len(p) <= 300 for p in parts))

    def test_layout_rate_zero_is_the_document(self):
        self.assertEqual(prepare.layout(DOC, random.Random(1), 0.0, 0.5, 300), [("text", DOC)])

    def test_layout_examples_rebuild_the_document(self):
        segs = prepare.layout(DOC, random.Random(2), 0.5, 0.5, 300)
        modes = {s[0] for s in segs}
        self.assertTrue({"psm", "spm"} <= modes | {"text"} and len(segs) > 3)
        rebuilt = "".join(s[1] if s[0] == "text" else s[1] + s[2] + s[3] for s in segs)
        self.assertEqual(rebuilt, DOC)

    def test_line_spans_start_in_a_line_and_end_before_a_line_break(self):
        rng = random.Random(5)
        piece = "def f(x):\n    if x:\n\n        return 1\n    return 2\n"
        for _ in range(200):
            a, b = prepare.line_span(piece, rng)
            self.assertLessEqual(a, b)
            self.assertTrue(b == len(piece) or piece[b] == "\n", (a, b))
            line_start = piece.rfind("\n", 0, a) + 1
            line_end = piece.find("\n", a) if piece.find("\n", a) >= 0 else len(piece)
            self.assertTrue(piece[line_start:line_end].strip(), "the middle starts in a non-blank line")
        self.assertIsNone(prepare.line_span("\n  \n", rng))

    def test_layout_with_line_spans_rebuilds_the_document(self):
        counts = {}
        segs = prepare.layout(DOC, random.Random(6), 1.0, 0.5, 300, line_span_rate=1.0, counts=counts)
        self.assertEqual("".join(s[1] if s[0] == "text" else s[1] + s[2] + s[3] for s in segs), DOC)
        self.assertEqual(counts["line_span"], sum(1 for s in segs if s[0] != "text"))
        # Every middle is whole-line shaped: it ends before a line break, within at most three lines.
        for s in segs:
            if s[0] != "text":
                self.assertTrue(s[3].startswith("\n") or s[3] == "", repr(s[3][:10]))
                self.assertLessEqual(s[2].count("\n"), 2)

    def test_code_that_contains_a_fim_token_is_never_split(self):
        doc = DOC + "<|fim_middle|>\n"
        self.assertEqual(prepare.layout(doc, random.Random(3), 1.0, 0.5, 300), [("text", doc)])

    def test_encoded_examples_follow_the_psm_and_spm_layouts(self):
        tok = hf_tokenizer.train([DOC] * 3, 300)
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "tok.json")
            import json
            with open(path, "w", encoding="utf-8") as f:
                json.dump(hf_tokenizer.project_json(tok), f)
            enc = hf_tokenizer.load(path)
            ids_of = hf_tokenizer.special_ids(path)
            counts = {"psm": 0, "spm": 0}
            ids = prepare.encode_documents([DOC, DOC], enc, ids_of, random.Random(4), 1.0, 0.5, 300, counts).tolist()
        eot, pre, mid, suf = (ids_of[s] for s in ("<|endoftext|>", "<|fim_prefix|>", "<|fim_middle|>", "<|fim_suffix|>"))
        self.assertGreater(counts["psm"], 0)
        self.assertGreater(counts["spm"], 0)
        examples, cur = [], []
        for t in ids:
            cur.append(t)
            if t == eot:
                examples.append(cur)
                cur = []
        for ex in examples:
            if ex == [eot]:
                continue  # the separator between the two documents
            self.assertEqual(ex[0], pre)
            self.assertEqual(ex.count(mid), 1)
            if ex[1] == suf:  # SPM: suffix, then prefix+middle after <|fim_middle|>
                self.assertLess(ex.index(suf), ex.index(mid))
            else:  # PSM
                self.assertLess(ex.index(suf), ex.index(mid))
                self.assertGreater(ex.index(suf), 0)
            middle_and_more = enc.decode(ex[ex.index(mid) + 1:-1])
            self.assertTrue(middle_and_more == "" or middle_and_more in DOC)

    def test_a_tokenizer_without_fim_specials_encodes_left_to_right(self):
        # ngram-code's stream: the vocabulary without the FIM specials, --fim-rate 0.
        tok = hf_tokenizer.train([DOC] * 3, 300)
        spec = hf_tokenizer.project_json(tok)
        spec = {**spec, "added_tokens": [a for a in spec["added_tokens"] if a["content"] == "<|endoftext|>"]}
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "tok.json")
            import json
            with open(path, "w", encoding="utf-8") as f:
                json.dump(spec, f)
            enc = hf_tokenizer.load(path)
            ids_of = hf_tokenizer.special_ids(path)
            self.assertNotIn("<|fim_prefix|>", ids_of)
            counts = {"psm": 0, "spm": 0}
            ids = prepare.encode_documents([DOC, DOC], enc, ids_of, random.Random(4), 0.0, 0.5, 300, counts).tolist()
        eot = ids_of["<|endoftext|>"]
        self.assertEqual(counts, {"psm": 0, "spm": 0})
        self.assertEqual(ids.count(eot), 1)
        self.assertEqual(enc.decode(ids[:ids.index(eot)]), DOC)


if __name__ == "__main__":
    unittest.main()

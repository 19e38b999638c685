"""Tests for training/model.py, the export (safetensors_io.py, model_folder.py, model_card.py), ngram.py
and the committed fixtures (make_fixtures.py).

Run: /usr/bin/python3 -m unittest discover training/tests   (needs torch; CPU, a few seconds)
"""
import json
import math
import os
import re
import struct
import sys
import tempfile
import unittest

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.dirname(HERE))
import model_card  # noqa: E402
import model_folder  # noqa: E402
import ngram  # noqa: E402
import safetensors_io  # noqa: E402
from model import GPT, GPTConfig  # noqa: E402

FORMAT_MD = os.path.join(ROOT, "models", "FORMAT.md")
FIXTURES = os.path.join(ROOT, "test", "fixtures")
CFG = GPTConfig(vocab_size=50, block_size=16, n_layer=2, n_head=2, n_embd=8)


def format_md_tensors(cfg: GPTConfig) -> dict:
    """name -> shape from the transformer table of models/FORMAT.md (the real file)."""
    dims = {"vocab_size": cfg.vocab_size, "n_positions": cfg.block_size, "n_embd": cfg.n_embd}
    out = {}
    with open(FORMAT_MD, encoding="utf-8") as f:
        for line in f:
            if not line.startswith("| `transformer.") and not line.startswith("| `lm_head"):
                continue
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            names = re.findall(r"`([^`]+)`", cells[0])
            shape_m = re.match(r"`\[([^\]]*)\]`", cells[1])
            if not shape_m:
                continue  # lm_head.weight: optional, no shape
            shape = [eval(e, {}, dims) for e in shape_m.group(1).split(",")]  # e.g. 3*n_embd
            full = []
            for n in names:
                full.append(full[-1].rsplit(".", 1)[0] + n if n.startswith(".") else n)  # `.bias` shorthand
            for n in full:
                for i in range(cfg.n_layer) if "{i}" in n else [None]:
                    out[n.replace("{i}", str(i))] = shape
    return out


class TestModel(unittest.TestCase):
    def setUp(self):
        torch.manual_seed(0)
        self.model = GPT(CFG)

    def test_shapes_and_loss(self):
        x = torch.randint(CFG.vocab_size, (3, 7))
        logits, loss = self.model(x, x)
        self.assertEqual(tuple(logits.shape), (3, 7, CFG.vocab_size))
        self.assertEqual(loss.dim(), 0)
        self.assertAlmostEqual(loss.item(), math.log(CFG.vocab_size), delta=0.5)  # near uniform at init

    def test_tied_weights(self):
        self.assertIs(self.model.lm_head.weight, self.model.transformer.wte.weight)
        n = sum(p.numel() for p in self.model.parameters())  # parameters() yields the shared one once
        self.assertEqual(self.model.num_params(), n)

    def test_state_dict_names_are_format_md(self):
        expected = format_md_tensors(CFG)
        self.assertGreater(len(expected), 10)
        names = {k: list(v.shape) for k, v in self.model.state_dict().items() if k != "lm_head.weight"}
        self.assertEqual(names, expected)  # no mask buffers, nothing extra, nothing missing

    def test_causal(self):
        x = torch.randint(CFG.vocab_size, (1, 10))
        y = x.clone()
        y[0, 7] = (y[0, 7] + 1) % CFG.vocab_size
        a, _ = self.model(x)
        b, _ = self.model(y)
        self.assertTrue(torch.allclose(a[0, :7], b[0, :7], atol=1e-6))  # the future does not leak
        self.assertFalse(torch.allclose(a[0, 7:], b[0, 7:], atol=1e-6))

    def test_last_attention(self):
        x = torch.randint(CFG.vocab_size, (1, 9))
        att = self.model.last_attention(x)
        self.assertEqual(len(att), CFG.n_layer)
        self.assertEqual(tuple(att[0].shape), (1, CFG.n_head, 9))
        for a in att:
            self.assertTrue(torch.allclose(a.sum(-1), torch.ones(1, CFG.n_head), atol=1e-6))
        logits, _ = self.model(x)  # recording does not change the result and is switched off after
        self.assertFalse(any(b.attn.record for b in self.model.transformer.h))

    def test_manual_attention_equals_flash(self):
        if not hasattr(torch.nn.functional, "scaled_dot_product_attention"):
            self.skipTest("torch < 2.0: only the manual path exists")
        x = torch.randint(CFG.vocab_size, (2, 12))
        fast, _ = self.model(x)
        for b in self.model.transformer.h:
            b.attn.flash = False
        slow, _ = self.model(x)
        self.assertTrue(torch.allclose(fast, slow, atol=1e-5))


class TestSafetensors(unittest.TestCase):
    def test_round_trip(self):
        tensors = {"a": np.arange(6, dtype=np.float32).reshape(2, 3), "b": np.array([1.5, -2], dtype=np.float16),
                   "c": np.array([[-127, 5, 127]], dtype=np.int8), "d": np.array([7, -1, 2**31 - 1], dtype=np.int32)}
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "m.safetensors")
            n = safetensors_io.write_safetensors(path, tensors, {"k": "v"})
            self.assertEqual(n, os.path.getsize(path))
            back = safetensors_io.read_safetensors(path)
            with open(path, "rb") as f:
                raw = f.read()
        self.assertEqual(set(back), set(tensors))
        for k in tensors:
            self.assertEqual(back[k].dtype, tensors[k].dtype)
            np.testing.assert_array_equal(back[k], tensors[k])
        (hlen,) = struct.unpack("<Q", raw[:8])
        self.assertEqual(hlen % 8, 0)
        header = json.loads(raw[8:8 + hlen])
        self.assertEqual(header["__metadata__"], {"k": "v"})
        self.assertEqual(header["a"], {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]})
        ends = sorted(e["data_offsets"] for k, e in header.items() if k != "__metadata__")
        for (_, e1), (b2, _) in zip(ends, ends[1:]):
            self.assertEqual(e1, b2)  # contiguous, no gaps
        self.assertEqual(ends[-1][1], len(raw) - 8 - hlen)

    def test_int8_quantisation(self):
        w = np.random.default_rng(0).normal(size=(5, 7)).astype(np.float32)
        w[2] = 0
        q, s = model_folder.quantize_int8(w)
        self.assertEqual(q.dtype, np.int8)
        self.assertEqual(s.shape, (5,))
        self.assertEqual(np.abs(q).max(axis=1)[0], 127)
        np.testing.assert_array_equal(q[2], 0)
        self.assertTrue(np.all(np.abs(q * s[:, None] - w) <= s[:, None] / 2 + 1e-7))


class TestExport(unittest.TestCase):
    def setUp(self):
        torch.manual_seed(0)
        self.model = GPT(CFG)
        self.tmp = tempfile.TemporaryDirectory()
        self.tok = os.path.join(self.tmp.name, "tok.json")
        with open(self.tok, "w") as f:
            f.write("{}")

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, dtype="f32", hf=False):
        out = os.path.join(self.tmp.name, f"{dtype}{hf}")
        model_folder.write_model_folder(out, self.model.state_dict(), CFG, "t", "T", "d", self.tok, dtype, hf)
        with open(os.path.join(out, "config.json")) as f:
            cfg = json.load(f)
        return cfg, safetensors_io.read_safetensors(os.path.join(out, "model.safetensors")), out

    def test_linear_layout_matches_format_md(self):
        cfg, t, out = self.write()
        self.assertEqual({k: list(v.shape) for k, v in t.items()}, format_md_tensors(CFG))
        self.assertTrue(all(v.dtype == np.float32 for v in t.values()))
        self.assertEqual(cfg["weight_layout"], "linear")
        self.assertEqual(cfg["kind"], "transformer")
        self.assertEqual(cfg["model_type"], "gpt2")
        self.assertEqual(cfg["bos_token_id"], 0)
        self.assertEqual((cfg["vocab_size"], cfg["n_positions"], cfg["n_embd"], cfg["n_layer"], cfg["n_head"]),
                         (CFG.vocab_size, CFG.block_size, CFG.n_embd, CFG.n_layer, CFG.n_head))
        for f in ("config.json", "model.safetensors", "tokenizer.json"):
            self.assertTrue(os.path.exists(os.path.join(out, f)))

    def test_hf_layout(self):
        cfg, t, _ = self.write(hf=True)
        self.assertNotIn("weight_layout", cfg)
        self.assertNotIn("kind", cfg)
        self.assertEqual(list(t["transformer.h.0.attn.c_attn.weight"].shape), [CFG.n_embd, 3 * CFG.n_embd])
        self.assertEqual(list(t["transformer.h.1.mlp.c_proj.weight"].shape), [4 * CFG.n_embd, CFG.n_embd])
        np.testing.assert_array_equal(t["lm_head.weight"], t["transformer.wte.weight"])
        sd = self.model.state_dict()
        np.testing.assert_array_equal(t["transformer.h.0.mlp.c_fc.weight"], sd["transformer.h.0.mlp.c_fc.weight"].numpy().T)

    def test_f16_and_int8_reproduce_the_model(self):
        x = torch.randint(CFG.vocab_size, (1, 11))
        ref, _ = self.model(x)
        for dtype, tol in (("f16", 2e-3), ("int8", 3e-2)):
            _, t, _ = self.write(dtype)
            if dtype == "int8":
                self.assertEqual(t["transformer.h.0.attn.c_attn.weight"].dtype, np.int8)
                self.assertEqual(list(t["transformer.h.0.attn.c_attn.weight.scale"].shape), [3 * CFG.n_embd])
                self.assertEqual(t["transformer.wte.weight"].dtype, np.float32)  # embeddings stay F32 by default
            m = GPT(CFG)
            m.load_state_dict({k: torch.from_numpy(v.astype(np.float32)) for k, v in model_folder.dequantized_state(t).items()},
                              strict=False)
            got, _ = m(x)
            self.assertLess((got - ref).abs().max().item(), tol, dtype)

    def test_index_merge(self):
        path = os.path.join(self.tmp.name, "index.json")
        with open(path, "w") as f:
            json.dump({"default": "toy", "models": [{"id": "a", "speed": {"tok_s": 5}, "quality": {"x": 1}}]}, f)
        model_folder.update_index(path, {"id": "a", "display_name": "A", "quality": {"val_bpb": 2.0}, "speed": {}},
                            keep_measurements=True)
        model_folder.update_index(path, {"id": "b", "display_name": "B", "quality": {}, "speed": {}})
        with open(path) as f:
            idx = json.load(f)
        self.assertEqual(idx["default"], "toy")
        self.assertEqual([m["id"] for m in idx["models"]], ["a", "b"])
        self.assertEqual(idx["models"][0]["speed"], {"tok_s": 5})  # measured on the same weights: kept
        self.assertEqual(idx["models"][0]["quality"], {"x": 1, "val_bpb": 2.0})
        # New weights: the extension's measurements of the old ones are dropped.
        model_folder.update_index(path, {"id": "a", "display_name": "A", "quality": {"val_bpb": 1.9}, "speed": {}})
        with open(path) as f:
            idx = json.load(f)
        self.assertEqual(idx["models"][0]["speed"], {})
        self.assertEqual(idx["models"][0]["quality"], {"val_bpb": 1.9})

    def test_reexport_keeps_measurements_only_for_the_same_weights(self):
        out = os.path.join(self.tmp.name, "m")
        os.makedirs(out)
        weights = os.path.join(out, "model.safetensors")
        safetensors_io.write_safetensors(weights, {"w": np.ones(4, dtype=np.float32)}, {"exported": "day 1"})
        first = safetensors_io.weights_data_sha(weights)
        safetensors_io.write_safetensors(weights, {"w": np.ones(4, dtype=np.float32)}, {"exported": "day 2"})
        self.assertEqual(safetensors_io.weights_data_sha(weights), first, "the header's date does not count")
        safetensors_io.write_safetensors(weights, {"w": np.zeros(4, dtype=np.float32)}, {"exported": "day 2"})
        self.assertNotEqual(safetensors_io.weights_data_sha(weights), first)
        with open(os.path.join(out, "MODEL_CARD.md"), "w") as f:
            f.write("# m\n\n<!-- measured:begin (written by x) -->\nfigures\n<!-- measured:end -->\n\n## Limitations\n")
        self.assertEqual(model_card.measured_section(os.path.join(out, "MODEL_CARD.md")),
                         "<!-- measured:begin (written by x) -->\nfigures\n<!-- measured:end -->")


class TestModelCard(unittest.TestCase):
    def test_a_warm_start_states_the_total_and_what_it_changed(self):
        ckpt = {"tokens_seen": 1000, "config": {"init_from": "models/x", "init_from_tokens_seen": 5000, "init_from_grew": []}}
        line = next(l for l in model_card.data_lines(ckpt) if l.startswith("Warm start"))
        self.assertIn("(5,000 tokens seen before this run); the same vocabulary and window", line)
        self.assertIn("Tokens seen in all: 6,000.", line)
        ckpt["config"]["init_from_grew"] = ["vocabulary", "window"]
        line = next(l for l in model_card.data_lines(ckpt) if l.startswith("Warm start"))
        self.assertIn("new special tokens and window positions added", line)

    def test_the_command_line_shows_a_seed_that_is_not_the_default(self):
        cfg = {"id": "gpt-code-tiny", "seed": 2028, "threads": 1, "init_from": "models/gpt-code-tiny", "init_from_grew": [],
               "init_from_tokens_seen": 5}
        self.assertIn("--seed 2028", model_card.overrides(cfg))
        self.assertNotIn("init_from_grew", model_card.overrides(cfg))
        self.assertNotIn("--seed", model_card.overrides({**cfg, "seed": 1337}))

class TestNgram(unittest.TestCase):
    def brute_force(self, rows, D, L, ctx, order):
        """The model card's formula, written out over the whole vocabulary."""
        S, T = sum(rows[1].values()), len(rows[1])
        p = np.full(L, D[0] * T / S / L)
        for (w,), c in rows[1].items():
            p[w] += max(c - D[0], 0) / S
        for n in range(2, min(order, len(ctx) + 1) + 1):
            c = tuple(ctx[len(ctx) - (n - 1):])
            sel = {r[-1]: k for r, k in rows[n].items() if r[:-1] == c}
            if sel:
                tot = sum(sel.values())
                q = p * D[n - 1] * len(sel) / tot
                for w, k in sel.items():
                    q[w] += max(k - D[n - 1], 0) / tot
                p = q
        return p

    def assert_formula(self, pruned, D, L, order, bits, val):
        """kn_log2_probs on `val` is the written-out formula, and every vector sums to 1."""
        rows = {n: {tuple(r): int(c) for r, c in zip(ngram.unpack(k, n, bits), cnt)} for n, (k, cnt) in pruned.items()}
        got = ngram.kn_log2_probs(pruned, D, order, bits, L, val)
        for i in range(len(val)):
            p = self.brute_force(rows, D, L, list(val[max(0, i - order + 1):i]), order)
            self.assertAlmostEqual(p.sum(), 1.0, places=9)
            self.assertAlmostEqual(got[i], math.log2(p[val[i]]), places=9)

    def test_counts_and_probabilities(self):
        rng = np.random.default_rng(1)
        L, order, bits = 12, 3, 4
        train = rng.integers(0, L, 3000) % rng.integers(1, L, 3000)  # skewed, so some n-grams repeat
        tables = ngram.count_tables(train.astype(np.int64), order, bits)
        # highest order: raw counts; below: distinct left neighbours
        keys3, c3 = tables[3]
        self.assertEqual(int(c3.sum()), len(train) - 2)
        toks2 = ngram.unpack(tables[2][0], 2, bits)
        a, b = toks2[0]
        left = {train[i - 1] for i in range(1, len(train) - 1) if train[i] == a and train[i + 1] == b}
        self.assertEqual(tables[2][1][0], len(left))
        self.assertTrue(np.all(np.diff(keys3) > 0))  # sorted lexicographically, unique
        pruned, min_count = ngram.prune(tables, order, 3000)
        self.assertLessEqual(sum(ngram.table_bytes(n, len(pruned[n][0])) for n in pruned), 3000)
        D = [ngram.kn_discount(tables[n][1]) for n in (1, 2, 3)]
        self.assert_formula(pruned, D, L, order, bits, rng.integers(0, L, 40).astype(np.int64))

    def test_discounts_up_to_the_smallest_stored_count_keep_a_distribution(self):
        rng = np.random.default_rng(2)
        L, order, bits = 12, 3, 4
        train = (rng.integers(0, L, 20000) % rng.integers(1, L, 20000)).astype(np.int64)
        tables = ngram.count_tables(train, order, bits)
        pruned, min_count = ngram.prune(tables, order, 1500)
        self.assertGreater(min_count[3], 1, "the budget prunes the highest order")
        D = [0.5] + [ngram.max_discount(min_count[n]) for n in (2, 3)]
        self.assertEqual(D[2], float(min_count[3]))
        self.assertEqual(ngram.max_discount(1), 0.99)
        self.assert_formula(pruned, D, L, order, bits, rng.integers(0, L, 30).astype(np.int64))


class TestFixtures(unittest.TestCase):
    """The committed test/fixtures/gpt-random* agree with reference.json (Python side of the parity test)."""

    def test_reference_logits(self):
        ref_path = os.path.join(FIXTURES, "gpt-random", "reference.json")
        if not os.path.exists(ref_path):
            self.skipTest("run training/make_fixtures.py")
        with open(ref_path, encoding="utf-8") as f:
            ref = json.load(f)
        m = ref["model"]
        cfg = GPTConfig(vocab_size=m["vocab_size"], block_size=m["n_positions"], n_layer=m["n_layer"],
                        n_head=m["n_head"], n_embd=m["n_embd"])
        for folder, key, hf in (("gpt-random", "f32", False), ("gpt-random-f16", "f16", False),
                                ("gpt-random-int8", "int8", False), ("gpt-random-hf", "f32", True)):
            t = safetensors_io.read_safetensors(os.path.join(FIXTURES, folder, "model.safetensors"))
            model = GPT(cfg).double()
            model.load_state_dict({k: torch.from_numpy(v) for k, v in model_folder.dequantized_state(t, hf).items()}, strict=False)
            for p in ref["prompts"]:
                logits, _ = model(torch.tensor([p["input_ids"]]))
                np.testing.assert_allclose(logits[0, -1].detach().numpy(), p["last_logits"][key], atol=2e-5, err_msg=folder)


if __name__ == "__main__":
    unittest.main()

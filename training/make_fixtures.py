"""Golden fixtures for the TypeScript engine: a small RANDOM-weight GPT and its exact outputs.

    /usr/bin/python3 training/make_fixtures.py [--out test/fixtures]

Writes (deterministic: seeded torch init, BPE trained on the text embedded below):

  test/fixtures/gpt-random/        F32, weight_layout linear, lm_head.weight omitted (tied)
  test/fixtures/gpt-random-f16/    the same weights stored as F16
  test/fixtures/gpt-random-int8/   block matrices I8 + per-row F32 `.scale`, the rest F32
  test/fixtures/gpt-random-hf/     Hugging Face Conv1D layout (no weight_layout, lm_head.weight present)
  test/fixtures/gpt-random/reference.json

reference.json (see its "notes"): for each prompt the token ids from bpe.py's
Tokenizer.encode, the model input ([bos_token_id 0] + ids, as the engine prepends
config.bos_token_id), the logits of the LAST position for each stored variant (f32, f16,
int8; hf holds the f32 numbers transposed, so its reference is f32's), and a 20-token
greedy continuation per variant with the smallest top-1/top-2 logit gap met on the way
(how safe argmax is against float32 rounding). For one prompt (DETAIL_PROMPT) also the logits of
every position and the attention probabilities of the last position (layer, head, T).

Precision: every number is computed in float64 from the weights AS STORED (f16 widened,
int8 * scale), then written with 6 significant digits; a float32 engine should agree
to about 1e-4 (absolute, logits of order 1-5).
"""
from __future__ import annotations

import argparse
import json
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from bpe import train_bpe  # noqa: E402
from model import GPT, GPTConfig  # noqa: E402
from model_folder import dequantized_state, write_model_folder  # noqa: E402

# A few KB of fixed text: code in several languages, indentation, CJK, emoji, combining marks.
TEXT = r'''
export function add(a: number, b: number): number {
  return a + b;
}

export class Stack<T> {
  private items: T[] = [];
  push(item: T): void {
    this.items.push(item);
  }
  pop(): T | undefined {
    return this.items.pop();
  }
}

const greeting = "Hello, world!";
console.log(greeting.length, `${greeting} 🙂`);

def fibonacci(n):
    """Return the n-th Fibonacci number."""
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def __repr__(self):
        return f"Point({self.x}, {self.y})"

if __name__ == "__main__":
	print(fibonacci(10))  # tab-indented line
	for i in range(3):
		print(i)

// 中文注释：我爱你，你爱我。我们一起写代码。
// 日本語のコメント：こんにちは世界。
// 한국어 주석: 안녕하세요
const emoji = ["🙂", "👍", "👍🏽", "🎉", "🚀", "❤️", "👨‍👩‍👧"];
const accents = "café naïve résumé e\u0301 é";
let total = 0;
for (let i = 0; i < 100; i++) {
    total += i * 2;
}
if (total > 1000 && total !== 42) {
    throw new Error("too big: " + total);
}
SELECT id, name FROM users WHERE age >= 18 ORDER BY name;
<div class="card"><span>{{ title }}</span></div>
'''
TEXT = TEXT.replace("\\u0301", "\u0301")

PROMPTS = [
    ("ascii-code", "function add(a, b) {\n  return a + b;\n}\n"),
    ("indentation", "def f(x):\n        if x:\n\t\treturn  x\n    \n"),
    ("cjk", "我爱你"),
    ("emoji", "🙂👍🏽"),
    ("combining", "e\u0301"),
    ("mixed", "const s = '日本語 🙂 café'; // ok\n"),
]

# Small enough that the four variants and reference.json stay under 300 KB (they are committed).
VOCAB = 300
GPT_CONFIG = GPTConfig(vocab_size=VOCAB, block_size=64, n_layer=2, n_head=4, n_embd=16)  # head size 4
DETAIL_PROMPT = "cjk"  # the prompt with every position's logits and the attention probabilities
SEED = 1234
GREEDY_TOKENS = 20


def random_gpt(cfg: GPTConfig) -> GPT:
    """Weights large enough that logits spread over a few units (a meaningful parity test)."""
    torch.manual_seed(SEED)
    model = GPT(cfg)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name == "transformer.wte.weight":
                p.normal_(0.0, 0.3)  # also the output layer: logit spread ~ sqrt(C) * 0.3
            elif p.dim() == 2:
                p.normal_(0.0, 0.2)
            elif name.endswith("bias"):
                p.normal_(0.0, 0.05)
            else:  # LayerNorm weights around 1
                p.normal_(1.0, 0.1)
    return model


def float64_model(state64: dict, cfg: GPTConfig) -> GPT:
    m = GPT(cfg).double()
    missing, unexpected = m.load_state_dict({k: torch.from_numpy(v) for k, v in state64.items()}, strict=False)
    assert set(missing) <= {"lm_head.weight"} and not unexpected
    return m.eval()


def rounded(xs, digits=6):
    return [float(f"{x:.{digits}g}") for x in np.asarray(xs, dtype=np.float64).ravel()]


@torch.no_grad()
def greedy(model: GPT, ids: list, n: int):
    """n argmax tokens after ids; also the smallest gap between the two best logits."""
    x = torch.tensor([ids])
    out, margin = [], float("inf")
    for _ in range(n):
        logits, _ = model(x[:, -model.config.block_size:])
        last = logits[0, -1]
        top2 = torch.topk(last, 2).values
        margin = min(margin, float(top2[0] - top2[1]))
        nxt = int(last.argmax())
        out.append(nxt)
        x = torch.cat([x, torch.tensor([[nxt]])], dim=1)
    return out, margin


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(HERE), "test", "fixtures"))
    a = ap.parse_args()
    torch.set_num_threads(1)  # small matrices; also keeps float64 sums in one order from run to run

    tok = train_bpe([TEXT], VOCAB)
    assert tok.vocab_size == VOCAB, f"the text only supports {tok.vocab_size} tokens"
    tok_path = os.path.join(a.out, "gpt-random", "tokenizer.json")
    os.makedirs(os.path.dirname(tok_path), exist_ok=True)
    tok.save(tok_path)

    model = random_gpt(GPT_CONFIG)
    state = model.state_dict()
    variants = {"f32": ("gpt-random", "f32", False), "f16": ("gpt-random-f16", "f16", False),
                "int8": ("gpt-random-int8", "int8", False), "hf": ("gpt-random-hf", "f32", True)}
    models64 = {}
    for key, (folder, dtype, hf) in variants.items():
        out_dir = os.path.join(a.out, folder)
        tensors, nbytes = write_model_folder(
            out_dir, state, GPT_CONFIG, folder, f"Random GPT ({key})",
            "random weights for parity tests (training/make_fixtures.py)", tok_path, dtype, hf,
            int8_embeddings=False, metadata={"seed": SEED, "generated_by": "training/make_fixtures.py"})
        models64[key] = float64_model(dequantized_state(tensors, hf), GPT_CONFIG)
        print(f"{out_dir}: {nbytes:,} bytes")

    prompts = []
    for name, text in PROMPTS:
        ids = tok.encode(text)
        assert tok.decode(ids) == text
        inp = [0] + ids
        entry = {"name": name, "text": text, "ids": ids, "input_ids": inp, "last_logits": {}, "greedy": {},
                 "greedy_min_margin": {}}
        for key in ("f32", "f16", "int8"):
            with torch.no_grad():
                logits, _ = models64[key](torch.tensor([inp]))
            entry["last_logits"][key] = rounded(logits[0, -1].numpy())
            g, margin = greedy(models64[key], inp, GREEDY_TOKENS)
            entry["greedy"][key] = g
            entry["greedy_min_margin"][key] = float(f"{margin:.4g}")
        prompts.append(entry)

    first = next(p for p in prompts if p["name"] == DETAIL_PROMPT)
    m = models64["f32"]
    with torch.no_grad():
        logits, _ = m(torch.tensor([first["input_ids"]]))
    att = m.last_attention(torch.tensor([first["input_ids"]]))  # per layer (1, H, T)
    ref = {
        "notes": [
            "Generated by training/make_fixtures.py; do not edit by hand.",
            "All numbers: float64 forward pass from the weights as stored in each variant's model.safetensors "
            "(f16 widened, int8 * scale), rounded to 6 significant digits.",
            "input_ids = [bos_token_id] + ids: the engine prepends config.json bos_token_id (0).",
            "The -hf variant stores the f32 weights in the Conv1D layout: compare it with the f32 numbers.",
            "greedy: 20 argmax tokens after input_ids; greedy_min_margin: the smallest top-1 minus top-2 logit gap "
            "on the way (argmax is safe when it is far above the engine's float32 error).",
            "all_positions.logits[t] = logits after input_ids[0..t] (f32); attention.layers[l][h][t] = attention "
            "probability of the last position on position t (f32).",
        ],
        "model": {"vocab_size": VOCAB, "n_positions": GPT_CONFIG.block_size, "n_embd": GPT_CONFIG.n_embd,
                  "n_layer": GPT_CONFIG.n_layer, "n_head": GPT_CONFIG.n_head, "seed": SEED, "bos_token_id": 0},
        "prompts": prompts,
        "all_positions": {"prompt": first["name"], "logits": [rounded(row) for row in logits[0].numpy()]},
        "attention": {"prompt": first["name"],
                      "layers": [[rounded(h) for h in layer[0].numpy()] for layer in att]},
    }
    path = os.path.join(a.out, "gpt-random", "reference.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(ref, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    total = sum(os.path.getsize(os.path.join(r, f)) for folder, _, _ in variants.values()
                for r, _, fs in os.walk(os.path.join(a.out, folder)) for f in fs)
    print(f"{path}: {os.path.getsize(path):,} bytes; fixtures total {total:,} bytes")
    for p in prompts:
        print(f"  {p['name']}: {len(p['ids'])} ids, greedy f32 margin {p['greedy_min_margin']['f32']}, "
              f"logit range {min(p['last_logits']['f32']):.2f}..{max(p['last_logits']['f32']):.2f}")


if __name__ == "__main__":
    main()

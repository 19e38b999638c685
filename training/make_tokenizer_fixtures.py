"""Writes test/fixtures/hf-tokenizer/: a small vocabulary trained with Hugging Face
``tokenizers`` (training/hf_tokenizer.py) and the ids it gives for hard strings, so the
TypeScript tokenizer's agreement with it is tested in CI without Python
(test/unit/hfTokenizer.test.ts).

    python3 training/make_tokenizer_fixtures.py
"""
from __future__ import annotations

import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import hf_tokenizer  # noqa: E402

ROOT = os.path.dirname(HERE)
OUT = os.path.join(ROOT, "test", "fixtures", "hf-tokenizer")

HARD = [
    "function add(a, b) {\n  return a + b;\n}\n",
    "\tif (x) {\r\n\t\treturn;\r\n\t}\r\n",
    "def f(x):\n    return x ** 2  # square\n",
    "const 名前 = '日本語のテキスト'; // 中文注释\n",
    "emoji 😀👍🏽 👨‍👩‍👧 flags 🇫🇷\n",
    "combining: e\u0301 a\u0308 n\u0303, Hangul \u1100\u1161\n",
    "numbers 1234567890 3.14159 0xFFaa 1e-10 1_000_000\n",
    "contractions don't we'll I'm they're\n",
    "odd   spaces\u00a0nbsp\u2003em\u200bzero-width\ttab  \n\n\n   \n",
    "literal <|endoftext|> and <|fim_prefix|> stay text <|fim_middle|><|fim_suffix|>\n",
    "${template} `back${tick}` $dollar _under __dunder__\n",
    "<div class=\"a\">&amp;</div>\n{\"json\": [1, 2, {\"k\": null}]}\n",
    "#!/bin/sh\nset -eu\necho \"$HOME\" | grep -v '^#' >> /dev/null 2>&1\n",
    "",
    " ",
    "\n",
    "a",
]


def main() -> None:
    files = sorted(os.path.join(r, f) for r, _, fs in os.walk(os.path.join(ROOT, "src")) for f in fs if f.endswith(".ts"))
    texts = []
    for path in files:
        with open(path, encoding="utf-8") as f:
            texts.append(f.read())
    tok = hf_tokenizer.train(texts, 1024)
    spec = hf_tokenizer.project_json(tok)
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, "tokenizer.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(spec, f, ensure_ascii=False)
    again = hf_tokenizer.load(path)
    samples = HARD + [t[:2000] for t in texts[::25]]
    cases = [{"text": s, "ids": ids} for s, ids in zip(samples, hf_tokenizer.encode_batch(again, samples))]
    with open(os.path.join(OUT, "cases.json"), "w", encoding="utf-8") as f:
        json.dump({"note": "ids from Hugging Face tokenizers (training/make_tokenizer_fixtures.py)", "cases": cases},
                  f, ensure_ascii=False, indent=0)
    print(f"wrote {OUT}: vocab {len(spec['model']['vocab']) + len(spec['added_tokens'])}, {len(cases)} cases")


if __name__ == "__main__":
    main()

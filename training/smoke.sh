#!/usr/bin/env bash
# End-to-end check of the training pipeline that needs no big corpus (about a minute on 2 cores):
# tiny corpus (this repo's TypeScript + a few Python stdlib modules) -> 512-token BPE (Hugging Face
# tokenizers, with the fill-in-the-middle specials) -> prepare.py (FIM examples at rate 0.5) -> train.py (configs/smoke.py) -> export.py (f32) into a temporary folder.
# The LAST line printed is the exported model folder (config.json, model.safetensors,
# tokenizer.json, MODEL_CARD.md); a TS test can load it. Nothing under models/ is touched.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-/usr/bin/python3}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/next-token-smoke.XXXXXX")
export MALLOC_MMAP_THRESHOLD_=4294967296 MALLOC_TRIM_THRESHOLD_=68719476736 MALLOC_TOP_PAD_=1073741824

# 1. Corpus: ~300 KB for training, ~40 KB held out (other files), documents joined by <|endoftext|>.
"$PY" - "$WORK" <<'PYEOF'
import os, sys, sysconfig
sys.path.insert(0, "training")
import hf_tokenizer
work = sys.argv[1]
files = sorted(os.path.join(r, f) for r, _, fs in os.walk("src") for f in fs if f.endswith(".ts"))
stdlib = sysconfig.get_paths()["stdlib"]
files += [os.path.join(stdlib, m) for m in ("textwrap.py", "string.py", "bisect.py", "heapq.py", "shlex.py",
                                            "fnmatch.py", "colorsys.py", "glob.py", "queue.py", "statistics.py")]
docs = []
for path in files:
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError):
        continue
    if "<|endoftext|>" not in text and text.strip():
        docs.append(text)
val, train = docs[::8], [d for i, d in enumerate(docs) if i % 8]
train_text, val_text = "<|endoftext|>".join(train)[:300_000], "<|endoftext|>".join(val)[:40_000]
for name, text in (("train.txt", train_text), ("val.txt", val_text)):
    with open(os.path.join(work, name), "w", encoding="utf-8") as f:
        f.write(text)
import json
with open(os.path.join(work, "tokenizer.json"), "w", encoding="utf-8") as f:
    json.dump(hf_tokenizer.project_json(hf_tokenizer.train(train, 512)), f, ensure_ascii=False)
print(f"corpus: {len(train)} train / {len(val)} val documents, {len(train_text):,} / {len(val_text):,} characters")
PYEOF

# 2-4. Tokenize, train a few steps, export.
"$PY" training/prepare.py --tokenizer "$WORK/tokenizer.json" --train "$WORK/train.txt" --val "$WORK/val.txt" --out-dir "$WORK/data" --fim-rate 0.5 --fim-chunk-bytes 200
"$PY" - "$WORK/data/meta.json" <<'PYEOF'
import json, sys
meta = json.load(open(sys.argv[1]))
assert meta["train"]["fim_examples"] > 0 and meta["train"]["fim_spm_examples"] > 0, meta["train"]
assert meta["val"]["fim_examples"] == 0, "the validation split stays left to right"
print(f"FIM: {meta['train']['fim_examples']} training examples, {meta['train']['fim_spm_examples']} of them SPM")
PYEOF
"$PY" training/train.py --config training/configs/smoke.py --data_dir "$WORK/data" --out_dir "$WORK/ckpt"
"$PY" training/export.py --ckpt "$WORK/ckpt/ckpt.pt" --id smoke --tokenizer "$WORK/tokenizer.json" \
    --out-dir "$WORK/model" --display-name "Smoke test" --description "pipeline smoke test (training/smoke.sh)" > "$WORK/export.log"
cat "$WORK/export.log" | head -n -1
echo "$WORK/model"

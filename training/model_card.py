"""MODEL_CARD.md of an exported transformer: architecture, training runs (from the
checkpoint and its log.txt), data and licences (corpus_manifest.json.gz), the measured val bits
per byte, what would get further, and the markers between which scripts/measure-model.mjs
writes the extension's own measurements.
"""
from __future__ import annotations

import gzip
import json
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))


def manifest_summary():
    """The training split's summary in the corpus manifest ({} without one)."""
    path = os.path.join(HERE, "corpus_manifest.json.gz")
    if not os.path.exists(path):
        return {}
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return json.load(f).get("summary", {}).get("train", {})


def tokens_seen_before(ckpt):
    """Tokens the warm start's model had seen: recorded by train.py, else from its committed card."""
    cfg = ckpt.get("config", {})
    if cfg.get("init_from_tokens_seen"):
        return cfg["init_from_tokens_seen"]
    import subprocess
    try:
        card = subprocess.run(["git", "show", f"HEAD:{cfg['init_from'].rstrip('/')}/MODEL_CARD.md"], capture_output=True,
                              text=True, cwd=os.path.dirname(HERE), check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return tokens_seen_in_card(card)


def tokens_seen_in_card(card: str):
    """All the tokens a model card says its model saw: a card that was itself a warm start
    states the total ("Tokens seen in all"), else its one run's ("N tokens seen"); None if neither."""
    m = re.search(r"Tokens seen in all: ([0-9,]+)", card) or re.search(r"([0-9,]+) tokens seen", card)
    return int(m.group(1).replace(",", "")) if m else None


def warm_start_change(cfg) -> str:
    """What train.py's warm_start changed, as recorded in the config (absent in older checkpoints)."""
    if "init_from_grew" not in cfg:
        return ""
    added = {"vocabulary": "new special tokens", "window": "window positions"}
    grew = cfg["init_from_grew"]
    return "; " + (" and ".join(added[g] for g in grew) + " added" if grew else "the same vocabulary and window")


def data_lines(ckpt) -> list:
    """What the training split holds: sources, languages, styles as authored, and the FIM layout of prepare.py."""
    s = manifest_summary()
    lines = []
    if s:
        mb = lambda b: f"{b / 1e6:.1f} MB"  # noqa: E731
        langs = sorted(s.get("by_language", {}).items(), key=lambda kv: -kv[1])
        lines.append(f"The training split: {s.get('files', 0):,} files, {mb(s.get('bytes', 0))} "
                     + (f"({', '.join(f'{k} {mb(v)}' for k, v in s.get('by_source', {}).items())})" if s.get("by_source") else "")
                     + "; by language " + ", ".join(f"{k} {mb(v)}" for k, v in langs) + ".")
        style = s.get("authored_style", {})
        if style:
            lines.append(f"As authored, {100 * style['crlf']['share_of_files']:.1f} % of the files had CRLF line endings and "
                         f"{100 * style['tabs']['share_of_files']:.1f} % were indented with tabs; the text is kept as written "
                         "except that line endings become LF, as the extension reads every document.")
    meta_path = os.path.join(ckpt.get("config", {}).get("data_dir", ""), "meta.json")
    if os.path.exists(meta_path):
        with open(meta_path) as f:
            meta = json.load(f)
        fim, train = meta.get("fim") or {}, meta.get("train", {})
        lines.append(f"Tokenised by `training/prepare.py`: {train.get('tokens', 0):,} training tokens.")
        if fim.get("rate"):
            lines.append(f"Fill-in-the-middle: pieces of about {fim['chunk_bytes']} bytes (one window) became examples at rate "
                         f"{fim['rate']} ({train.get('fim_examples', 0):,} examples, {100 * fim.get('spm_rate', 0):.0f} % in SPM order, "
                         "the rest PSM; prefix, middle and suffix split at random characters, Bavarian et al. 2022"
                         + (f", except that {100 * fim['line_span_rate']:.0f} % of the examples "
                            f"({train.get('fim_line_span_examples', 0):,}) take a middle shaped like a completion at the cursor: "
                            "from a line's start or a character in it to the end of that line or of one or two more "
                            "(`prepare.py --line-span-rate`)" if fim.get("line_span_rate") else "")
                         + "); the validation split stays left to right.")
    if ckpt.get("config", {}).get("init_from"):
        ckpt["config"]["init_from_tokens_seen"] = tokens_seen_before(ckpt)
        lines.append(f"Warm start: the run began from the weights of `{ckpt['config']['init_from']}` as it was before "
                     "this export"
                     + (f" ({ckpt['config']['init_from_tokens_seen']:,} tokens seen before this run)"
                        if ckpt["config"].get("init_from_tokens_seen") else "")
                     + warm_start_change(ckpt["config"]) + " (train.py `warm_start`). "
                     f"Tokens seen in all: {ckpt.get('tokens_seen', 0) + (ckpt['config'].get('init_from_tokens_seen') or 0):,}.")
    return lines


def overrides(cfg) -> str:
    """The command-line options a run used on top of its config file (so the card's command reproduces it)."""
    import runpy
    path = os.path.join(HERE, "configs", f"{cfg.get('id', '')}.py")
    if not os.path.exists(path):
        return ""
    base = runpy.run_path(path)
    skip = {"device", "dtype", "out_dir", "log_file", "resume", "init_from_tokens_seen", "init_from_grew"}
    keys = [k for k, v in cfg.items() if k not in skip and k in base and base[k] != v]
    keys += [k for k in ("init_from",) if cfg.get(k) and k not in base]
    keys += [k for k in ("max_minutes",) if cfg.get(k) and k not in base and k not in keys]
    # train.py's default seed, which a config file rarely sets: show it when a run changed it.
    keys += [k for k in ("seed",) if k in cfg and k not in base and cfg[k] != 1337 and k not in keys]
    return "".join(f" --{k} {cfg[k]}" for k in keys if k != "max_iters")


def fim_note(tokenizer_path) -> str:
    """How the vocabulary marks fill-in-the-middle, from its special tokens."""
    try:
        with open(tokenizer_path, encoding="utf-8") as f:
            added = {t["content"]: t["id"] for t in json.load(f).get("added_tokens", [])}
    except (OSError, ValueError):
        return ""
    fim = [f"`{k}` = {added[k]}" for k in ("<|fim_prefix|>", "<|fim_middle|>", "<|fim_suffix|>") if k in added]
    return f"; fill-in-the-middle specials {', '.join(fim)}" if fim else ""


def licence_summary():
    """(by-licence MB of the training split, 'package@version (licence)' list) from the manifest."""
    by = manifest_summary().get("by_licence", {})
    path = os.path.join(HERE, "corpus_manifest.json.gz")
    if not os.path.exists(path):
        return None, []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        m = json.load(f)
    pkgs = sorted(f"{p['name']}@{p.get('version', '?')} ({p.get('licence', '?')})" for p in m.get("packages", [])
                  if p.get("split") == "train")
    return by, pkgs


def used_device_dtype(ckpt, ckpt_path):
    """(device, dtype) the run used; older checkpoints stored "auto", so read train.py's first log line."""
    cfg = ckpt.get("config", {})
    dev, dt = cfg.get("device"), cfg.get("dtype")
    log = os.path.join(os.path.dirname(ckpt_path), "log.txt")
    if "auto" in (dev, dt) and os.path.exists(log):
        with open(log) as f:
            m = re.search(r"device (\S+), dtype (\S+),", f.read())
        if m:
            dev, dt = m.group(1), m.group(2)
    return dev, dt


# The extension's own measurements (eval, bench) are written between these markers by
# scripts/measure-model.mjs; a test fails while a bundled card still has this text.
MEASURED_SECTION = ("<!-- measured:begin -->\n## Measured in the extension\n\n"
                    "Not measured yet: run `npm run build && node scripts/measure-model.mjs {id}`.\n<!-- measured:end -->")


def training_runs(log_path) -> list:
    """One line per run (a first run and each --resume) from the checkpoint folder's log.txt."""
    if not os.path.exists(log_path):
        return []
    runs = []
    with open(log_path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("config "):
                runs.append({"config": json.loads(line[len("config "):]), "evals": [], "stopped": False})
            elif runs and line.startswith("eval iter "):
                m = re.match(r"eval iter (\d+):.*val bpb ([\d.]+)", line)
                if m:
                    runs[-1]["evals"].append((int(m.group(1)), float(m.group(2))))
            elif runs and line.startswith("stopped at iter"):
                runs[-1]["stopped"] = True
    lines = []
    start = 0  # a resumed run starts from the checkpoint of the previous run's last evaluation
    for i, r in enumerate(runs):
        c, ev = r["config"], r["evals"]
        if not ev:
            continue
        how = "resumed, " if c.get("resume") else ""
        end = "" if r["stopped"] else "; interrupted (no end in the log), the next run resumed from its last checkpoint"
        lines.append(f"- Run {i + 1} ({how}{c.get('max_minutes', 0):.0f}-minute budget, peak learning rate {c.get('learning_rate')}, "
                     f"cosine to {c.get('min_lr')}): iter {start} to {ev[-1][0]}, val {ev[-1][1]:.4f} bits per byte at its "
                     f"last evaluation{end}.")
        start = ev[-1][0]
    if len(lines) > 1:
        lines.insert(0, "- Runs (a resumed run restarts the cosine from where the budget puts it, a warm restart):")
        lines[1:] = ["  " + x for x in lines[1:]]
    return lines


def further_lines(ckpt, n_params) -> list:
    """What would make this model better, in figures from its own training run."""
    seen, secs = ckpt.get("tokens_seen", 0), ckpt.get("train_seconds", 0.0)
    if not seen or not secs:
        return []
    tps = seen / secs
    optimal = 20 * n_params  # Hoffmann et al. 2022: ~20 training tokens per parameter
    train_tokens = None
    meta_path = os.path.join(ckpt.get("config", {}).get("data_dir", ""), "meta.json")
    if os.path.exists(meta_path):
        with open(meta_path) as f:
            train_tokens = json.load(f).get("train", {}).get("tokens")
    lines = ["", "## What would get further", "",
             f"- **More training.** It saw {seen / 1e6:.1f}M tokens, {seen / n_params:.1f} per parameter; compute-optimal "
             f"training (Hoffmann et al., 2022) is about 20 per parameter, {optimal / 1e6:.0f}M tokens: "
             f"{optimal / tps / 3600:.1f} hours at the {tps:,.0f} tokens/s this run averaged on 2 CPU cores, minutes on "
             "one GPU (`train.py` runs unchanged on CUDA with torch 2)."]
    if train_tokens:
        lines.append(f"- **More data.** The training split holds {train_tokens / 1e6:.1f}M tokens, so {optimal / 1e6:.0f}M "
                     f"tokens would be {optimal / train_tokens:.1f} passes over it; more pinned, permissively licensed "
                     "packages in `training/corpus_packages.json` would keep each token new.")
    lines.append("- **What the window cannot see.** The extension mixes counts from the open files into the vector "
                 "(the measured section below, \"learning from the open file\"), which reaches names defined "
                 "far beyond the window; a longer window costs prefill time on every jump in the file.")
    return lines

def measured_section(card_path):
    """The text between the measured markers of an existing card, if any."""
    if not os.path.exists(card_path):
        return None
    with open(card_path, encoding="utf-8") as f:
        text = f.read()
    begin, end = text.find("<!-- measured:begin"), text.find("<!-- measured:end -->")
    return text[begin:end + len("<!-- measured:end -->")] if 0 <= begin < end else None


def model_card(a, ckpt, gpt, n_params, n_nonemb, nbytes, measured, tokenizer_sha) -> str:
    cfg = ckpt.get("config", {})
    device, dtype = used_device_dtype(ckpt, a.ckpt)
    last = ckpt.get("last_eval") or {}
    by_lic, pkgs = licence_summary()
    lines = [
        f"# {a.display_name} (`{a.id}`)", "", a.description, "",
        "## Model", "",
        "| | |", "|---|---|",
        "| architecture | GPT-2 (pre-LayerNorm, GELU tanh, learned positions, tied input/output embedding) |",
        f"| parameters | {n_params:,} ({n_nonemb:,} without the token and position embeddings) |",
        f"| layers / heads / width | {gpt.n_layer} / {gpt.n_head} / {gpt.n_embd} |",
        f"| context window | {gpt.block_size} tokens (`<|endoftext|>` = id 0 is prepended as BOS) |",
        f"| vocabulary | {gpt.vocab_size} byte-level BPE tokens (tokenizer.json, sha256 {tokenizer_sha[:16]}...){fim_note(a.tokenizer)} |",
        f"| file | model.safetensors, {a.dtype.upper()}{' (int8 per-row scales)' if a.dtype == 'int8' else ''}, "
        f"{nbytes:,} bytes; layout {'Conv1D (Hugging Face)' if a.hf else 'linear'} |",
        "",
        "## Training", "",
        f"- Script: `training/train.py --config training/configs/{cfg.get('id', a.id)}.py{overrides(cfg)}`, exported by `training/export.py`.",
        f"- Steps: {ckpt.get('iter_num', '?')} of batch {cfg.get('batch_size')} x {gpt.block_size} tokens; "
        f"{ckpt.get('tokens_seen', 0):,} tokens seen; {ckpt.get('train_seconds', 0) / 60:.0f} min of training steps.",
        f"- Optimiser: AdamW (betas {cfg.get('beta1')}, {cfg.get('beta2')}; weight decay {cfg.get('weight_decay')}), "
        f"peak learning rate {cfg.get('learning_rate')} with {cfg.get('warmup_iters')} warm-up steps, cosine to "
        f"{cfg.get('min_lr')}, gradient clipping {cfg.get('grad_clip')}, dropout {cfg.get('dropout')}.",
        f"- Hardware: {device}, {dtype}, {cfg.get('threads')} threads, torch {ckpt.get('torch', '?')}.",
        *training_runs(os.path.join(os.path.dirname(a.ckpt), "log.txt")),
        "",
        "## Data", "",
        "Source files from pinned npm packages and PyPI source distributions (TypeScript, JavaScript, .d.ts, Python,",
        "JSON, CSS, HTML, Markdown, shell, YAML) and the Python standard library, cleaned and deduplicated by",
        "`training/corpus.py` (also against every evaluation file); the validation set comes from other packages and",
        "held-out stdlib modules. Exact files and hashes: `training/corpus_manifest.json.gz`.",
        "",
        *data_lines(ckpt),
        "",
    ]
    if by_lic:
        lines += ["| licence (training split) | MB |", "|---|---|"]
        lines += [f"| {k} | {v / 1e6:.2f} |" for k, v in sorted(by_lic.items(), key=lambda kv: -kv[1])]
        lines += ["", f"<details><summary>{len(pkgs)} training sources</summary>", "", ", ".join(pkgs), "", "</details>", ""]
    lines += ["## Measured quality", ""]
    if measured:
        lines.append(f"- **{measured['val_bpb']:.4f} bits per byte** on the validation set with the weights as stored "
                     f"in this file ({measured['tokens']:,} tokens in non-overlapping {gpt.block_size}-token windows; "
                     f"loss {measured['val_loss']:.4f} nats/token; bits per byte = loss / ln 2 x tokens / bytes, "
                     "bytes = UTF-8 bytes of the documents).")
    if last:
        lines.append(f"- Last evaluation during training (iter {last.get('iter')}, random windows, f32): train loss "
                     f"{last.get('train_loss', 0):.4f}, val loss {last.get('val_loss', 0):.4f}, val {last.get('val_bpb', 0):.4f} bits per byte.")
    lines += further_lines(ckpt, n_params)
    lines += [
        "", MEASURED_SECTION.format(id=a.id),
        "", "## Limitations", "",
        "A small model trained on two CPU cores: it completes common syntax and identifiers seen in the training",
        "packages and repeats itself on longer generations; of your project it knows only the context window and the",
        "counts the extension takes from your open files.",
        "",
    ]
    return "\n".join(lines)


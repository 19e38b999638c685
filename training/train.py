"""Train a GPT on tokenized code (nanoGPT's train.py, single process, CPU or one GPU).

    /usr/bin/python3 training/train.py --config training/configs/gpt-code-tiny.py \
        [--resume] [--max-minutes 75] [--batch_size 32 ...any config key]

Flat script: defaults, then the config file, then command-line overrides; get_batch from
np.memmap; estimate_loss; cosine learning rate with warmup; AdamW; gradient clipping;
checkpoint ckpt.pt (model, optimizer, iter, config) in out_dir at every evaluation and at
the end. Val bits per byte = val loss (nats/token) / ln 2 * val tokens / val bytes, with
the counts from meta.json (prepare.py).

--max-minutes: wall-clock budget. At every evaluation the remaining budget and the
measured seconds per iteration give the number of iterations that still fit, and
max_iters (the end of the cosine) is moved there, so the learning rate reaches min_lr
when the budget ends even on a shared, noisy machine. Then it saves and stops.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import runpy
import sys
import time
from contextlib import nullcontext

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import GPT, GPTConfig  # noqa: E402

# ---- defaults (a config file overrides these; the command line overrides both) ----------
id = "model"  # noqa: A001  model id: names the checkpoint folder and the exported model
out_dir = ""  # default training/checkpoints/<id>
data_dir = "training/data/bin-4096"  # train.bin, val.bin, meta.json from prepare.py
# model (GPTConfig)
vocab_size = 4096
block_size = 256
n_layer = 4
n_head = 4
n_embd = 128
dropout = 0.0
bias = True
# optimisation
batch_size = 16  # sequences per micro-step
gradient_accumulation_steps = 1
max_iters = 5000  # end of the cosine schedule (moved by --max-minutes, see the docstring)
learning_rate = 2e-3  # small models tolerate a high peak rate
min_lr = 2e-4  # ~learning_rate / 10 (Chinchilla)
warmup_iters = 200
weight_decay = 0.1
beta1 = 0.9
beta2 = 0.99  # few tokens per step: a shorter second-moment memory than GPT-2's 0.999
grad_clip = 1.0  # 0 disables
# evaluation and logging
eval_interval = 250
eval_iters = 40
log_interval = 25
# system
device = "auto"  # auto: cuda if available, else cpu
dtype = "auto"  # auto: bf16 on CUDA when supported; on CPU only with avx512_bf16/amx (see note below)
threads = 2
compile = False  # torch.compile (torch 2.x, CUDA)
seed = 1337
max_minutes = 0.0  # 0: no wall-clock budget
resume = False
init_from = ""  # a model folder (models/<id>) whose weights start a new run (see warm_start below)
log_file = ""  # default <out_dir>/log.txt
# -----------------------------------------------------------------------------------------
config_keys = [k for k, v in globals().items() if not k.startswith("_") and isinstance(v, (int, float, bool, str))]

ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
ap.add_argument("--config", help="a .py file of `key = value` lines (training/configs/<id>.py)")
for _k in config_keys:
    _v = globals()[_k]
    _flags = [f"--{_k}"] + ([f"--{_k.replace('_', '-')}"] if "_" in _k else [])
    if isinstance(_v, bool):
        ap.add_argument(*_flags, dest=_k, nargs="?", const=True, default=None, type=lambda s: s.lower() in ("1", "true", "yes"))
    else:
        ap.add_argument(*_flags, dest=_k, default=None, type=type(_v))
_args = ap.parse_args()
if _args.config:
    for _k, _v in runpy.run_path(_args.config).items():
        if _k in config_keys:
            globals()[_k] = _v
        elif not _k.startswith("_"):
            raise SystemExit(f"{_args.config}: unknown key {_k}")
for _k in config_keys:
    if getattr(_args, _k) is not None:
        globals()[_k] = getattr(_args, _k)
out_dir = out_dir or os.path.join("training", "checkpoints", id)
log_file = log_file or os.path.join(out_dir, "log.txt")
config = {k: globals()[k] for k in config_keys}

# ---- system ------------------------------------------------------------------------------
os.makedirs(out_dir, exist_ok=True)
torch.manual_seed(seed)
torch.set_num_threads(threads)
if device == "auto":
    device = "cuda" if torch.cuda.is_available() else "cpu"
device_type = "cuda" if device.startswith("cuda") else "cpu"


def cpu_has_fast_bf16() -> bool:
    # Measured: on a CPU without avx512_bf16 (AMD EPYC, AVX2 only) bf16 autocast matmuls ran
    # at 4 GFLOP/s against 122 GFLOP/s in fp32; with avx512_bf16 bf16 was 2.5-2.9x faster.
    try:
        with open("/proc/cpuinfo") as f:
            flags = f.read()
        return "avx512_bf16" in flags or "amx_bf16" in flags
    except OSError:
        return False


if dtype == "auto":
    if device_type == "cuda":
        dtype = "bfloat16" if torch.cuda.is_bf16_supported() else "float16"
    else:
        dtype = "bfloat16" if cpu_has_fast_bf16() else "float32"
config["device"], config["dtype"] = device, dtype  # what was used, for the checkpoint and the model card
ptdtype = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}[dtype]
ctx = nullcontext() if dtype == "float32" else torch.autocast(device_type=device_type, dtype=ptdtype)
scaler = torch.cuda.amp.GradScaler(enabled=(dtype == "float16"))


def log(msg: str):
    print(msg, flush=True)
    with open(log_file, "a") as f:
        f.write(msg + "\n")


# ---- data --------------------------------------------------------------------------------
with open(os.path.join(data_dir, "meta.json")) as f:
    meta = json.load(f)
assert meta["vocab_size"] <= vocab_size, f"data has vocab {meta['vocab_size']}, model {vocab_size}"
val_bytes_per_token = meta["val"]["bytes"] / meta["val"]["tokens"]


def get_batch(split):
    # A fresh memmap per batch: nanoGPT's workaround for memmap memory growth.
    data = np.memmap(os.path.join(data_dir, f"{split}.bin"), dtype=np.uint16, mode="r")
    ix = torch.randint(len(data) - block_size, (batch_size,))
    x = torch.stack([torch.from_numpy(data[i:i + block_size].astype(np.int64)) for i in ix])  # (B, T)
    y = torch.stack([torch.from_numpy(data[i + 1:i + 1 + block_size].astype(np.int64)) for i in ix])  # (B, T)
    if device_type == "cuda":
        return x.pin_memory().to(device, non_blocking=True), y.pin_memory().to(device, non_blocking=True)
    return x, y


# ---- model and optimizer -----------------------------------------------------------------
def warm_start(model, folder):
    """Starts from an exported model's weights (f32, f16 or int8 as stored). A larger vocabulary
    (new special tokens appended after the old ids) gets new embedding rows at the mean of the
    old ones; a longer window gets the old position embeddings repeated (a common way to
    extend learned positions: every new position starts as one the model knows)."""
    from model_folder import dequantized_state
    from safetensors_io import read_safetensors
    with open(os.path.join(folder, "config.json")) as f:
        cfg = json.load(f)
    src = dequantized_state(read_safetensors(os.path.join(folder, "model.safetensors")), hf=cfg.get("weight_layout") != "linear")
    state = model.state_dict()
    for name, w in src.items():
        if name not in state:
            raise SystemExit(f"{folder}: tensor {name} is not in this model")
        target = state[name]
        w = torch.from_numpy(w.astype(np.float32))
        if name == "transformer.wte.weight" and w.shape[0] < target.shape[0]:
            w = torch.cat([w, w.mean(0, keepdim=True).expand(target.shape[0] - w.shape[0], -1)])
        elif name == "transformer.wpe.weight" and w.shape[0] < target.shape[0]:
            w = w.repeat((target.shape[0] + w.shape[0] - 1) // w.shape[0], 1)[:target.shape[0]]
        if w.shape != target.shape:
            raise SystemExit(f"{folder}: {name} has shape {tuple(w.shape)}, this model {tuple(target.shape)}")
        target.copy_(w)
    from model_card import tokens_seen_in_card
    before = None  # the tokens the start model saw, from its card, for the new card
    card = os.path.join(folder, "MODEL_CARD.md")
    if os.path.exists(card):
        with open(card, encoding="utf-8") as f:
            before = tokens_seen_in_card(f.read())
    config["init_from_tokens_seen"] = before
    # What the card says the warm start changed (nothing, or new ids / positions).
    config["init_from_grew"] = [what for what, old, new in (("vocabulary", cfg["vocab_size"], model.config.vocab_size),
                                                            ("window", cfg["n_positions"], model.config.block_size)) if new > old]
    log(f"warm start from {folder}: {len(src)} tensors (vocabulary {cfg['vocab_size']} -> {model.config.vocab_size}, "
        f"window {cfg['n_positions']} -> {model.config.block_size}); it had seen {before or '?'} tokens")



gptconf = GPTConfig(vocab_size=vocab_size, block_size=block_size, n_layer=n_layer, n_head=n_head,
                    n_embd=n_embd, dropout=dropout, bias=bias)
model = GPT(gptconf)
optimizer = model.configure_optimizer(weight_decay, learning_rate, (beta1, beta2))
iter_num = 0
best_val_loss = float("inf")
tokens_seen = 0
train_seconds = 0.0  # summed over resumed runs
sec_per_iter = None  # measured pace, evaluations included (for fitting the schedule to a budget)
ckpt_path = os.path.join(out_dir, "ckpt.pt")
if resume and os.path.exists(ckpt_path):
    ckpt = torch.load(ckpt_path, map_location="cpu")
    for k in ("vocab_size", "block_size", "n_layer", "n_head", "n_embd", "bias"):
        assert ckpt["model_args"][k] == getattr(gptconf, k), f"checkpoint has {k}={ckpt['model_args'][k]}"
    model.load_state_dict(ckpt["model"])
    optimizer.load_state_dict(ckpt["optimizer"])
    iter_num, best_val_loss = ckpt["iter_num"], ckpt["best_val_loss"]
    tokens_seen, train_seconds = ckpt.get("tokens_seen", 0), ckpt.get("train_seconds", 0.0)
    if _args.max_iters is None:
        max_iters = ckpt["config"]["max_iters"]  # keep the schedule of the interrupted run
    sec_per_iter = ckpt.get("sec_per_iter")
    del ckpt
elif init_from:
    warm_start(model, init_from)
model.to(device)
raw_model = model
if compile and hasattr(torch, "compile"):
    model = torch.compile(model)


@torch.no_grad()
def estimate_loss():
    out = {}
    model.eval()
    for split in ("train", "val"):
        losses = torch.zeros(eval_iters)
        for k in range(eval_iters):
            X, Y = get_batch(split)
            with ctx:
                _, loss = model(X, Y)
            losses[k] = loss.item()
        out[split] = losses.mean().item()
    model.train()
    return out


def get_lr(it):
    if it < warmup_iters:  # linear warmup
        return learning_rate * (it + 1) / (warmup_iters + 1)
    if it >= max_iters:
        return min_lr
    ratio = (it - warmup_iters) / max(1, max_iters - warmup_iters)
    coeff = 0.5 * (1.0 + math.cos(math.pi * ratio))  # 1 -> 0
    return min_lr + coeff * (learning_rate - min_lr)


def save_checkpoint():
    ckpt = {"model": raw_model.state_dict(), "optimizer": optimizer.state_dict(), "model_args": vars(gptconf),
            "iter_num": iter_num, "best_val_loss": best_val_loss, "config": {**config, "max_iters": max_iters},
            "tokens_seen": tokens_seen, "train_seconds": train_seconds, "last_eval": last_eval,
            "val_bytes_per_token": val_bytes_per_token, "sec_per_iter": sec_per_iter, "torch": torch.__version__}
    tmp = ckpt_path + ".tmp"
    torch.save(ckpt, tmp)
    os.replace(tmp, ckpt_path)  # never leave a half-written ckpt.pt


# ---- training loop -----------------------------------------------------------------------
tokens_per_iter = gradient_accumulation_steps * batch_size * block_size
log(f"{id}: {raw_model.num_params():,} parameters ({raw_model.num_params(True):,} non-embedding), "
    f"device {device}, dtype {dtype}, threads {torch.get_num_threads()}, {tokens_per_iter} tokens/iter, "
    f"train {meta['train']['tokens']:,} tokens, val {meta['val']['tokens']:,} tokens ({val_bytes_per_token:.3f} bytes/token)")
log(f"config {json.dumps(config)}")
start = time.time()
deadline = start + max_minutes * 60 if max_minutes > 0 else None
if deadline and sec_per_iter and _args.max_iters is None:  # resumed with a new budget (and no explicit
    # --max_iters): a new cosine end at the pace measured before
    max_iters = max(iter_num + 1, min(config["max_iters"], iter_num + int(max_minutes * 60 / sec_per_iter)))
last_eval = None
X, Y = get_batch("train")
t_log, it_log, t_eval, it_eval = time.time(), iter_num, time.time(), iter_num
while True:
    lr = get_lr(iter_num)
    for g in optimizer.param_groups:
        g["lr"] = lr

    final = iter_num >= max_iters or bool(deadline and time.time() >= deadline)
    if iter_num % eval_interval == 0 or final:
        t0 = time.time()
        losses = estimate_loss()
        bpb = losses["val"] / math.log(2) / val_bytes_per_token
        best_val_loss = min(best_val_loss, losses["val"])
        last_eval = {"iter": iter_num, "train_loss": losses["train"], "val_loss": losses["val"], "val_bpb": bpb,
                     "tokens_seen": tokens_seen}
        eval_seconds = time.time() - t0
        if deadline and not final and iter_num > it_eval:
            # Move the end of the cosine to where the budget ends, at the measured pace
            # (seconds per iteration since the previous evaluation began, evaluations included).
            sec_per_iter = (time.time() - t_eval) / (iter_num - it_eval)
            fit = iter_num + int((deadline - time.time()) / sec_per_iter)
            max_iters = max(iter_num + 1, min(config["max_iters"], fit))
        log(f"eval iter {iter_num}: train loss {losses['train']:.4f}, val loss {losses['val']:.4f}, "
            f"val bpb {bpb:.4f}, lr {lr:.2e}, tokens seen {tokens_seen:,}, "
            f"elapsed {(time.time() - start) / 60:.1f} min (eval {eval_seconds:.0f} s), max_iters {max_iters}")
        if iter_num > 0:
            save_checkpoint()
        t_eval, it_eval = t0, iter_num
        t_log, it_log = time.time(), iter_num  # throughput lines measure training steps only
        if final or (deadline and time.time() >= deadline):
            log(f"stopped at iter {iter_num}: {'budget of ' + str(max_minutes) + ' min' if iter_num < max_iters else 'max_iters'}; "
                f"checkpoint {ckpt_path}")
            break

    t_step = time.time()
    for micro in range(gradient_accumulation_steps):
        with ctx:
            _, loss = model(X, Y)
            loss = loss / gradient_accumulation_steps
        X, Y = get_batch("train")  # fetch the next batch while nothing else needs the CPU
        scaler.scale(loss).backward()
    if grad_clip > 0:
        scaler.unscale_(optimizer)
        torch.nn.utils.clip_grad_norm_(model.parameters(), grad_clip)
    scaler.step(optimizer)
    scaler.update()
    optimizer.zero_grad(set_to_none=True)
    train_seconds += time.time() - t_step
    iter_num += 1
    tokens_seen += tokens_per_iter

    if iter_num % log_interval == 0:
        dt = time.time() - t_log
        tps = (iter_num - it_log) * tokens_per_iter / dt
        log(f"iter {iter_num}: loss {loss.item() * gradient_accumulation_steps:.4f}, lr {lr:.2e}, "
            f"{dt / (iter_num - it_log) * 1000:.0f} ms/iter, {tps:,.0f} tokens/s")
        t_log, it_log = time.time(), iter_num

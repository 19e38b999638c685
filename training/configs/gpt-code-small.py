# gpt-code-small: about 3.5 M parameters (2.7 M non-embedding); needs ~2-3 hours on 2 CPU
# cores (resume across sessions with --resume) or minutes on a GPU.
# Data and vocabulary as gpt-code-tiny.py: bin-4099-w512 (FIM at rate 0.5, 512-token
# window), tokenizer-4096-fim.json (ids 0-4095 as the earlier model, FIM 4096-4098), so a
# run can warm-start from the earlier gpt-code-small (train.py --init_from). Half of the FIM
# examples have a middle shaped like a completion at the cursor (--line-span-rate 0.5): with
# uniform splits only, the retrained tiny filled single lines no better with the suffix than
# without it.
id = "gpt-code-small"
data_dir = "training/data/bin-4099-w512-ls"  # prepare.py --fim-chunk-bytes 1400 --line-span-rate 0.5 --out-dir training/data/bin-4099-w512-ls
vocab_size = 4099  # 4096 BPE tokens + <|fim_prefix|>, <|fim_middle|>, <|fim_suffix|>
block_size = 512
n_layer = 6
n_head = 6  # head size 32
n_embd = 192
dropout = 0.0
batch_size = 8  # 4096 tokens per step
max_iters = 20000
learning_rate = 1.5e-3
min_lr = 1.5e-4
warmup_iters = 300
eval_interval = 250
eval_iters = 40

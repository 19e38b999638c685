# gpt-code-small: about 3.5 M parameters (2.7 M non-embedding); needs ~2-3 hours on 2 CPU
# cores (resume across sessions with --resume) or minutes on a GPU.
id = "gpt-code-small"
data_dir = "training/data/bin-4096-w512"  # prepare.py --fim-chunk-bytes 1400 (FIM, see gpt-code-tiny.py)
vocab_size = 4096
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

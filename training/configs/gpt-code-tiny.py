# gpt-code-tiny: about 1.35 M parameters (0.79 M non-embedding), the default bundled model.
# Sized for one ~75-minute CPU run on 2 cores (about 20 tokens per parameter and more).
id = "gpt-code-tiny"
data_dir = "training/data/bin-4096"
vocab_size = 4096  # tokenizer-4096.json
block_size = 256  # n_positions
n_layer = 4
n_head = 4  # head size 32
n_embd = 128
dropout = 0.0
batch_size = 16  # 4096 tokens per step
max_iters = 12000  # upper bound; --max-minutes fits the cosine end to the budget
learning_rate = 2e-3
min_lr = 2e-4
warmup_iters = 200
eval_interval = 250
eval_iters = 40

# gpt-code-tiny: about 1.4 M parameters (0.79 M non-embedding), the default bundled model.
# Sized for one ~75-minute CPU run on 2 cores (about 20 tokens per parameter and more).
# Data: prepare.py with fill-in-the-middle at rate 0.5 in pieces of about one window
# (--fim-chunk-bytes 1400 for 512 tokens at ~3 bytes a token) into bin-4099-w512, with the
# vocabulary of the earlier gpt-code-tiny plus the three FIM specials (hf_tokenizer.py
# --add-fim-to models/gpt-code-tiny/tokenizer.json: ids 0-4095 unchanged, FIM 4096-4098),
# so a run can start from that model (train.py --init_from). Hugging Face tokenizers trains
# an equally good vocabulary (3.199 bytes a token on val either way).
id = "gpt-code-tiny"
data_dir = "training/data/bin-4099-w512"
vocab_size = 4099  # tokenizer-4096-fim.json: 4096 BPE tokens + <|fim_prefix|>, <|fim_middle|>, <|fim_suffix|>
block_size = 512  # n_positions: room for the suffix (fill-in-the-middle) and ~1.2 KB of prefix
n_layer = 4
n_head = 4  # head size 32
n_embd = 128
dropout = 0.0
batch_size = 8  # 4096 tokens per step
max_iters = 12000  # upper bound; --max-minutes fits the cosine end to the budget
learning_rate = 2e-3
min_lr = 2e-4
warmup_iters = 200
eval_interval = 250
eval_iters = 40

# smoke: a minute-long end-to-end check of prepare -> train -> export (training/smoke.sh).
id = "smoke"
vocab_size = 512  # smoke.sh trains a 512-token BPE on a tiny corpus
block_size = 64
n_layer = 2
n_head = 2
n_embd = 32
batch_size = 8
max_iters = 30
learning_rate = 3e-3
min_lr = 3e-4
warmup_iters = 5
eval_interval = 15
eval_iters = 4
log_interval = 5

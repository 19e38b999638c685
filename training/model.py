"""GPT-2 in the nanoGPT style: the model the TypeScript engine runs (src/engine/gpt.ts).

Module names are chosen so that `state_dict()` names are exactly the tensor names of
models/FORMAT.md (Hugging Face GPT-2 names); matrices are torch nn.Linear, i.e. stored
[out, in] (`weight_layout: "linear"`). Runs unchanged on torch 1.13 CPU (manual attention)
and torch 2.x (scaled_dot_product_attention when it exists).

Shapes: B batch, T sequence, C = n_embd, H = n_head, D = C // H, L = vocab_size.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn as nn
from torch.nn import functional as F


@dataclass
class GPTConfig:
    vocab_size: int = 4096  # L: BPE vocabulary, id 0 = <|endoftext|> (also the BOS token)
    block_size: int = 256  # n_positions: the context window in tokens
    n_layer: int = 4  # Nx: transformer blocks
    n_head: int = 4  # heads per attention layer; n_embd % n_head == 0
    n_embd: int = 128  # C: width of the residual stream
    dropout: float = 0.0  # 0 for the small models we train (few epochs, no overfitting yet)
    bias: bool = True  # GPT-2 has biases in Linear and LayerNorm; the engine expects them
    layer_norm_epsilon: float = 1e-5  # GPT-2's value; written to config.json


class LayerNorm(nn.Module):
    """LayerNorm with weight and bias (C,)."""

    def __init__(self, ndim: int, bias: bool, eps: float):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(ndim))
        self.bias = nn.Parameter(torch.zeros(ndim)) if bias else None
        self.eps = eps

    def forward(self, x):
        return F.layer_norm(x, self.weight.shape, self.weight, self.bias, self.eps)


class CausalSelfAttention(nn.Module):
    def __init__(self, config: GPTConfig):
        super().__init__()
        assert config.n_embd % config.n_head == 0
        self.c_attn = nn.Linear(config.n_embd, 3 * config.n_embd, bias=config.bias)  # weight (3C, C): rows q, k, v
        self.c_proj = nn.Linear(config.n_embd, config.n_embd, bias=config.bias)  # weight (C, C)
        self.attn_dropout = nn.Dropout(config.dropout)
        self.resid_dropout = nn.Dropout(config.dropout)
        self.n_head = config.n_head
        self.dropout = config.dropout
        self.flash = hasattr(F, "scaled_dot_product_attention")  # torch >= 2.0
        # Causal mask for the manual path; not persistent, so it never reaches state_dict / export.
        mask = torch.tril(torch.ones(config.block_size, config.block_size, dtype=torch.bool))
        self.register_buffer("mask", mask.view(1, 1, config.block_size, config.block_size), persistent=False)
        self.record = False  # when True: keep the last position's attention probabilities
        self.last_att = None  # (B, H, T) after a recorded forward

    def forward(self, x):
        B, T, C = x.size()
        q, k, v = self.c_attn(x).split(C, dim=2)  # each (B, T, C)
        # (B, T, C) -> (B, H, T, D): head h owns channels [h*D, (h+1)*D) as in the engine
        q = q.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        k = k.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        v = v.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        if self.flash and not self.record:
            y = F.scaled_dot_product_attention(q, k, v, dropout_p=self.dropout if self.training else 0.0, is_causal=True)
        else:
            att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))  # (B, H, T, T)
            att = att.masked_fill(~self.mask[:, :, :T, :T], float("-inf"))
            att = F.softmax(att, dim=-1)
            if self.record:
                self.last_att = att[:, :, -1, :].detach()  # (B, H, T)
            att = self.attn_dropout(att)
            y = att @ v  # (B, H, T, D)
        y = y.transpose(1, 2).contiguous().view(B, T, C)  # heads side by side again
        return self.resid_dropout(self.c_proj(y))


class MLP(nn.Module):
    def __init__(self, config: GPTConfig):
        super().__init__()
        self.c_fc = nn.Linear(config.n_embd, 4 * config.n_embd, bias=config.bias)  # weight (4C, C)
        self.c_proj = nn.Linear(4 * config.n_embd, config.n_embd, bias=config.bias)  # weight (C, 4C)
        self.dropout = nn.Dropout(config.dropout)

    def forward(self, x):
        # GPT-2's gelu_new is the tanh approximation; the engine computes exactly that.
        return self.dropout(self.c_proj(F.gelu(self.c_fc(x), approximate="tanh")))


class Block(nn.Module):
    def __init__(self, config: GPTConfig):
        super().__init__()
        self.ln_1 = LayerNorm(config.n_embd, config.bias, config.layer_norm_epsilon)
        self.attn = CausalSelfAttention(config)
        self.ln_2 = LayerNorm(config.n_embd, config.bias, config.layer_norm_epsilon)
        self.mlp = MLP(config)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        x = x + self.mlp(self.ln_2(x))
        return x


class GPT(nn.Module):
    def __init__(self, config: GPTConfig, init_std: float = 0.02):
        super().__init__()
        self.config = config
        self.transformer = nn.ModuleDict(dict(
            wte=nn.Embedding(config.vocab_size, config.n_embd),  # (L, C), also the output layer
            wpe=nn.Embedding(config.block_size, config.n_embd),  # (T_max, C)
            drop=nn.Dropout(config.dropout),
            h=nn.ModuleList([Block(config) for _ in range(config.n_layer)]),
            ln_f=LayerNorm(config.n_embd, config.bias, config.layer_norm_epsilon),
        ))
        self.lm_head = nn.Linear(config.n_embd, config.vocab_size, bias=False)
        self.lm_head.weight = self.transformer.wte.weight  # tied: one (L, C) matrix
        self.init_weights(init_std)

    def init_weights(self, std: float = 0.02):
        """GPT-2 init: N(0, std); residual projections scaled by 1/sqrt(2 * n_layer)."""
        for name, p in self.named_parameters():
            if name.endswith("c_proj.weight"):
                nn.init.normal_(p, 0.0, std / math.sqrt(2 * self.config.n_layer))
            elif p.dim() == 2:
                nn.init.normal_(p, 0.0, std)
            elif name.endswith("bias"):
                nn.init.zeros_(p)
            else:  # LayerNorm weights
                nn.init.ones_(p)

    def num_params(self, non_embedding: bool = False) -> int:
        """Parameters counted once (wte is shared with lm_head)."""
        n = sum(p.numel() for p in self.parameters())
        if non_embedding:
            n -= self.transformer.wte.weight.numel() + self.transformer.wpe.weight.numel()
        return n

    def forward(self, idx, targets=None):
        """idx (B, T) int64 -> logits (B, T, L); loss (mean nats per token) when targets (B, T) given."""
        B, T = idx.size()
        assert T <= self.config.block_size, f"sequence of {T} is longer than block_size {self.config.block_size}"
        pos = torch.arange(0, T, dtype=torch.long, device=idx.device)  # (T,)
        x = self.transformer.drop(self.transformer.wte(idx) + self.transformer.wpe(pos))  # (B, T, C)
        for block in self.transformer.h:
            x = block(x)
        x = self.transformer.ln_f(x)
        logits = self.lm_head(x)  # (B, T, L)
        loss = None
        if targets is not None:
            loss = F.cross_entropy(logits.float().view(-1, logits.size(-1)), targets.view(-1))
        return logits, loss

    @torch.no_grad()
    def last_attention(self, idx):
        """Attention probabilities of the LAST position: a list over layers of (B, H, T)."""
        blocks = list(self.transformer.h)
        for b in blocks:
            b.attn.record = True
        try:
            self(idx)
            return [b.attn.last_att for b in blocks]
        finally:
            for b in blocks:
                b.attn.record = False
                b.attn.last_att = None

    def configure_optimizer(self, weight_decay: float, learning_rate: float, betas):
        """AdamW; weight decay on matrices (and the embeddings), none on biases and LayerNorm."""
        params = [p for p in self.parameters() if p.requires_grad]
        decay = [p for p in params if p.dim() >= 2]
        no_decay = [p for p in params if p.dim() < 2]
        groups = [{"params": decay, "weight_decay": weight_decay}, {"params": no_decay, "weight_decay": 0.0}]
        return torch.optim.AdamW(groups, lr=learning_rate, betas=betas)

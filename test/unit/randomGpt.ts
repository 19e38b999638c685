/** A seeded random GPT written in our safetensors layout, for tests that need no fixtures. */
import { Rng, writeSafetensors, type TensorToWrite } from '../../src/engine';
import { tinyBpeJson, PROJECT_PATTERN } from './helpers';

export interface RandomGptOptions {
  vocab?: number;
  embd?: number;
  layers?: number;
  heads?: number;
  positions?: number;
  layout?: 'linear' | 'conv1d';
  seed?: number;
  /** Add the fill-in-the-middle specials (at the end of the vocabulary, not at ids 1-3: code must look them up by content). */
  fim?: boolean;
}

/** The FIM specials in the order randomGptFiles({ fim: true }) adds them. */
export const FIM_SPECIALS = ['<|fim_prefix|>', '<|fim_middle|>', '<|fim_suffix|>'];

export function randomGptFiles(o: RandomGptOptions = {}): { config: string; tokenizer: string; weights: Uint8Array; tensors: Record<string, Float32Array> } {
  const tokenizerJson = tinyBpeJson([['e', 'r'], [' ', 't'], ['h', 'e']], PROJECT_PATTERN) as { model: { vocab: Record<string, number> }; added_tokens: Array<{ id: number; content: string; special: boolean }> };
  const base = Object.keys(tokenizerJson.model.vocab).length + 1;
  if (o.fim) FIM_SPECIALS.forEach((content, i) => tokenizerJson.added_tokens.push({ id: base + i, content, special: true }));
  const L = o.vocab ?? base + (o.fim ? FIM_SPECIALS.length : 0);
  const M = o.embd ?? 16;
  const layers = o.layers ?? 2;
  const heads = o.heads ?? 4;
  const T = o.positions ?? 32;
  const layout = o.layout ?? 'linear';
  const rng = new Rng(o.seed ?? 7);
  const normal = () => Math.sqrt(-2 * Math.log(rng.next() + 1e-12)) * Math.cos(2 * Math.PI * rng.next());
  const tensors: Record<string, Float32Array> = {};
  const shapes: Record<string, number[]> = {};
  const add = (name: string, shape: number[], scale: number, offset = 0) => {
    const n = shape.reduce((a, b) => a * b, 1);
    tensors[name] = Float32Array.from({ length: n }, () => offset + scale * normal());
    shapes[name] = shape;
  };
  // Matrices [out, in]; the conv1d variant writes the same numbers transposed.
  const matrix = (name: string, out: number, inp: number) => {
    add(name, [out, inp], 0.2);
    if (layout === 'conv1d') {
      const w = tensors[name];
      const t = new Float32Array(w.length);
      for (let r = 0; r < out; r++) for (let c = 0; c < inp; c++) t[c * out + r] = w[r * inp + c];
      tensors[name] = t;
      shapes[name] = [inp, out];
    }
  };
  add('transformer.wte.weight', [L, M], 0.5);
  add('transformer.wpe.weight', [T, M], 0.2);
  for (let l = 0; l < layers; l++) {
    const p = `transformer.h.${l}.`;
    add(p + 'ln_1.weight', [M], 0.1, 1);
    add(p + 'ln_1.bias', [M], 0.1);
    matrix(p + 'attn.c_attn.weight', 3 * M, M);
    add(p + 'attn.c_attn.bias', [3 * M], 0.1);
    matrix(p + 'attn.c_proj.weight', M, M);
    add(p + 'attn.c_proj.bias', [M], 0.1);
    add(p + 'ln_2.weight', [M], 0.1, 1);
    add(p + 'ln_2.bias', [M], 0.1);
    matrix(p + 'mlp.c_fc.weight', 4 * M, M);
    add(p + 'mlp.c_fc.bias', [4 * M], 0.1);
    matrix(p + 'mlp.c_proj.weight', M, 4 * M);
    add(p + 'mlp.c_proj.bias', [M], 0.1);
  }
  add('transformer.ln_f.weight', [M], 0.1, 1);
  add('transformer.ln_f.bias', [M], 0.1);
  const toWrite: Record<string, TensorToWrite> = {};
  for (const [name, data] of Object.entries(tensors)) toWrite[name] = { dtype: 'F32', shape: shapes[name], data };
  const config = {
    kind: 'transformer', model_type: 'gpt2', id: 'random', display_name: 'Random', description: 'test',
    vocab_size: L, n_positions: T, n_embd: M, n_layer: layers, n_head: heads, layer_norm_epsilon: 1e-5,
    weight_layout: layout, bos_token_id: 0,
  };
  return { config: JSON.stringify(config), tokenizer: JSON.stringify(tokenizerJson), weights: writeSafetensors(toWrite), tensors };
}

/**
 * A deliberately naive GPT-2 forward pass over the whole sequence (plain arrays, the
 * textbook formulas) to check the optimised engine against. Linear layout only.
 */
export function naiveLogits(t: Record<string, Float32Array>, cfg: { M: number; L: number; layers: number; heads: number }, tokens: number[]): number[][] {
  const { M, L, layers, heads } = cfg;
  const hs = M / heads;
  const lin = (w: Float32Array, b: Float32Array | undefined, x: number[], out: number) =>
    Array.from({ length: out }, (_, r) => x.reduce((s, v, c) => s + v * w[r * x.length + c], b ? b[r] : 0));
  const ln = (x: number[], w: Float32Array, b: Float32Array) => {
    const mean = x.reduce((a, v) => a + v, 0) / x.length;
    const varc = x.reduce((a, v) => a + (v - mean) ** 2, 0) / x.length;
    return x.map((v, i) => ((v - mean) / Math.sqrt(varc + 1e-5)) * w[i] + b[i]);
  };
  const gelu = (v: number) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)));
  let xs = tokens.map((tok, pos) => Array.from({ length: M }, (_, i) => t['transformer.wte.weight'][tok * M + i] + t['transformer.wpe.weight'][pos * M + i]));
  for (let l = 0; l < layers; l++) {
    const p = `transformer.h.${l}.`;
    const qkv = xs.map((x) => lin(t[p + 'attn.c_attn.weight'], t[p + 'attn.c_attn.bias'], ln(x, t[p + 'ln_1.weight'], t[p + 'ln_1.bias']), 3 * M));
    const z = xs.map((_, i) => {
      const out = new Array(M).fill(0);
      for (let h = 0; h < heads; h++) {
        const scores = [];
        for (let j = 0; j <= i; j++) {
          let s = 0;
          for (let d = 0; d < hs; d++) s += qkv[i][h * hs + d] * qkv[j][M + h * hs + d];
          scores.push(s / Math.sqrt(hs));
        }
        const max = Math.max(...scores);
        const e = scores.map((s) => Math.exp(s - max));
        const sum = e.reduce((a, v) => a + v, 0);
        for (let j = 0; j <= i; j++) for (let d = 0; d < hs; d++) out[h * hs + d] += (e[j] / sum) * qkv[j][2 * M + h * hs + d];
      }
      return out;
    });
    xs = xs.map((x, i) => {
      const a = lin(t[p + 'attn.c_proj.weight'], t[p + 'attn.c_proj.bias'], z[i], M);
      const x1 = x.map((v, k) => v + a[k]);
      const hdn = lin(t[p + 'mlp.c_fc.weight'], t[p + 'mlp.c_fc.bias'], ln(x1, t[p + 'ln_2.weight'], t[p + 'ln_2.bias']), 4 * M).map(gelu);
      const m = lin(t[p + 'mlp.c_proj.weight'], t[p + 'mlp.c_proj.bias'], hdn, M);
      return x1.map((v, k) => v + m[k]);
    });
  }
  return xs.map((x) => lin(t['transformer.wte.weight'], undefined, ln(x, t['transformer.ln_f.weight'], t['transformer.ln_f.bias']), L));
}

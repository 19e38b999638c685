/** `predict` and `generate`: the textbook flow, printed for the user's own text. */
import * as fs from 'node:fs';
import { contextTokens, generate, predictText, topIndices, toModelText, type LanguageModel } from '../engine';
import { trimAgainstSuffix } from '../completion/suffix';
import { completeText, healedContext, suffixFor } from '../worker/completionEngine';
import { loadModelFolder, resolveModel } from '../node/modelFolder';
import { parseArgs, UsageError } from './args';

/** Whitespace made visible, so a token like "\n    " can be seen. */
export function showToken(text: string): string {
  return text.replace(/ /g, '·').replace(/\n/g, '↵').replace(/\t/g, '→').replace(/\r/g, '␍');
}

function readText(positional: string[]): string {
  if (positional.length !== 1) throw new UsageError(`expected one text argument, got ${positional.length}`);
  return positional[0] === '-' ? fs.readFileSync(0, 'utf8') : positional[0];
}

function openModel(flags: Record<string, unknown>): LanguageModel {
  if (typeof flags.model !== 'string') throw new UsageError('--model <id|folder> is required');
  return loadModelFolder(resolveModel(flags.model));
}

function describeModel(model: LanguageModel): string {
  const i = model.info;
  return i.kind === 'transformer'
    ? `${i.displayName} (${i.id}): transformer, ${i.layers} layers x ${i.heads} heads, M = ${i.width}, window ${i.contextLength} tokens, L = ${i.vocabSize}, ${i.parameters.toLocaleString('en-US')} parameters`
    : `${i.displayName} (${i.id}): counted n-gram model, order ${i.order}, L = ${i.vocabSize}, ${i.parameters.toLocaleString('en-US')} stored n-grams`;
}

export function predictCommand(argv: string[]): void {
  const { flags, positional } = parseArgs(argv, { model: 'string', top: 'number', json: 'boolean' });
  const text = readText(positional);
  const top = (flags.top as number | undefined) ?? 10;
  if (!Number.isInteger(top) || top < 1) throw new UsageError('--top needs a positive integer');
  const model = openModel(flags);
  const p = predictText(model, text);
  const i = model.info;
  const best = topIndices(p.probs, Math.min(top, i.vocabSize));
  const tok = model.tokenizer;
  const N = p.tokens.length;
  if (flags.json) {
    console.log(JSON.stringify({
      model: i,
      tokens: p.tokens.map((id) => ({ id, text: tok.tokenText(id) })),
      shape: { N, M: i.width, layers: i.layers, heads: i.heads, L: i.vocabSize },
      backoffOrder: p.backoffOrder,
      top: best.map((id) => ({ id, text: tok.tokenText(id), prob: p.probs[id] })),
    }));
    return;
  }
  const lines: string[] = [];
  lines.push(`model   ${describeModel(model)}`);
  lines.push(`tokens  N = ${N}: ${p.tokens.map((id) => `${showToken(tok.tokenText(id))} #${id}`).join(' | ')}`);
  if (i.kind === 'transformer') {
    lines.push(`flow    ${N} tokens -> ${N} x ${i.width} embedding -> ${i.layers} layers x ${i.heads} heads of self-attention (Q, K, V) -> vector of L = ${i.vocabSize} probabilities`);
  } else {
    lines.push(`flow    ${N} tokens -> counts after the last ${(p.backoffOrder ?? 1) - 1} tokens (order ${p.backoffOrder} of ${i.order}; seen ${p.contextCount} times, ${p.contextTypes} different next tokens) -> vector of L = ${i.vocabSize} probabilities`);
  }
  lines.push(`next    ${showToken(tok.tokenText(best[0]))} (${p.probs[best[0]].toFixed(4)})`);
  lines.push(`top ${best.length} of L = ${i.vocabSize}:`);
  const width = Math.max(...best.map((id) => showToken(tok.tokenText(id)).length));
  best.forEach((id, rank) => {
    const prob = p.probs[id];
    const bar = '█'.repeat(Math.round(prob * 30));
    lines.push(`  ${String(rank + 1).padStart(2)}  ${showToken(tok.tokenText(id)).padEnd(width)}  #${String(id).padEnd(6)} ${prob.toFixed(4)}  ${bar}`);
  });
  console.log(lines.join('\n'));
}

export function generateCommand(argv: string[]): void {
  const { flags, positional } = parseArgs(argv, {
    model: 'string', 'max-tokens': 'number', temperature: 'number', 'top-k': 'number', 'top-p': 'number', seed: 'number', json: 'boolean', suffix: 'string',
  });
  const text = readText(positional);
  const maxTokens = (flags['max-tokens'] as number | undefined) ?? 32;
  const temperature = (flags.temperature as number | undefined) ?? 0;
  const topK = (flags['top-k'] as number | undefined) ?? 0;
  const topP = (flags['top-p'] as number | undefined) ?? 1;
  if (!Number.isInteger(maxTokens) || maxTokens < 1 || maxTokens > 100_000) throw new UsageError('--max-tokens needs an integer from 1 to 100000');
  if (temperature < 0 || temperature > 100) throw new UsageError('--temperature needs a number from 0 to 100');
  if (!Number.isInteger(topK) || topK < 0) throw new UsageError('--top-k needs a non-negative integer');
  if (!(topP > 0 && topP <= 1)) throw new UsageError('--top-p needs a number in (0, 1]');
  const model = openModel(flags);
  const options = { maxTokens, sampling: { temperature, topK, topP }, seed: (flags.seed as number | undefined) ?? 1 };
  // --suffix: the text after the gap. A model trained for fill-in-the-middle writes what goes
  // between as ghost text would (multi-line): its FIM context with token healing, stopped at
  // its end of the middle or where it meets the suffix.
  const suffix = typeof flags.suffix === 'string' ? toModelText(flags.suffix) : undefined;
  if (suffix !== undefined && !model.fim) console.error(`next-token generate: ${model.info.id} was not trained for fill-in-the-middle (no <|fim_*|> tokens): --suffix is ignored`);
  const reads = suffix !== undefined ? suffixFor(model, suffix) : undefined;
  if (suffix !== undefined && reads !== undefined) {
    const prefix = toModelText(text);
    const { context, suffixTokens } = healedContext(model, prefix, reads);
    const { items, confidences } = completeText(model, prefix, { ...options, multiline: true, timeBudgetMs: Infinity, alternatives: 1, suffix: reads });
    // The provider's rule for the rest of the cursor's line: never retype it ("foo(|)" gets "a, b").
    const middle = trimAgainstSuffix(items[0] ?? '', suffix.split('\n')[0]);
    if (flags.json) {
      console.log(JSON.stringify({ model: model.info.id, context: context.length, suffixTokens, text: middle, confidence: confidences[0] ?? null }));
    } else process.stdout.write(text + middle + suffix + (suffix.endsWith('\n') ? '' : '\n'));
    return;
  }
  const context = contextTokens(model, text);
  const result = generate(model, context, options);
  if (flags.json) {
    console.log(JSON.stringify({ model: model.info.id, context: context.length, tokens: result.tokens, text: result.text, stopReason: result.stopReason }));
  } else {
    const joiner = model.tokenizer.kind === 'word' ? ' ' : '';
    process.stdout.write(text + (joiner && text && result.text ? joiner : '') + result.text + '\n');
  }
}

/** `build-ngram`: counts a corpus (one sequence per line) into a model folder. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildTables, countSequence, loadTokenizer, newCounts, writeSafetensors, type TensorToWrite } from '../engine';
import { parseArgs, UsageError } from './args';

export function buildNgramCommand(argv: string[]): void {
  const { flags, positional } = parseArgs(argv, {
    tokenizer: 'string', order: 'number', smoothing: 'string', id: 'string', 'display-name': 'string', description: 'string', out: 'string',
  });
  const need = (name: string) => {
    if (flags[name] === undefined) throw new UsageError(`--${name} is required`);
    return flags[name];
  };
  const order = need('order') as number;
  if (!Number.isInteger(order) || order < 1 || order > 16) throw new UsageError('--order needs an integer from 1 to 16');
  const smoothing = (flags.smoothing ?? 'kneser-ney') as string;
  if (smoothing !== 'none' && smoothing !== 'kneser-ney') throw new UsageError('--smoothing is none or kneser-ney');
  if (positional.length !== 1) throw new UsageError('expected one corpus file');
  const tokenizerFile = need('tokenizer') as string;
  const tokenizerText = fs.readFileSync(tokenizerFile, 'utf8');
  const tokenizer = loadTokenizer(tokenizerText, tokenizerFile);
  const counts = newCounts(order);
  let sequences = 0;
  for (const line of fs.readFileSync(positional[0], 'utf8').split('\n')) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    countSequence(counts, tokenizer.encode(line));
    sequences++;
  }
  const { tables, discounts } = buildTables(counts, smoothing);
  const tensors: Record<string, TensorToWrite> = {};
  for (const t of tables) {
    tensors[`ngram.${t.order}.tokens`] = { dtype: 'I32', shape: [t.counts.length, t.order], data: t.tokens };
    tensors[`ngram.${t.order}.counts`] = { dtype: 'I32', shape: [t.counts.length], data: t.counts };
  }
  const out = need('out') as string;
  fs.mkdirSync(out, { recursive: true });
  const id = need('id') as string;
  const config: Record<string, unknown> = {
    kind: 'ngram',
    id,
    display_name: (flags['display-name'] as string | undefined) ?? id,
    description: (flags.description as string | undefined) ?? '',
    vocab_size: tokenizer.vocabSize,
    order,
    smoothing,
  };
  if (smoothing === 'kneser-ney') config.discounts = discounts;
  fs.writeFileSync(path.join(out, 'config.json'), JSON.stringify(config, null, 2) + '\n');
  fs.writeFileSync(path.join(out, 'model.safetensors'), writeSafetensors(tensors));
  if (path.resolve(tokenizerFile) !== path.resolve(out, 'tokenizer.json')) fs.writeFileSync(path.join(out, 'tokenizer.json'), tokenizerText);
  console.log(`${out}: ${sequences} sequences, ${tables.map((t) => `${t.counts.length} ${t.order}-grams`).join(', ')}`);
}

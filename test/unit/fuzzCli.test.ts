// Fuzzed command lines for `next-token`: thousands run in-process through the CLI's own
// main() (parsing, validation, model loading, the command itself), a handful as real child
// processes. Every case must end with exit 0, or exit 1/2 with a message on stderr; never an
// uncaught exception (exit 70, "internal error"), never a hang. Prints the counts per outcome.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { main } from '../../src/cli/main';
import { Rng } from '../../src/engine';
import { ROOT } from './helpers';
import { randomGptFiles } from './randomGpt';

const COMMANDS = ['predict', 'generate', 'eval', 'build-ngram', 'bench', 'help', '--help', '-h', '', 'frobnicate', 'PREDICT', '--model'];
/** Every flag any command knows, a few it does not, and odd spellings. */
const FLAGS = [
  '--model', '--top', '--json', '--max-tokens', '--temperature', '--top-k', '--top-p', '--seed', '--max-files', '--max-bytes',
  '--keystroke-bytes', '--no-keystrokes', '--cache', '--sample', '--tokenizer', '--order', '--smoothing', '--id', '--display-name',
  '--description', '--out', '--backend', '--file', '--max-chars', '--bogus', '-x', '--', '--model=', '--json=1', '--top=3', '---', '--=',
];
// Only files inside the throwaway folder, small models, no "-" (stdin) in-process, and not the
// words "engine"/"ghost": `bench` then always stops at its argument check (the benchmarks
// themselves take seconds and are measured elsewhere).
const VALUES = [
  'toy-dogspeak', 'gpt', 'bad', 'no-such-model', 'code.ts', 'corpus.txt', 'tok.json', 'empty.txt', 'bin.dat', 'missing.txt', 'out1', 'sub/out2',
  '0', '1', '3', '-1', '1.5', 'NaN', '1e309', '', '  ', '0x10', '1e5', '我 刚才 跑步,我 现在', 'x'.repeat(5000), 'a\u0000b', 'kneser-ney', 'none', 'wasm', 'js',
];

function pick<T>(rng: Rng, xs: readonly T[]): T {
  return xs[Math.floor(rng.next() * xs.length)];
}

/** Valid command lines: most mutations of these get past the first check and reach the command. */
const VALID = [
  ['predict', '--model', 'toy-dogspeak', '我 刚才 跑步,我 现在'],
  ['predict', '--model', 'gpt', '--top', '3', '--json', 'function f('],
  ['generate', '--model', 'gpt', '--max-tokens', '5', '--temperature', '0.8', '--top-k', '5', '--top-p', '0.9', '--seed', '1', 'x = '],
  ['eval', '--model', 'toy-dogspeak', '--no-keystrokes', 'code.ts'],
  ['eval', '--model', 'gpt', '--keystroke-bytes', '40', '--json', 'code.ts', 'corpus.txt'],
  ['build-ngram', '--tokenizer', 'tok.json', '--order', '3', '--id', 'fuzz', '--out', 'out1', 'corpus.txt'],
];

function randomArgv(rng: Rng): string[] {
  if (rng.next() < 0.6) {
    // A valid line with one to three edits: replace, delete, insert or swap a word.
    const argv = [...pick(rng, VALID)];
    for (let n = 1 + Math.floor(rng.next() * 3); n > 0; n--) {
      const at = Math.floor(rng.next() * argv.length);
      const word = rng.next() < 0.5 ? pick(rng, VALUES) : pick(rng, FLAGS);
      const op = Math.floor(rng.next() * 4);
      if (op === 0) argv[at] = word;
      else if (op === 1) argv.splice(at, 1);
      else if (op === 2) argv.splice(at, 0, word);
      else [argv[at], argv[argv.length - 1]] = [argv[argv.length - 1], argv[at]];
    }
    return argv;
  }
  const argv = [pick(rng, COMMANDS)];
  for (let n = Math.floor(rng.next() * 9); n > 0; n--) {
    const r = rng.next();
    if (r < 0.45) argv.push(pick(rng, FLAGS), pick(rng, VALUES));
    else if (r < 0.65) argv.push(pick(rng, FLAGS));
    else argv.push(pick(rng, VALUES));
  }
  return argv;
}

/** A folder with the files the values name: a small random transformer, a broken model, a corpus, code. */
function makeFixtures(dir: string): void {
  const gpt = randomGptFiles({ embd: 16, positions: 32 });
  fs.mkdirSync(path.join(dir, 'gpt'));
  fs.writeFileSync(path.join(dir, 'gpt', 'config.json'), gpt.config);
  fs.writeFileSync(path.join(dir, 'gpt', 'tokenizer.json'), gpt.tokenizer);
  fs.writeFileSync(path.join(dir, 'gpt', 'model.safetensors'), gpt.weights);
  fs.mkdirSync(path.join(dir, 'bad'));
  fs.writeFileSync(path.join(dir, 'bad', 'config.json'), '{"kind": "gpt", "n_layer": -1');
  fs.copyFileSync(path.join(ROOT, 'models', 'toy-dogspeak', 'tokenizer.json'), path.join(dir, 'tok.json'));
  fs.writeFileSync(path.join(dir, 'corpus.txt'), '我 刚才 跑步,我 现在 吃饭\n# a comment\n\n我 现在 睡觉\n');
  fs.writeFileSync(path.join(dir, 'code.ts'), 'export function f(x: number): number {\n  return x * 2;\n}\n');
  fs.writeFileSync(path.join(dir, 'empty.txt'), '');
  fs.writeFileSync(path.join(dir, 'bin.dat'), Buffer.from([0, 1, 2, 255, 254, 0xc3, 0x28, 0xf0]));
}

let dir: string;
let cwd: string;
before(() => {
  cwd = process.cwd();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'next-token-fuzz-cli-'));
  makeFixtures(dir);
  // Relative names (and anything build-ngram writes) stay inside the throwaway folder.
  process.chdir(dir);
});
after(() => {
  process.chdir(cwd);
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Ended {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs main() with the console captured. A rejected promise is an uncaught exception. */
async function runInProcess(argv: string[]): Promise<Ended> {
  const out: string[] = [];
  const err: string[] = [];
  const saved = { log: console.log, error: console.error, warn: console.warn };
  console.log = (...a: unknown[]) => void out.push(a.join(' '));
  console.error = console.warn = (...a: unknown[]) => void err.push(a.join(' '));
  // The commands are synchronous, so their direct writes (generate streams its text) all
  // happen inside the call; stdout is swapped only for that long, not across the await.
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string) => out.push(String(chunk)) > 0) as typeof process.stdout.write;
  let ended: Promise<number>;
  try {
    ended = main(argv);
  } finally {
    process.stdout.write = write;
  }
  try {
    const code = await ended;
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  } finally {
    Object.assign(console, saved);
  }
}

/** The outcome's name; fails the test for anything that is not a clear, typed ending. */
function classify(argv: string[], e: Ended): string {
  const shown = JSON.stringify(argv).slice(0, 300);
  if (e.code === 0) return 'exit 0';
  assert.ok(e.code === 1 || e.code === 2, `${shown}: exit ${e.code}\n${e.stderr}`);
  assert.ok(e.stderr.trim().length > 0, `${shown}: exit ${e.code} without a message`);
  assert.doesNotMatch(e.stderr, /internal error|\n\s+at /, `${shown}: a stack trace instead of a message`);
  if (e.code === 2) {
    assert.match(e.stderr, /usage:/, `${shown}: a usage error shows the usage`);
    return 'exit 2 usage error';
  }
  return 'exit 1 error message';
}

test('thousands of fuzzed command lines end in exit 0, or exit 1/2 with a clear message', { timeout: 240_000 }, async () => {
  const rng = new Rng(2024);
  const outcomes: Record<string, number> = {};
  const cases = 2500;
  let slowest = 0;
  let slowestArgv: string[] = [];
  for (let i = 0; i < cases; i++) {
    const argv = randomArgv(rng);
    const started = performance.now();
    let ended: Ended;
    try {
      ended = await runInProcess(argv);
    } catch (e) {
      assert.fail(`case ${i} ${JSON.stringify(argv).slice(0, 300)}: uncaught ${(e as Error)?.stack ?? e}`);
    }
    const ms = performance.now() - started;
    if (ms > slowest) [slowest, slowestArgv] = [ms, argv];
    const outcome = classify(argv, ended);
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  }
  console.log(`fuzz cli (in-process): ${cases} cases, slowest ${slowest.toFixed(0)} ms (${JSON.stringify(slowestArgv).slice(0, 120)}): ${JSON.stringify(outcomes)}`);
  assert.ok(slowest < 10_000, 'every case ends within 10 s');
  assert.ok(Object.keys(outcomes).length === 3, 'the fuzzer reaches success, usage errors and other errors');
});

test('fuzzed command lines in real child processes, standard input included', () => {
  const cli = path.join(ROOT, 'dist', 'cli.js');
  assert.ok(fs.existsSync(cli), 'dist/cli.js is built (npm run build)');
  const rng = new Rng(7);
  const cases: Array<{ argv: string[]; input?: string }> = [
    { argv: ['predict', '--model', 'toy-dogspeak', '-'], input: '我 刚才 跑步,我 现在' },
    { argv: ['generate', '--model', 'gpt', '--max-tokens', '4', '-'], input: '\u0000\uffff'.repeat(1000) },
    { argv: ['predict', '--model', 'toy-dogspeak', '-'], input: '' },
    { argv: ['predict', ...Array.from({ length: 20_000 }, () => '--json')] },
    // (an operating system refuses NUL bytes in arguments before the CLI sees them)
    ...Array.from({ length: 10 }, () => ({ argv: randomArgv(rng).map((a) => a.replace(/\0/g, '')) })),
  ];
  const outcomes: Record<string, number> = {};
  for (const c of cases) {
    const r = spawnSync(process.execPath, [cli, ...c.argv], { cwd: dir, input: c.input ?? '', encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.signal, null, `${JSON.stringify(c.argv).slice(0, 200)}: ended by ${r.signal} (a hang?)`);
    const outcome = classify(c.argv, { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr });
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  }
  console.log(`fuzz cli (child processes): ${cases.length} cases: ${JSON.stringify(outcomes)}`);
});

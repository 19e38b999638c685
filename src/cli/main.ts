/**
 * `next-token`: the engine from the command line.
 *   next-token predict  --model <id|folder> [--top K] [--json] "text"
 *   next-token generate --model <id|folder> [--max-tokens N] [--temperature T] [--top-k K] [--top-p P] [--seed S] [--suffix TEXT] [--json] "text"
 *   next-token eval --model <id|folder> [--json] [--max-files N] [--max-bytes B] [--keystroke-bytes B] [--no-keystrokes] FILES...
 *   next-token eval --model <id|folder> [--json] [--sample N] [--max-files N] [--max-bytes B] [--keystroke-bytes B] [--no-keystrokes] [--cache] FILES_OR_FOLDERS...
 *   next-token eval --infill --model <id|folder> [--json] [--sample N] [--max-files N] [--infill-lines N] [--fim-window N] [--cache] [--project] FILES_OR_FOLDERS...
  next-token bench engine [--model <id|folder>] [--backend wasm|js] [--kernels simd|relaxed-simd] [--onnx <file>] [--no-ort] [--threads 1,2] [--peer-threads 1,2] [--rounds N] [--json]
  next-token bench ghost --model <id|folder> --file <path> [--max-chars N] [--threads 1|2] [--json]
  next-token build-ngram --tokenizer FILE --order N [--smoothing none|kneser-ney] --id ID --out DIR CORPUS
 */
import { isModelError } from '../engine';
import { UsageError } from './args';
import { buildNgramCommand } from './buildNgram';
import { benchCommand } from './bench';
import { evalCommand } from './eval';
import { generateCommand, predictCommand } from './predict';

const USAGE = `usage:
  next-token predict  --model <id|folder> [--top K] [--json] "text"
  next-token generate --model <id|folder> [--max-tokens N] [--temperature T] [--top-k K] [--top-p P] [--seed S] [--suffix TEXT] [--json] "text"
  next-token eval --model <id|folder> [--json] [--sample N] [--max-files N] [--max-bytes B] [--keystroke-bytes B] [--no-keystrokes] [--cache] FILES_OR_FOLDERS...
  next-token eval --infill --model <id|folder> [--json] [--sample N] [--max-files N] [--infill-lines N] [--fim-window N] [--cache] [--project] FILES_OR_FOLDERS...
  next-token bench engine [--model <id|folder>] [--backend wasm|js] [--kernels simd|relaxed-simd] [--onnx <file>] [--no-ort] [--threads 1,2] [--peer-threads 1,2] [--rounds N] [--json]
  next-token bench ghost --model <id|folder> --file <path> [--max-chars N] [--threads 1|2] [--json]
  next-token build-ngram --tokenizer FILE --order N [--smoothing none|kneser-ney] --id ID [--display-name S] [--description S] --out DIR CORPUS.txt
A model is a bundled id, a model folder, or a .gguf file (or a folder holding one).
Text "-" reads standard input.`;

const COMMANDS: Record<string, (argv: string[]) => Promise<void> | void> = {
  predict: predictCommand,
  generate: generateCommand,
  'build-ngram': buildNgramCommand,
  eval: evalCommand,
  bench: benchCommand,
};

/** An error from the file system (ENOENT, EACCES, EISDIR, ENAMETOOLONG...), not a bug. */
function isFileError(e: unknown): e is NodeJS.ErrnoException {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string' && typeof (e as NodeJS.ErrnoException).syscall === 'string';
}

/** Runs one command line; returns the exit code (tests call it in-process). */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    console.log(USAGE);
    return 0;
  }
  if (!command) {
    // No command is a usage error: the usage goes to stderr with the exit code.
    console.error(USAGE);
    return 2;
  }
  const run = Object.prototype.hasOwnProperty.call(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!run) {
    console.error(`next-token: unknown command ${JSON.stringify(command)}\n${USAGE}`);
    return 2;
  }
  try {
    await run(rest);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`next-token ${command}: ${e.message}\n${USAGE}`);
      return 2;
    }
    if (isFileError(e)) {
      // A missing, unreadable or unwritable path the user named: their error, said plainly.
      console.error(`next-token ${command}: ${e.message}`);
      return 1;
    }
    if (isModelError(e)) {
      console.error(`next-token ${command}: ${e.message}`);
      return 1;
    }
    throw e;
  }
}

if (require.main === module) main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    console.error(`next-token: internal error: ${(e as Error)?.stack ?? e}`);
    process.exitCode = 70;
  },
);

/**
 * Every failure the engine reports is a ModelError: a machine-readable code, the file it
 * concerns, and a sentence a user can act on. Callers show `message`; tests check `code`.
 */
export type ModelErrorCode =
  | 'missing-file'
  | 'too-large'
  | 'bad-header'
  | 'bad-offsets'
  | 'bad-dtype'
  | 'missing-tensor'
  | 'shape-mismatch'
  | 'bad-config'
  | 'bad-tokenizer'
  | 'empty-context'
  | 'context-too-long'
  | 'bad-token'
  | 'no-model';

export class ModelError extends Error {
  readonly code: ModelErrorCode;
  readonly file: string | undefined;

  constructor(code: ModelErrorCode, message: string, file?: string) {
    super(file ? `${file}: ${message}` : message);
    this.name = 'ModelError';
    this.code = code;
    this.file = file;
  }
}

export function isModelError(e: unknown): e is ModelError {
  return e instanceof ModelError;
}

/**
 * The checks every transformer's predict makes on its input: ModelError `empty-context`,
 * `context-too-long` or `bad-token`.
 */
export function checkContext(tokens: readonly number[], window: number, vocabSize: number): void {
  const n = tokens.length;
  if (n === 0) throw new ModelError('empty-context', 'the context has no tokens');
  if (n > window) throw new ModelError('context-too-long', `the context has ${n} tokens; the window is ${window}`);
  for (const t of tokens) {
    if (!Number.isInteger(t) || t < 0 || t >= vocabSize) throw new ModelError('bad-token', `token id ${t} is outside the vocabulary of ${vocabSize}`);
  }
}

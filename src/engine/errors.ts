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

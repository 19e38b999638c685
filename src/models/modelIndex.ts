/**
 * models/index.json: the list of bundled models and the default one. Read by the extension
 * (through vscode.workspace.fs) and by the command line (through node:fs); parsed here once.
 */

/** Measured figures by name (scripts/measure-model.mjs); `foreign` holds the same for the foreign set. */
export type Figures = Record<string, number | string>;

export interface ModelIndexEntry {
  id: string;
  display_name: string;
  description: string;
  kind: 'transformer' | 'ngram';
  parameters?: number;
  file_bytes?: number;
  quality?: Record<string, number | string | Figures>;
  speed?: Figures;
}

export interface ModelIndex {
  default: string;
  models: ModelIndexEntry[];
}

/** The parsed index; a clear error when it is not the shape the extension ships. */
export function parseModelIndex(text: string): ModelIndex {
  const index = JSON.parse(text) as Partial<ModelIndex>;
  if (typeof index?.default !== 'string' || !Array.isArray(index.models) || index.models.some((m) => typeof m?.id !== 'string')) {
    throw new Error('models/index.json is not a model index (it needs "default" and "models" with an "id" each)');
  }
  return index as ModelIndex;
}

/**
 * The measured figures a user compares models by, in words (models/index.json `quality`):
 * on the foreign set (code from other projects) when it was measured, else on validation.
 */
export function describeQuality(quality: Record<string, number | string | Figures>): string[] {
  const foreign = typeof quality.foreign === 'object' ? quality.foreign : undefined;
  const q = foreign ?? quality;
  const num = (k: string) => (typeof q[k] === 'number' ? (q[k] as number) : undefined);
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const out: string[] = [];
  const where = foreign ? ' on other projects\' code' : '';
  const bpb = num('eval_bpb') ?? num('val_bpb');
  // With the foreign set measured, "learning from your files" is the workspace setting (the default).
  const learned = foreign ? 'learning from your files' : 'learning from your open files';
  const bpbOpen = num(foreign ? 'eval_bpb_with_workspace' : 'eval_bpb_with_open_files');
  if (bpb !== undefined) out.push(`${bpb.toFixed(2)} bits per byte${where}${bpbOpen !== undefined ? ` (${bpbOpen.toFixed(2)} ${learned})` : ''}`);
  const saved = num('keystroke_savings');
  const savedOpen = num(foreign ? 'keystroke_savings_with_workspace' : 'keystroke_savings_with_open_files');
  if (saved !== undefined) out.push(`saves ${pct(saved)} of keystrokes${savedOpen !== undefined ? ` (${pct(savedOpen)})` : ''}`);
  return out;
}

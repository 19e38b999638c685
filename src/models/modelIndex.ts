/**
 * models/index.json: the list of bundled models and the default one. Read by the extension
 * (through vscode.workspace.fs) and by the command line (through node:fs); parsed here once.
 */

export interface ModelIndexEntry {
  id: string;
  display_name: string;
  description: string;
  kind: 'transformer' | 'ngram';
  parameters?: number;
  file_bytes?: number;
  quality?: Record<string, number | string>;
  speed?: Record<string, number | string>;
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

/** The measured figures a user compares models by, in words (models/index.json `quality`). */
export function describeQuality(q: Record<string, number | string>): string[] {
  const num = (k: string) => (typeof q[k] === 'number' ? (q[k] as number) : undefined);
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const out: string[] = [];
  const bpb = num('eval_bpb') ?? num('val_bpb');
  const bpbOpen = num('eval_bpb_with_open_files');
  if (bpb !== undefined) out.push(`${bpb.toFixed(2)} bits per byte${bpbOpen !== undefined ? ` (${bpbOpen.toFixed(2)} learning from your open files)` : ''}`);
  const saved = num('keystroke_savings');
  const savedOpen = num('keystroke_savings_with_open_files');
  if (saved !== undefined) out.push(`saves ${pct(saved)} of keystrokes${savedOpen !== undefined ? ` (${pct(savedOpen)})` : ''}`);
  return out;
}

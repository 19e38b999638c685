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

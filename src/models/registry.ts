/** The models the user can choose: the bundled ones listed in models/index.json, and their own folders. */
import { joinUri, MODEL_FILES, readText, type ModelFileSystem } from '../worker/modelFiles';
import { parseModelIndex, type ModelIndexEntry } from './modelIndex';

/** A model the picker offers: its index.json entry, camel-cased, and where it lives. */
export interface ModelEntry extends Pick<ModelIndexEntry, 'id' | 'description' | 'kind' | 'parameters' | 'quality' | 'speed'> {
  /** Bundled with the extension, or a folder from `nextToken.modelFolders`. */
  source: 'bundled' | 'user';
  /** Why a user folder cannot be used (shown in the picker); undefined when it looks fine. */
  problem?: string;
  displayName: string;
  /** The folder, as a URI string. */
  folder: string;
  fileBytes?: number;
}

export interface Registry {
  defaultId: string;
  models: ModelEntry[];
}

/** `extensionUri`: the extension's folder as a URI string. */
export async function readRegistry(fs: ModelFileSystem, extensionUri: string): Promise<Registry> {
  const modelsUri = joinUri(extensionUri, 'models');
  const index = parseModelIndex(await readText(fs, joinUri(modelsUri, 'index.json')));
  return {
    defaultId: index.default,
    models: index.models.map((m) => ({
      id: m.id,
      source: 'bundled' as const,
      displayName: m.display_name,
      description: m.description,
      kind: m.kind,
      folder: joinUri(modelsUri, m.id),
      parameters: m.parameters,
      fileBytes: m.file_bytes,
      quality: m.quality,
      speed: m.speed,
    })),
  };
}

/**
 * A user's own model folder (GPT-2 layout: config.json + model.safetensors +
 * tokenizer.json). Cheap checks here; the worker validates every tensor when loading.
 * `label` is how the user wrote the folder (shown in messages).
 */
export async function userModelEntry(fs: ModelFileSystem, folderUri: string, label: string): Promise<ModelEntry> {
  const name = label.replace(/[\\/]+$/, '').split(/[\\/]/).pop() || label;
  const entry: ModelEntry = { id: `folder:${label}`, source: 'user', displayName: name, description: label, kind: 'transformer', folder: folderUri };
  const sizes = await Promise.all(MODEL_FILES.map((f) => fs.size(joinUri(folderUri, f))));
  const missing = MODEL_FILES.filter((_, i) => sizes[i] === undefined);
  if (missing.length > 0) {
    entry.problem = `${label}: missing ${missing.join(', ')}`;
    return entry;
  }
  entry.fileBytes = sizes[1];
  try {
    const config = JSON.parse(await readText(fs, joinUri(folderUri, 'config.json'))) as Record<string, unknown>;
    if (typeof config.display_name === 'string') entry.displayName = config.display_name;
    if (typeof config.description === 'string' && config.description) entry.description = `${config.description} (${label})`;
    if (config.kind === 'ngram') entry.kind = 'ngram';
  } catch (e) {
    entry.problem = `${label}/config.json: ${(e as Error).message}`;
  }
  return entry;
}

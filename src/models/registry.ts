/** The models the user can choose: the bundled ones listed in models/index.json. */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface ModelEntry {
  id: string;
  /** Bundled with the extension, or a folder from `nextToken.modelFolders`. */
  source: 'bundled' | 'user';
  /** Why a user folder cannot be used (shown in the picker); undefined when it looks fine. */
  problem?: string;
  displayName: string;
  description: string;
  kind: 'transformer' | 'ngram';
  folder: string;
  parameters?: number;
  fileBytes?: number;
  quality?: Record<string, number | string>;
  speed?: Record<string, number | string>;
}

export interface Registry {
  defaultId: string;
  models: ModelEntry[];
}

export function readRegistry(extensionPath: string): Registry {
  const indexFile = path.join(extensionPath, 'models', 'index.json');
  const index = JSON.parse(fs.readFileSync(indexFile, 'utf8')) as {
    default: string;
    models: Array<{ id: string; display_name: string; description: string; kind: 'transformer' | 'ngram'; parameters?: number; file_bytes?: number; quality?: Record<string, number | string>; speed?: Record<string, number | string> }>;
  };
  return {
    defaultId: index.default,
    models: index.models.map((m) => ({
      id: m.id,
      source: 'bundled' as const,
      displayName: m.display_name,
      description: m.description,
      kind: m.kind,
      folder: path.join(extensionPath, 'models', m.id),
      parameters: m.parameters,
      fileBytes: m.file_bytes,
      quality: m.quality,
      speed: m.speed,
    })),
  };
}

const REQUIRED = ['config.json', 'model.safetensors', 'tokenizer.json'];

/**
 * A user's own model folder (GPT-2 layout: config.json + model.safetensors +
 * tokenizer.json). Cheap checks here; the worker validates every tensor when loading.
 */
export function userModelEntry(folder: string): ModelEntry {
  const name = path.basename(folder.replace(/[\\/]+$/, '')) || folder;
  const entry: ModelEntry = { id: `folder:${folder}`, source: 'user', displayName: name, description: folder, kind: 'transformer', folder };
  const missing = REQUIRED.filter((f) => !fs.existsSync(path.join(folder, f)));
  if (missing.length > 0) {
    entry.problem = `${folder}: missing ${missing.join(', ')}`;
    return entry;
  }
  try {
    const config = JSON.parse(fs.readFileSync(path.join(folder, 'config.json'), 'utf8')) as Record<string, unknown>;
    if (typeof config.display_name === 'string') entry.displayName = config.display_name;
    if (typeof config.description === 'string' && config.description) entry.description = `${config.description} (${folder})`;
    if (config.kind === 'ngram') entry.kind = 'ngram';
    entry.fileBytes = fs.statSync(path.join(folder, 'model.safetensors')).size;
  } catch (e) {
    entry.problem = `${folder}/config.json: ${(e as Error).message}`;
  }
  return entry;
}

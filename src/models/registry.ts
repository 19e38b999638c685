/** The models the user can choose: the bundled ones listed in models/index.json. */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface ModelEntry {
  id: string;
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
